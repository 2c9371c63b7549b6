//! What a browser or a device does, over HTTP: log in through the form, study a card, take
//! a device token, sync. Every check that a reply is the expected one lives here.

use crate::answer_key::AnswerKey;
use crate::load::Worker;
use reqwest::{Client, StatusCode};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Request kinds, as indices into `Tally::by_kind`.
pub const GET_STUDY: usize = 0;
pub const POST_ANSWER: usize = 1;
pub const GET_LOGIN: usize = 0;
pub const POST_LOGIN: usize = 1;

fn err(context: &str, e: impl std::fmt::Display) -> String {
    format!("{context}: {e}")
}

/// How long an idle connection is kept for reuse: below the server's keep-alive (75 s), as
/// browsers' are, so a paused learner never sends on a connection the server has closed
/// (reqwest's own 90 s is longer).
pub const POOL_IDLE: Duration = Duration::from_secs(30);

/// A browser: its own cookie jar and connection, redirects left to the caller.
pub fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .pool_idle_timeout(POOL_IDLE)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .expect("a reqwest client")
}

fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#47;", "/")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every hidden field of an HTML fragment, in order.
pub fn hidden_fields(html: &str) -> Vec<(String, String)> {
    const INPUT: &str = "<input type=\"hidden\" name=\"";
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(INPUT) {
        rest = &rest[i + INPUT.len()..];
        let Some(name_end) = rest.find('"') else {
            break;
        };
        let name = rest[..name_end].to_string();
        let Some(v_start) = rest.find("value=\"").map(|i| i + "value=\"".len()) else {
            break;
        };
        let Some(v_end) = rest[v_start..].find('"').map(|i| i + v_start) else {
            break;
        };
        out.push((name, unescape(&rest[v_start..v_end])));
        rest = &rest[v_end..];
    }
    out
}

fn field(html: &str, name: &str) -> Option<String> {
    hidden_fields(html)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

/// Logs in through the real form in a fresh browser: `GET /login` for the CSRF token, then
/// `POST /login`, which must redirect (303) and set a session cookie.
pub async fn login(
    base: &str,
    username: &str,
    password: &str,
) -> Result<(Client, Vec<(usize, Duration)>), String> {
    let client = browser();
    let t0 = Instant::now();
    let r = client
        .get(format!("{base}/login"))
        .send()
        .await
        .map_err(|e| err("GET /login", e))?;
    if r.status() != StatusCode::OK {
        return Err(format!("GET /login: status {}", r.status()));
    }
    let page = r.text().await.map_err(|e| err("GET /login body", e))?;
    let get = t0.elapsed();
    let csrf = field(&page, "csrf_token").ok_or("GET /login: no csrf_token field")?;
    let t1 = Instant::now();
    let r = client
        .post(format!("{base}/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("username", username),
            ("password", password),
        ])
        .send()
        .await
        .map_err(|e| err("POST /login", e))?;
    let status = r.status();
    let has_session = r.headers().get_all("set-cookie").iter().count() > 0;
    let _ = r.bytes().await;
    let post = t1.elapsed();
    if status != StatusCode::SEE_OTHER || !has_session {
        return Err(format!(
            "POST /login as {username}: status {status}, session cookie {has_session}"
        ));
    }
    Ok((client, vec![(GET_LOGIN, get), (POST_LOGIN, post)]))
}

/// Logs in through the form and returns the session's `Cookie` header, for a tool that
/// keeps no cookie jar of its own (the wrk cross-check).
pub async fn session_cookie(base: &str, username: &str, password: &str) -> Result<String, String> {
    use reqwest::cookie::CookieStore;
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let client = Client::builder()
        .cookie_provider(Arc::clone(&jar))
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| err("a reqwest client", e))?;
    let page = client
        .get(format!("{base}/login"))
        .send()
        .await
        .map_err(|e| err("GET /login", e))?
        .text()
        .await
        .map_err(|e| err("GET /login body", e))?;
    let csrf = field(&page, "csrf_token").ok_or("GET /login: no csrf_token field")?;
    let r = client
        .post(format!("{base}/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("username", username),
            ("password", password),
        ])
        .send()
        .await
        .map_err(|e| err("POST /login", e))?;
    if r.status() != StatusCode::SEE_OTHER {
        return Err(format!("POST /login as {username}: status {}", r.status()));
    }
    let url = base.parse().map_err(|e| err("the base URL", e))?;
    let cookie = jar.cookies(&url).ok_or("POST /login: no session cookie")?;
    cookie
        .to_str()
        .map(str::to_string)
        .map_err(|e| err("the session cookie", e))
}

