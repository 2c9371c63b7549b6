use chronicle::app::Application;
use chronicle::catalog::Catalog;
use chronicle::config::Settings;
use reqwest::{Client, Response, StatusCode};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

#[path = "../../../bench/src/answer_key.rs"]
mod answer_key;
pub use answer_key::AnswerKey;

pub const PASSWORD: &str = "quiet-river-lantern-42";

pub fn fixture_questions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/questions")
}

pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub db_path: PathBuf,
    pub catalog: Catalog,
    /// The deck files as a learner who knows them reads them: picks right answers from pages.
    pub key: AnswerKey,
    _dir: TempDir,
}

pub fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("chronicle.db");
    let mut settings = Settings::for_tests(db_path.clone(), fixture_questions());
    configure(&mut settings);
    let app = Application::build(settings).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: client(),
        db_path,
        catalog: Catalog::load(&fixture_questions()).unwrap(),
        key: AnswerKey::load(&fixture_questions()).unwrap(),
        _dir: dir,
    }
}

/// The value of a form field in a page (`name="x" value="..."`).
pub fn field(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(unescape(&html[start..end]))
}

pub fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#47;", "/")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#34;", "\"")
        .replace("&lt;", "<")
        .replace("&#60;", "<")
        .replace("&gt;", ">")
        .replace("&#62;", ">")
        .replace("&amp;", "&")
        .replace("&#38;", "&")
}

/// Every value a page lists under the term `term` (`<dt>term</dt><dd>value</dd>`), unescaped.
pub fn listed_under(html: &str, term: &str) -> Vec<String> {
    let open = format!("<dt>{term}</dt><dd>");
    html.match_indices(&open)
        .map(|(at, _)| {
            let rest = &html[at + open.len()..];
            unescape(&rest[..rest.find("</dd>").unwrap()])
        })
        .collect()
}

/// The session cookie a response sets, with its attributes (`chronicle_session=...; Path=/`).
pub fn session_cookie(r: &Response) -> String {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("chronicle_session="))
        .expect("a session cookie")
}

pub fn assert_is_redirect_to(response: &Response, location: &str) {
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "expected a redirect"
    );
    assert_eq!(response.headers()["Location"], location);
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_html(&self, path: &str) -> String {
        self.get(path).await.text().await.unwrap()
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// The CSRF token a page carries (anonymous or session-bound).
    pub async fn csrf_from(&self, path: &str) -> String {
        field(&self.get_html(path).await, "csrf_token").expect("page has a csrf token")
    }

    pub async fn post_register(&self, username: &str, password: &str, role: &str) -> Response {
        let token = self.csrf_from("/register").await;
        self.post_form(
            "/register",
            &[
                ("csrf_token", &token),
                ("username", username),
                ("password", password),
                ("role", role),
            ],
        )
        .await
    }

    /// The CSRF token a page carries when `browser` (a client of its own) reads it.
    pub async fn csrf_in(&self, browser: &Client, path: &str) -> String {
        let page = browser.get(self.url(path)).send().await.unwrap();
        field(&page.text().await.unwrap(), "csrf_token").expect("page has a csrf token")
    }

    /// Registers `username` as a learner in `browser` and returns the status.
    pub async fn post_register_in(&self, browser: &Client, username: &str) -> StatusCode {
        let csrf = self.csrf_in(browser, "/register").await;
        browser
            .post(self.url("/register"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("username", username),
                ("password", PASSWORD),
                ("role", "learner"),
            ])
            .send()
            .await
            .unwrap()
            .status()
    }

    pub async fn post_login(&self, username: &str, password: &str) -> Response {
        let token = self.csrf_from("/login").await;
        self.post_form(
            "/login",
            &[
                ("csrf_token", &token),
                ("username", username),
                ("password", password),
            ],
        )
        .await
    }

    /// Logs `username` in from `browser`, a client of its own (a phone, a stranger).
    pub async fn post_login_in(
        &self,
        browser: &Client,
        username: &str,
        password: &str,
    ) -> Response {
        let csrf = self.csrf_in(browser, "/login").await;
        browser
            .post(self.url("/login"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("username", username),
                ("password", password),
            ])
            .send()
            .await
            .unwrap()
    }

    /// `GET path` from a browser that sends only `cookie` (`chronicle_session=...`).
    pub async fn get_with_cookie(&self, cookie: &str, path: &str) -> Response {
        client()
            .get(self.url(path))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_logout(&self) -> Response {
        let token = self.csrf_from("/account").await;
        self.post_form("/logout", &[("csrf_token", &token)]).await
    }

    /// Registers `username` as a learner and leaves the client signed in.
    pub async fn signed_in_learner(&self, username: &str) {
        let r = self.post_register(username, PASSWORD, "learner").await;
        assert_is_redirect_to(&r, "/");
    }

    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db_path).unwrap()
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.db().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    /// The one column of whole numbers a query reads, in its order.
    pub fn numbers(&self, sql: &str) -> Vec<i64> {
        let db = self.db();
        let mut stmt = db.prepare(sql).unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    pub fn user_id(&self, username: &str) -> i64 {
        self.db()
            .query_row(
                "SELECT id FROM users WHERE username = ?1",
                [username],
                |r| r.get(0),
            )
            .unwrap()
    }
}

/// Every hidden field of a page, in order (`<input type="hidden" name=".." value="..">`).
pub fn hidden_fields(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<input type=\"hidden\" name=\"") {
        rest = &rest[i + "<input type=\"hidden\" name=\"".len()..];
        let name_end = rest.find('"').unwrap();
        let name = rest[..name_end].to_string();
        let marker = "value=\"";
        let v_start = rest.find(marker).unwrap() + marker.len();
        let v_end = rest[v_start..].find('"').unwrap() + v_start;
        out.push((name, unescape(&rest[v_start..v_end])));
        rest = &rest[v_end..];
    }
    out
}

