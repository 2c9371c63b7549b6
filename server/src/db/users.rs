//! Accounts.

use crate::ids::UserId;
use crate::srs::days::{self, DayClock};
use crate::srs::{Settings, Steps};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Learner,
    Teacher,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "learner" => Some(Role::Learner),
            "teacher" => Some(Role::Teacher),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Learner => "learner",
            Role::Teacher => "teacher",
        }
    }
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub desired_retention: f64,
    pub new_per_day: i64,
}

fn row_to_user(row: &Row<'_>) -> rusqlite::Result<User> {
    let role: String = row.get("role")?;
    Ok(User {
        id: row.get("id")?,
        username: row.get("username")?,
        display_name: row.get("display_name")?,
        password_hash: row.get("password_hash")?,
        role: Role::parse(&role).ok_or_else(|| super::invalid_value(row, "role", &role))?,
        desired_retention: row.get("desired_retention")?,
        new_per_day: row.get("new_per_day")?,
    })
}

/// The learner's scheduling settings, as the answer path needs them.
pub fn scheduling(conn: &Connection, id: UserId) -> rusqlite::Result<Settings> {
    conn.prepare_cached(
        "SELECT desired_retention, learning_steps, relearning_steps, maximum_interval,
                fsrs_parameters, time_zone, rollover_hour FROM users WHERE id = ?1",
    )?
    .query_row([id], |r| {
        let steps = |i: usize| -> rusqlite::Result<Steps> {
            let text: String = r.get(i)?;
            Steps::parse(&text)
                .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, e.into()))
        };
        let parameters: Option<String> = r.get(4)?;
        let parameters = parameters
            .map(|p| serde_json::from_str::<Vec<f32>>(&p))
            .transpose()
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(4, Type::Text, e.into()))?;
        Ok(Settings {
            desired_retention: r.get(0)?,
            learning_steps: steps(1)?,
            relearning_steps: steps(2)?,
            maximum_interval: r.get(3)?,
            parameters,
            days: clock_from(r, 5, 6)?,
        })
    })
}

/// A learner's zone (the server's when unset) and rollover hour, from columns `zone_at` and
/// `hour_at`. A zone name the bundled database does not know, or an hour past 23, fails the
/// read: only checked values are written, so either means the row was damaged.
fn clock_from(r: &Row<'_>, zone_at: usize, hour_at: usize) -> rusqlite::Result<DayClock> {
    let bad = |i: usize, v: String| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            Type::Text,
            format!("unexpected value {v:?}").into(),
        )
    };
    let zone: Option<String> = r.get(zone_at)?;
    let zone = match zone {
        None => days::server_zone(),
        Some(name) => days::zone(&name).ok_or_else(|| bad(zone_at, name))?,
    };
    let rollover_hour: u8 = r.get(hour_at)?;
    if rollover_hour > 23 {
        return Err(bad(hour_at, rollover_hour.to_string()));
    }
    Ok(DayClock::new(zone, rollover_hour))
}

/// The learner's calendar alone, for pages that count "today".
pub fn day_clock(conn: &Connection, id: UserId) -> rusqlite::Result<DayClock> {
    conn.prepare_cached("SELECT time_zone, rollover_hour FROM users WHERE id = ?1")?
        .query_row([id], |r| clock_from(r, 0, 1))
}

/// Looks a user up by name, ignoring case.
pub fn by_username(conn: &Connection, username: &str) -> rusqlite::Result<Option<User>> {
    conn.prepare_cached("SELECT * FROM users WHERE username = ?1")?
        .query_row([username], row_to_user)
        .optional()
}

pub fn by_id(conn: &Connection, id: UserId) -> rusqlite::Result<Option<User>> {
    conn.prepare_cached("SELECT * FROM users WHERE id = ?1")?
        .query_row([id], row_to_user)
        .optional()
}

/// Creates an account; `None` when the name is taken (in any case).
pub fn create(
    conn: &Connection,
    username: &str,
    password_hash: &str,
    role: Role,
    now: i64,
) -> rusqlite::Result<Option<UserId>> {
    let inserted = conn.execute(
        "INSERT INTO users (username, display_name, password_hash, role, created_at)
         VALUES (?1, ?1, ?2, ?3, ?4) ON CONFLICT(username) DO NOTHING",
        params![username, password_hash, role.as_str(), now],
    )?;
    Ok((inserted == 1).then(|| UserId(conn.last_insert_rowid())))
}

pub fn set_password(conn: &Connection, id: UserId, password_hash: &str) -> rusqlite::Result<()> {
    super::sessions::changed();
    conn.execute(
        "UPDATE users SET password_hash = ?2 WHERE id = ?1",
        params![id, password_hash],
    )?;
    Ok(())
}