/// A tiny deterministic generator (splitmix64): which answers are right must not depend on
/// a shared RNG's lock.
fn next_unit(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) as f64 / u64::MAX as f64
}

/// A signed-in learner studying one deck: `GET /study`, then `POST /study/answer` with the
/// page's own hidden fields and an answer that is right `right_share` of the time.
pub struct StudyLearner {
    pub client: Client,
    pub base: String,
    pub deck: String,
    /// The deck files, to find the right answer on a page as a learner who knows them.
    pub key: Arc<AnswerKey>,
    pub right_share: f64,
    pub rng: u64,
    pub answered: u64,
    pub right: u64,
    /// Mean time a learner spends on one card (reading, answering, reading the result),
    /// spread around that mean; zero for learners who answer as fast as the server lets them.
    pub think: Duration,
}

impl StudyLearner {
    /// Half the think time, between 0.5 and 1.5 times that, so learners do not march in step.
    async fn pause(&mut self) {
        if !self.think.is_zero() {
            let f = 0.5 + next_unit(&mut self.rng);
            tokio::time::sleep(self.think.mul_f64(f / 2.0)).await;
        }
    }

    /// The answer form for a study page: hidden fields plus a choice, positions, a typed
    /// answer or a self-grade, read off the page and the deck files ([`AnswerKey`]). Returns
    /// the form and whether it answers right.
    fn answer_form(&mut self, html: &str) -> Result<(Vec<(String, String)>, bool), String> {
        let start = html
            .find("action=\"/study/answer\"")
            .ok_or("GET /study: no question on the page (deck finished?)")?;
        let end = html[start..]
            .find("</form>")
            .map(|i| i + start)
            .ok_or("GET /study: unterminated form")?;
        let mut form = hidden_fields(&html[start..end]);
        let right = next_unit(&mut self.rng) < self.right_share;
        self.answered += 1;
        self.right += right as u64;
        form.extend(
            self.key
                .answer(html, right)
                .map_err(|e| format!("GET /study: {e}"))?,
        );
        Ok((form, right))
    }
}

impl Worker for StudyLearner {
    async fn step(&mut self) -> Result<Vec<(usize, Duration)>, String> {
        self.pause().await;
        let t0 = Instant::now();
        let r = self
            .client
            .get(format!("{}/study?deck={}", self.base, self.deck))
            .send()
            .await
            .map_err(|e| err("GET /study", e))?;
        if r.status() != StatusCode::OK {
            return Err(format!("GET /study: status {}", r.status()));
        }
        let html = r.text().await.map_err(|e| err("GET /study body", e))?;
        let get = t0.elapsed();
        let (form, right) = self.answer_form(&html)?;
        self.pause().await;
        let t1 = Instant::now();
        let r = self
            .client
            .post(format!("{}/study/answer", self.base))
            .form(&form)
            .send()
            .await
            .map_err(|e| err("POST /study/answer", e))?;
        let status = r.status();
        let body = r
            .text()
            .await
            .map_err(|e| err("POST /study/answer body", e))?;
        let post = t1.elapsed();
        // 200 with the result page; the stale-card case (also 200) never happens here, since
        // each learner has one tab.
        if status != StatusCode::OK || body.contains("field-error") {
            return Err(format!("POST /study/answer: status {status}"));
        }
        // The answer came from the page shown: a server grading another question fails here.
        let verdict = if right {
            "verdict correct"
        } else {
            "verdict wrong"
        };
        if !body.contains(verdict) {
            let card = form
                .iter()
                .find(|(k, _)| k == "card_id")
                .map_or("", |(_, v)| v.as_str());
            let given: Vec<&str> = form
                .iter()
                .filter(|(k, _)| {
                    ["choice", "typed", "grade"].contains(&k.as_str()) || k.starts_with("order_")
                })
                .map(|(_, v)| v.as_str())
                .collect();
            return Err(format!(
                "POST /study/answer: {card}: answered {} from the page ({given:?}), graded otherwise",
                if right { "right" } else { "wrong" }
            ));
        }
        Ok(vec![(GET_STUDY, get), (POST_ANSWER, post)])
    }
}