impl TestApp {
    /// Answers the question on a study page `html` right or wrong, keeping the page's own
    /// hidden fields (deck, mode, assignment). The answer comes from the page and the deck
    /// file ([`AnswerKey`]), and the result page must agree: a page that shows one question
    /// while the server grades another fails here. Returns the result page.
    pub async fn answer_page(&self, html: &str, right: bool) -> String {
        let start = html
            .find("action=\"/study/answer\"")
            .unwrap_or_else(|| panic!("no question on the page: {html}"));
        let form_html = &html[start..start + html[start..].find("</form>").unwrap()];
        let mut form = hidden_fields(form_html);
        let answer = self
            .key
            .answer(html, right)
            .unwrap_or_else(|e| panic!("{e}: {html}"));
        form.extend(answer);
        self.post_answer(&form, right, html).await
    }

    /// Posts a study answer `form`, which answers `right` or wrong, and returns the result
    /// page, which must give that verdict (`shown` is the page it answers, for the message).
    pub async fn post_answer(&self, form: &[(String, String)], right: bool, shown: &str) -> String {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = self.post_form("/study/answer", &pairs).await;
        assert_eq!(r.status(), StatusCode::OK);
        let result = r.text().await.unwrap();
        let verdict = if right {
            "verdict correct"
        } else {
            "verdict wrong"
        };
        assert!(
            result.contains(verdict),
            "answered {} from the page and the deck, the server disagrees.\nform: {pairs:?}\npage: {shown}\nresult: {result}",
            if right { "right" } else { "wrong" }
        );
        result
    }
}

/// Unix milliseconds now, the unit of review times.
pub fn now_ms() -> i64 {
    (time_now_nanos() / 1_000_000) as i64
}

fn time_now_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// One review as a client would send it: the `n`th UUID, `minutes` after `t0`.
pub fn review(n: u128, card_id: &str, rating: i64, t0: i64, minutes: i64) -> serde_json::Value {
    serde_json::json!({
        "id": uuid::Uuid::from_u128(n + 1).to_string(),
        "card_id": card_id,
        "rating": rating,
        "answered_at": t0 + minutes * 60_000,
        "duration_ms": 1500,
        "given_answer": "",
    })
}

/// One review for the sync API at `at` (Unix ms): 40 seconds spent, `answer {n}` typed.
pub fn review_at(n: u128, card: &str, rating: i64, at: i64) -> serde_json::Value {
    serde_json::json!({
        "id": uuid::Uuid::from_u128(0xabc0_0000 + n).to_string(),
        "card_id": card,
        "rating": rating,
        "answered_at": at,
        "duration_ms": 40_000,
        "given_answer": format!("answer {n}"),
    })
}

