use chronicle::app::Application;
use chronicle::catalog::Catalog;
use chronicle::config::Settings;
use reqwest::{Client, Response, StatusCode};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

pub const PASSWORD: &str = "quiet-river-lantern-42";

pub fn fixture_questions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/questions")
}

pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub db_path: PathBuf,
    pub catalog: Catalog,
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
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
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