/// `GET /healthz`, the baseline: a `SELECT 1` through the pool and a short reply.
pub struct HealthChecker {
    pub client: Client,
    pub url: String,
}

impl Worker for HealthChecker {
    async fn step(&mut self) -> Result<Vec<(usize, Duration)>, String> {
        let t0 = Instant::now();
        let r = self
            .client
            .get(&self.url)
            .send()
            .await
            .map_err(|e| err("GET /healthz", e))?;
        let status = r.status();
        r.bytes().await.map_err(|e| err("GET /healthz body", e))?;
        if status != StatusCode::OK {
            return Err(format!("GET /healthz: status {status}"));
        }
        Ok(vec![(0, t0.elapsed())])
    }
}

/// A device token for the sync API (`POST /api/v1/tokens`).
pub async fn device_token(client: &Client, base: &str, username: &str) -> Result<String, String> {
    let r = client
        .post(format!("{base}/api/v1/tokens"))
        .json(&serde_json::json!({
            "username": username, "password": crate::seed::PASSWORD, "device_name": "bench"
        }))
        .send()
        .await
        .map_err(|e| err("POST /api/v1/tokens", e))?;
    if r.status() != StatusCode::CREATED {
        return Err(format!("POST /api/v1/tokens: status {}", r.status()));
    }
    let v: serde_json::Value = r.json().await.map_err(|e| err("token reply", e))?;
    v["token"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| "token reply without a token".into())
}

/// One `POST /api/v1/sync` of an already serialised body; the time covers sending it, the
/// server's work and reading the whole reply.
pub async fn sync(
    client: &Client,
    base: &str,
    token: &str,
    body: Vec<u8>,
) -> Result<(Duration, serde_json::Value), String> {
    let t0 = Instant::now();
    let r = client
        .post(format!("{base}/api/v1/sync"))
        .bearer_auth(token)
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .map_err(|e| err("POST /api/v1/sync", e))?;
    let status = r.status();
    let bytes = r.bytes().await.map_err(|e| err("sync reply", e))?;
    let took = t0.elapsed();
    if !status.is_success() {
        return Err(format!(
            "POST /api/v1/sync: status {status}: {}",
            String::from_utf8_lossy(&bytes)
        ));
    }
    let v = serde_json::from_slice(&bytes).map_err(|e| err("sync reply JSON", e))?;
    Ok((took, v))
}

/// `per_card` reviews of each card, days apart over the past year, with fresh UUIDs, each
/// with `given` as the learner's answer.
pub fn sync_batch(
    cards: &[String],
    per_card: usize,
    now: chronicle::clock::Instant,
    given: &str,
) -> Vec<u8> {
    let start = now - time::Duration::days(365);
    let day = |n: i64| (start + time::Duration::days(n)).ms();
    let mut reviews = Vec::with_capacity(cards.len() * per_card);
    for (c, card) in cards.iter().enumerate() {
        for k in 0..per_card {
            reviews.push(serde_json::json!({
                "id": uuid::Uuid::new_v4().to_string(),
                "card_id": card,
                "rating": 1 + ((c * 7 + k * 3) % 4),
                "answered_at": day(k as i64 * 30 + c as i64 % 30),
                "duration_ms": 4000,
                "given_answer": given,
            }));
        }
    }
    serde_json::to_vec(&serde_json::json!({"device_id": "bench", "reviews": reviews}))
        .expect("JSON of plain values")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_fields_are_read_and_unescaped() {
        let html = r#"<form><input type="hidden" name="a" value="x&#x2f;y"><input type="hidden" name="b" value=""></form>"#;
        assert_eq!(
            hidden_fields(html),
            vec![("a".into(), "x/y".into()), ("b".into(), "".into())]
        );
    }

    #[test]
    fn the_generator_spreads_over_the_unit_interval() {
        let mut s = 1;
        let n = 10_000;
        let below = (0..n).filter(|_| next_unit(&mut s) < 0.7).count();
        assert!((6_700..7_300).contains(&below), "{below}");
    }
}
