//! The pages besides the study loop: a learner's dashboard (`GET /`) and statistics
//! (`GET /stats`), and a teacher's class page of a 200-student class, each read by closed-loop
//! clients like the baseline so that each compares with healthz in the same run.

use crate::client::StudyLearner;
use crate::load::{self, Worker};
use crate::scenarios::{Measured, cpu_during};
use crate::seed::{Learner, PASSWORD};
use crate::server::Server;
use anyhow::Context;
use chronicle::catalog::Catalog;
use chronicle::classes::goal::Goal;
use chronicle::classes::selection::{self, Selection};
use chronicle::db::classes::{self, AssignmentInput};
use chronicle::db::users::Role;
use reqwest::{Client, StatusCode};
use std::path::Path;
use std::time::{Duration, Instant};

/// Students in the class whose page is measured.
pub const CLASS_SIZE: usize = 200;
pub const TEACHER: &str = "teacher00";

/// The seeded class: its id and how many students it has.
pub struct SeededClass {
    pub id: i64,
    pub students: usize,
}

/// A teacher with one class of `members` (already seeded learners, with their histories)
/// and two assignments on `deck`: the whole deck (answer each card right once) and its first
/// era (reach three weeks' stability), as a teacher would set them through the form.
pub fn seed_class(
    db: &Path,
    catalog: &Catalog,
    deck_id: &str,
    members: &[Learner],
) -> anyhow::Result<SeededClass> {
    let deck = catalog.deck(deck_id).context("the study deck")?;
    let mut conn = rusqlite::Connection::open(db)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    let hash = chronicle::auth::password::hash(PASSWORD)?;
    let now = chronicle::clock::now();
    let joined = now - 90 * 86_400;
    let tx = conn.transaction()?;
    let teacher = chronicle::db::users::create(&tx, TEACHER, &hash, Role::Teacher, joined)?
        .with_context(|| format!("{TEACHER} exists already"))?;
    let mut n = 0;
    let class_id = classes::create(
        &tx,
        teacher,
        "History 10B",
        || {
            n += 1;
            format!("BENCH{n:03}")
        },
        joined,
    )?;
    for m in members {
        classes::join(&tx, class_id, m.id, joined)?;
    }
    tx.commit()?;
    let all_kinds: Vec<String> = chronicle::questions::Kind::ALL
        .iter()
        .map(|k| k.as_str().to_string())
        .collect();
    let whole = Selection {
        kinds: all_kinds.clone(),
        ..Selection::default()
    };
    let first_era = Selection {
        eras: deck.eras.iter().take(1).map(|e| e.id.clone()).collect(),
        kinds: all_kinds,
        ..Selection::default()
    };
    for (title, sel, goal, due_days) in [
        ("The whole deck", &whole, Goal::RightOnce, 30),
        ("The first era", &first_era, Goal::Stability(21.0), 2),
    ] {
        let cards = selection::resolve(deck, catalog.deck_cards(deck_id), sel);
        let due = classes::due_text(now + due_days * 86_400);
        classes::save_assignment(
            &mut conn,
            class_id,
            None,
            &AssignmentInput {
                title,
                deck_id,
                selection: sel,
                goal,
                due_date: due.as_deref(),
                cards: &cards,
            },
            joined,
        )?;
    }
    Ok(SeededClass {
        id: class_id.get(),
        students: members.len(),
    })
}

/// A signed-in reader of one page: `GET url`, which must answer 200 with `marker` in it.
pub struct PageReader {
    pub client: Client,
    pub url: String,
    pub marker: String,
}

impl Worker for PageReader {
    async fn step(&mut self) -> Result<Vec<(usize, Duration)>, String> {
        let t0 = Instant::now();
        let r = self
            .client
            .get(&self.url)
            .send()
            .await
            .map_err(|e| format!("GET {}: {e}", self.url))?;
        let status = r.status();
        let body = r
            .text()
            .await
            .map_err(|e| format!("GET {} body: {e}", self.url))?;
        let took = t0.elapsed();
        if status != StatusCode::OK {
            return Err(format!("GET {}: status {status}", self.url));
        }
        if !body.contains(&self.marker) {
            return Err(format!(
                "GET {}: no {:?} on the page",
                self.url, self.marker
            ));
        }
        Ok(vec![(0, took)])
    }
}

