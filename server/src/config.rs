//! Settings from flags and `CHRONICLE_*` environment variables.

use std::path::PathBuf;

#[derive(clap::Args, Clone, Debug)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "CHRONICLE_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// SQLite database file; created and migrated on first start.
    #[arg(long, env = "CHRONICLE_DB", default_value = "data/chronicle.db")]
    pub db: PathBuf,
    /// Folder of deck files (*.toml), loaded at every start.
    #[arg(long, env = "CHRONICLE_QUESTIONS", default_value = "questions")]
    pub questions: PathBuf,
    /// Mark cookies Secure; turn on when Chronicle is served over https.
    #[arg(long, env = "CHRONICLE_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,
    /// Time zone (IANA name, e.g. Asia/Ho_Chi_Minh) for learners who have not chosen one;
    /// the machine's zone when unset.
    #[arg(long, env = "CHRONICLE_TIME_ZONE")]
    pub time_zone: Option<String>,
    /// Seconds an idle keep-alive connection stays open. Longer than browsers and HTTP
    /// clients keep an idle connection for reuse (actix's own 5 s is not: a client reusing
    /// a connection the server just closed gets "connection reset" on its next request).
    #[arg(long, env = "CHRONICLE_KEEP_ALIVE", default_value_t = DEFAULT_KEEP_ALIVE_SECS)]
    pub keep_alive: u64,
    /// Test only: exit the process right after a sync batch commits, before the reply is
    /// sent, to show that a client's retry then neither doubles nor loses anything. Only
    /// debug builds (the ones tests run) have the hook; a release binary ignores this.
    #[arg(long, env = "CHRONICLE_TEST_EXIT_AFTER_SYNC_COMMIT", hide = true)]
    pub test_exit_after_sync_commit: bool,
}

/// As nginx's default `keepalive_timeout`: beyond what clients keep idle connections for.
pub const DEFAULT_KEEP_ALIVE_SECS: u64 = 75;

#[derive(Clone, Debug)]
pub struct Settings {
    pub bind: String,
    pub db_path: PathBuf,
    pub questions_dir: PathBuf,
    pub secure_cookies: bool,
    pub time_zone: Option<String>,
    /// Seconds an idle keep-alive connection stays open (`ServeArgs::keep_alive`).
    pub keep_alive_secs: u64,
    /// See `ServeArgs::test_exit_after_sync_commit`; always off outside that test.
    pub exit_after_sync_commit: bool,
}

impl From<ServeArgs> for Settings {
    fn from(a: ServeArgs) -> Self {
        Settings {
            bind: a.bind,
            db_path: a.db,
            questions_dir: a.questions,
            secure_cookies: a.secure_cookies,
            time_zone: a.time_zone,
            keep_alive_secs: a.keep_alive,
            exit_after_sync_commit: a.test_exit_after_sync_commit,
        }
    }
}

impl Settings {
    /// Port 0 on loopback, so tests can run side by side.
    pub fn for_tests(db_path: PathBuf, questions_dir: PathBuf) -> Settings {
        Settings {
            bind: "127.0.0.1:0".into(),
            db_path,
            questions_dir,
            secure_cookies: false,
            time_zone: None,
            keep_alive_secs: DEFAULT_KEEP_ALIVE_SECS,
            exit_after_sync_commit: false,
        }
    }
}