impl TestApp {
    /// Saves the signed-in learner's study settings: FSRS alone (no learning steps) at 90%,
    /// 20 new cards a day, days from midnight UTC, each field named in `changes` set to its
    /// value instead.
    pub async fn save_settings(&self, changes: &[(&str, &str)]) {
        let token = self.csrf_from("/account").await;
        let mut form = vec![
            ("csrf_token", token.as_str()),
            ("desired_retention", "0.90"),
            ("new_per_day", "20"),
            ("time_zone", "UTC"),
            ("rollover_hour", "0"),
            ("learning_steps", ""),
            ("relearning_steps", ""),
            ("maximum_interval", "36500"),
        ];
        for (name, value) in changes {
            let field = form
                .iter_mut()
                .find(|(n, _)| n == name)
                .unwrap_or_else(|| panic!("no setting {name}"));
            field.1 = value;
        }
        let r = self.post_form("/account/settings", &form).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "settings saved");
    }

    /// Syncs `reviews` from a phone with `token`; every one must be accepted.
    pub async fn upload(&self, token: &str, reviews: Vec<serde_json::Value>) {
        let n = reviews.len() as u64;
        let (status, body) = self
            .sync(
                token,
                &serde_json::json!({ "device_id": "phone", "cursor": null, "reviews": reviews }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["accepted"].as_u64(), Some(n), "{body}");
    }

    /// Registers `username` and returns a device token for them (the client stays signed in).
    pub async fn api_token(&self, username: &str) -> String {
        self.signed_in_learner(username).await;
        let r = self
            .client
            .post(self.url("/api/v1/tokens"))
            .json(&serde_json::json!({
                "username": username, "password": PASSWORD, "device_name": "test device"
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: serde_json::Value = r.json().await.unwrap();
        v["token"].as_str().unwrap().to_string()
    }

    /// Registers `username` from a browser of their own and returns a device token for them.
    pub async fn api_token_in_new_browser(&self, username: &str) -> String {
        let browser = client();
        let token = self.csrf_in(&browser, "/register").await;
        let r = browser
            .post(self.url("/register"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("username", username),
                ("password", PASSWORD),
                ("role", "learner"),
            ])
            .send()
            .await
            .unwrap();
        assert_is_redirect_to(&r, "/");
        let r = browser
            .post(self.url("/api/v1/tokens"))
            .json(&serde_json::json!({
                "username": username, "password": PASSWORD, "device_name": "other device"
            }))
            .send()
            .await
            .unwrap();
        let v: serde_json::Value = r.json().await.unwrap();
        v["token"].as_str().unwrap().to_string()
    }

    /// `POST /api/v1/sync` with a bearer token; the status and the JSON body.
    pub async fn sync(
        &self,
        token: &str,
        body: &serde_json::Value,
    ) -> (StatusCode, serde_json::Value) {
        let r = client()
            .post(self.url("/api/v1/sync"))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = r.status();
        (status, r.json().await.unwrap())
    }

    /// Ids of the first `n` cards of the fixture deck.
    pub fn card_ids(&self, n: usize) -> Vec<String> {
        self.catalog
            .cards
            .iter()
            .take(n)
            .map(|c| c.id.to_string())
            .collect()
    }

    /// Every card state of a learner, as rows of text, for comparing two databases.
    pub fn states(&self, username: &str) -> Vec<String> {
        let conn = self.db();
        let mut stmt = conn
            .prepare(
                "SELECT s.card_id, s.stability, s.difficulty, s.due, s.last_review, s.reps,
                        s.lapses, s.state
                 FROM card_states s JOIN users u ON u.id = s.user_id
                 WHERE u.username = ?1 ORDER BY s.card_id",
            )
            .unwrap();
        stmt.query_map([username], |r| {
            Ok(format!(
                "{} s={} d={} due={} last={} reps={} lapses={} {}",
                r.get::<_, String>(0)?,
                r.get::<_, f64>(1)?,
                r.get::<_, f64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, String>(7)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }
}

pub fn learner_fixture_questions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/learner")
}

/// The app with the learner fixture: two eras, tags, a span and a dispute.
pub async fn spawn_learner_app() -> TestApp {
    let mut app = spawn_app_with(|s| s.questions_dir = learner_fixture_questions()).await;
    app.catalog = Catalog::load(&learner_fixture_questions()).unwrap();
    app
}