/// `concurrency` closed-loop readers of one page, with the server's CPU over the window.
pub async fn read_page(
    server: &Server,
    clients: Vec<Client>,
    path: &str,
    marker: &str,
    window: load::Window,
) -> Measured {
    let workers = clients
        .into_iter()
        .map(|client| PageReader {
            client,
            url: format!("{}{path}", server.base),
            marker: marker.to_string(),
        })
        .collect();
    let (cpu, (tally, _)) = tokio::join!(
        cpu_during(server.pid, window),
        load::closed_loop(workers, window)
    );
    Measured {
        tally,
        seconds: window.seconds(),
        cpu,
    }
}

/// Each study learner's own browser (its session), for reading their own pages.
pub fn learner_clients(learners: &[StudyLearner]) -> Vec<Client> {
    learners.iter().map(|l| l.client.clone()).collect()
}

/// What the page scenarios measured, each absent when not chosen; `class` is an error when
/// the teacher could not sign in.
pub struct Pages {
    pub dashboard: Option<Measured>,
    pub stats: Option<Measured>,
    pub class: Option<Result<Measured, String>>,
    pub class_students: usize,
}

/// Which of the pages to read (`--only`).
pub struct Which {
    pub dashboard: bool,
    pub stats: bool,
    pub class: bool,
}

/// `GET /` and `GET /stats` from each study learner's own session, then the teacher's class
/// page from `concurrency` clients sharing the teacher's one session.
pub async fn measure(
    server: &Server,
    learners: &[StudyLearner],
    class: &SeededClass,
    concurrency: usize,
    which: Which,
    window: impl Fn() -> load::Window,
) -> Pages {
    if which.dashboard || which.stats || which.class {
        eprintln!("pages: GET /, GET /stats, the class page ...");
    }
    let dashboard = if which.dashboard {
        Some(
            read_page(
                server,
                learner_clients(learners),
                "/",
                "Welcome back",
                window(),
            )
            .await,
        )
    } else {
        None
    };
    let stats = if which.stats {
        Some(
            read_page(
                server,
                learner_clients(learners),
                "/stats",
                "Your statistics",
                window(),
            )
            .await,
        )
    } else {
        None
    };
    let class_page = if which.class {
        Some(
            match crate::client::login(&server.base, TEACHER, PASSWORD).await {
                Ok((teacher, _)) => Ok(read_page(
                    server,
                    vec![teacher; concurrency],
                    &format!("/classes/{}", class.id),
                    &format!("Students ({})", class.students),
                    window(),
                )
                .await),
                Err(e) => Err(e),
            },
        )
    } else {
        None
    };
    Pages {
        dashboard,
        stats,
        class: class_page,
        class_students: class.students,
    }
}

/// A page's row: its rate as a ratio to healthz in the same run, against `target` (if any).
pub fn page_row(
    name: &str,
    m: &Measured,
    health: Option<&Measured>,
    target: Option<f64>,
) -> crate::report::Row {
    use crate::report::{Row, errors, latency_row, ms, yes_no};
    let ratio = health.map(|h| m.rate() / h.rate());
    Row {
        errors: errors(&m.tally),
        cpu: m.cpu.describe(),
        compared: format!(
            "{}× healthz req/s; server CPU {} per page",
            ratio.map_or("–".into(), |r| format!("{r:.2}")),
            ms(m.server_ms_per_unit())
        ),
        target: target.map_or(String::new(), |t| format!("ratio ≥ {t}")),
        met: target.map_or(String::new(), |t| yes_no(ratio.is_some_and(|r| r >= t))),
        ..latency_row(name, &m.tally.all, format!("{:.0} req/s", m.rate()))
    }
}