/// Sets a new password, ends every session of the user and revokes every device token of
/// theirs, in one transaction. Returns how many tokens were live.
pub fn change_password(
    conn: &mut Connection,
    id: UserId,
    password_hash: &str,
    now: i64,
) -> rusqlite::Result<usize> {
    let tx = conn.transaction()?;
    set_password(&tx, id, password_hash)?;
    super::sessions::delete_for_user(&tx, id)?;
    let revoked = super::tokens::revoke_all(&tx, id, now)?;
    tx.commit()?;
    Ok(revoked)
}

/// The learner's zone (`None`: the server's) and the rest of their schedule's settings.
pub fn set_schedule(conn: &Connection, id: UserId, s: &ScheduleChange<'_>) -> rusqlite::Result<()> {
    super::sessions::changed();
    conn.execute(
        "UPDATE users SET time_zone = ?2, rollover_hour = ?3, learning_steps = ?4,
                          relearning_steps = ?5, maximum_interval = ?6 WHERE id = ?1",
        params![
            id,
            s.time_zone,
            s.rollover_hour,
            s.learning_steps.to_string(),
            s.relearning_steps.to_string(),
            s.maximum_interval
        ],
    )?;
    Ok(())
}

/// What the account page's settings form changes besides retention and new cards.
#[derive(Debug, Clone)]
pub struct ScheduleChange<'a> {
    pub time_zone: Option<&'a str>,
    pub rollover_hour: u8,
    pub learning_steps: &'a Steps,
    pub relearning_steps: &'a Steps,
    pub maximum_interval: u32,
}

/// The zone the learner chose, if any (`None`: they follow the server's).
pub fn chosen_time_zone(conn: &Connection, id: UserId) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT time_zone FROM users WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
}

/// The zone a learner chose at registration (`None`: the server's).
pub fn set_time_zone(conn: &Connection, id: UserId, zone: Option<&str>) -> rusqlite::Result<()> {
    super::sessions::changed();
    conn.execute(
        "UPDATE users SET time_zone = ?2 WHERE id = ?1",
        params![id, zone],
    )?;
    Ok(())
}

pub fn set_study_settings(
    conn: &Connection,
    id: UserId,
    desired_retention: f64,
    new_per_day: i64,
) -> rusqlite::Result<()> {
    super::sessions::changed();
    conn.execute(
        "UPDATE users SET desired_retention = ?2, new_per_day = ?3 WHERE id = ?1",
        params![id, desired_retention, new_per_day],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Connection {
        let conn = crate::db::testing::with_learners(&["Ann"]);
        conn.execute_batch("PRAGMA ignore_check_constraints = ON;")
            .unwrap();
        conn
    }

    #[test]
    fn an_unknown_role_fails_the_read() {
        let conn = db();
        assert_eq!(
            by_id(&conn, UserId(1)).unwrap().unwrap().role,
            Role::Learner
        );
        conn.execute("UPDATE users SET role = 'admin'", []).unwrap();
        let e = by_id(&conn, UserId(1)).unwrap_err();
        assert!(
            matches!(e, rusqlite::Error::FromSqlConversionFailure(..)),
            "{e:?}"
        );
        assert!(by_username(&conn, "ann").is_err());
    }

    #[test]
    fn an_unknown_time_zone_fails_the_read_instead_of_becoming_the_servers() {
        let conn = db();
        conn.execute("UPDATE users SET time_zone = 'Asia/Ho_Chi_Minh'", [])
            .unwrap();
        assert_eq!(
            day_clock(&conn, UserId(1)).unwrap().zone_name(),
            "Asia/Ho_Chi_Minh"
        );
        conn.execute("UPDATE users SET time_zone = 'Mars/Olympus'", [])
            .unwrap();
        let e = day_clock(&conn, UserId(1)).unwrap_err();
        assert!(e.to_string().contains("Mars/Olympus"), "{e}");
        assert!(scheduling(&conn, UserId(1)).is_err());
    }

    #[test]
    fn a_rollover_hour_past_23_fails_the_read() {
        let conn = db();
        assert!(day_clock(&conn, UserId(1)).is_ok());
        conn.execute("UPDATE users SET rollover_hour = 30", [])
            .unwrap();
        assert!(day_clock(&conn, UserId(1)).is_err());
        assert!(scheduling(&conn, UserId(1)).is_err());
    }

    #[test]
    fn bad_learning_steps_or_parameters_fail_the_read() {
        let conn = db();
        assert!(scheduling(&conn, UserId(1)).is_ok());
        conn.execute("UPDATE users SET learning_steps = 'soon'", [])
            .unwrap();
        assert!(scheduling(&conn, UserId(1)).is_err());
        conn.execute(
            "UPDATE users SET learning_steps = (SELECT relearning_steps FROM users),
                              fsrs_parameters = '[1, 2,'",
            [],
        )
        .unwrap();
        assert!(scheduling(&conn, UserId(1)).is_err());
    }
}
