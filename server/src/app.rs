//! Builds the application: state, middleware and the route table.

use crate::auth::{csrf, device::DeviceKey, throttle::LoginThrottle};
use crate::catalog::Catalog;
use crate::config::Settings;
use crate::db;
use crate::routes::classes::{
    analysis, assignment, assignment_form, class, export, membership, report,
};
use crate::routes::state::AppState;
use crate::routes::{
    anki, api, assets, auth, browse, decks, health, home, missed, offline, reset, stats, study,
    timeline,
};
use crate::web::api_error::ApiError;
use crate::web::error::PageError;
use crate::web::request_log::request_log;
use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::middleware::{DefaultHeaders, Next, from_fn};
use actix_web::{App, HttpServer, ResponseError, web};
use anyhow::Context;
use std::net::TcpListener;
use std::sync::Arc;

/// Seconds a connection may take to send its request head.
const CLIENT_REQUEST_TIMEOUT_SECS: u64 = 20;

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Opens the database, loads every deck into it, and binds the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        if let Some(name) = &settings.time_zone {
            let zone = crate::srs::days::zone(name).ok_or_else(|| {
                anyhow::anyhow!("unknown time zone “{name}” (CHRONICLE_TIME_ZONE)")
            })?;
            crate::srs::days::set_server_zone(zone);
        }
        let catalog = Catalog::load(&settings.questions_dir)
            .map_err(|e| anyhow::anyhow!("the dataset has problems:\n{e}"))?;
        let pool = db::open_pool(&settings.db_path)
            .with_context(|| format!("opening {}", settings.db_path.display()))?;
        let device_key = {
            let pool = pool.clone();
            web::block(move || -> anyhow::Result<DeviceKey> {
                let conn = pool.get()?;
                match db::keys::get_or_create(&conn, "device_cookie") {
                    Ok(key) => Ok(DeviceKey::new(key)),
                    // No room to store a first key: one for this run; devices are trusted
                    // again after their next sign-in once the disk has room.
                    Err(e) if db::is_disk_full(&e) => {
                        let mut key = [0u8; 32];
                        rand::RngCore::fill_bytes(&mut rand::rng(), &mut key);
                        Ok(DeviceKey::new(key))
                    }
                    Err(e) => Err(anyhow::Error::from(e).context("reading the device key")),
                }
            })
            .await??
        };
        let catalog = {
            let pool = pool.clone();
            let db_path = settings.db_path.clone();
            web::block(move || -> anyhow::Result<Catalog> {
                let mut conn = pool.get()?;
                let catalog = with_teacher_decks(&conn, catalog)?;
                match db::decks::import(&mut conn, &catalog) {
                    // Serving what the database holds beats not serving: reads work, and
                    // writes come back by themselves once space is freed.
                    Err(e) if db::is_disk_full(&e) => tracing::error!(
                        db = %db_path.display(),
                        "the disk is full: decks not updated from the questions folder; \
                         serving what the database holds, and every write will be refused \
                         until space is freed"
                    ),
                    other => other.context("loading decks into the database")?,
                }
                Ok(catalog)
            })
            .await??
        };
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("binding {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        tracing::info!(
            address = %listener.local_addr()?,
            decks = catalog.decks.len(),
            cards = catalog.cards.len(),
            "serving"
        );
        let checkpoints = Arc::new(());
        db::spawn_checkpointer(
            &settings.db_path,
            Arc::downgrade(&checkpoints),
            std::time::Duration::from_secs(1),
        );
        // Learners who studied this week get their parameters refitted once in it.
        let learners = Arc::new(crate::study::summary::Summaries::default());
        crate::study::fit::spawn_weekly(
            pool.clone(),
            Arc::clone(&learners),
            Arc::downgrade(&checkpoints),
            std::time::Duration::from_secs(3_600),
        );
        let keep_alive = settings.keep_alive_secs;
        let pool = web::Data::new(pool);
        // This app's own: another app in the process (tests) never sees its sessions.
        let sessions = web::Data::new(crate::auth::extract::KeptSessions::default());
        let state = web::Data::new(AppState {
            checkpoints,
            pool: pool.get_ref().clone(),
            settings,
            throttle: LoginThrottle::new(),
            join_throttle: crate::auth::throttle::JoinThrottle::new(),
            device_key,
            decks: crate::catalog::Live::new(catalog),
            learners,
            assignments: Default::default(),
        });
        let server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(same_origin))
                .wrap(
                    DefaultHeaders::new()
                        .add(("X-Content-Type-Options", "nosniff"))
                        .add(("X-Frame-Options", "DENY"))
                        .add(("Referrer-Policy", "same-origin"))
                        .add((
                            "Content-Security-Policy",
                            "default-src 'self'; style-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
                        )),
                )
                .wrap(from_fn(request_log))
                .app_data(state.clone())
                // The extractors need only the pool and the sessions lately read, so they
                // take them apart from the state.
                .app_data(pool.clone())
                .app_data(sessions.clone())
                .configure(routes)
        })
        .keep_alive(std::time::Duration::from_secs(keep_alive))
        // actix starts a connection's request-head timer when it is accepted, not when its
        // bytes arrive (actix-web #1269): with the one worker busy, a prompt client got 408
        // at the default 5 s. A slow client is still cut off, later.
        .client_request_timeout(std::time::Duration::from_secs(CLIENT_REQUEST_TIMEOUT_SECS))
        .listen(listener)?
        .run();
        Ok(Application { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// The shipped decks and every deck teachers uploaded. A stored deck that no longer loads
/// (the loader grew stricter) is left out with an error in the log, rather than keeping
/// every other class from studying.
fn with_teacher_decks(conn: &rusqlite::Connection, shipped: Catalog) -> anyhow::Result<Catalog> {
    let stored = db::teacher_decks::all(conn).context("reading uploaded decks")?;
    if stored.is_empty() {
        return Ok(shipped);
    }
    let uploads = stored
        .into_iter()
        .filter_map(
            |s| match crate::upload::reload(&s.file_name, &s.source_text, &s.id) {
                Ok(deck) => Some((deck, s.owner_id)),
                Err(e) => {
                    tracing::error!(deck = %s.id, problems = %e, "an uploaded deck no longer loads");
                    None
                }
            },
        )
        .collect();
    Ok(shipped.with_uploads(uploads))
}

/// The route table, top to bottom.
fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home::home))
        .route("/healthz", web::get().to(health::healthz))
        .route("/favicon.ico", web::get().to(assets::favicon))
        .route("/static/style.css", web::get().to(assets::style))
        .route("/static/app.js", web::get().to(assets::script))
        .route("/static/offline.js", web::get().to(offline::script))
        .route("/sw.js", web::get().to(offline::service_worker))
        .route("/register", web::get().to(auth::register_form))
        .route("/register", web::post().to(auth::register))
        .route("/login", web::get().to(auth::login_form))
        .route("/login", web::post().to(auth::login))
        .route("/logout", web::post().to(auth::logout))
        .route("/account", web::get().to(auth::account))
        .route("/account/password", web::post().to(auth::change_password))
        .route("/account/settings", web::post().to(auth::change_settings))
        .route("/account/parameters", web::post().to(auth::fit_parameters))
        .route("/account/anki.apkg", web::get().to(anki::learner))
        .route(
            "/account/tokens/{id}/revoke",
            web::post().to(auth::revoke_device),
        )
        .route("/reset/{token}", web::get().to(reset::form))
        .route("/reset/{token}", web::post().to(reset::complete))
        .route("/study", web::get().to(study::show))
        .route("/study/answer", web::post().to(study::answer))
        .route("/study/offline", web::get().to(offline::page))
        .route("/missed", web::get().to(missed::show))
        .route("/stats", web::get().to(stats::show))
        .route("/browse", web::get().to(browse::show))
        .route("/decks/{id}/anki.apkg", web::get().to(anki::deck))
        .route("/timeline", web::get().to(timeline::show))
        .route("/decks", web::get().to(decks::list))
        .route("/decks/new", web::get().to(decks::new_form))
        .route("/decks/new", web::post().to(decks::upload_new))
        .route("/decks/{id}", web::get().to(decks::show))
        .route("/decks/{id}/deck.toml", web::get().to(decks::download_toml))
        .route("/decks/{id}/deck.csv", web::get().to(decks::download_csv))
        .route("/decks/{id}/upload", web::get().to(decks::version_form))
        .route("/decks/{id}/upload", web::post().to(decks::upload_version))
        .route("/classes", web::get().to(class::list))
        .route("/classes", web::post().to(class::create))
        .route("/classes/join", web::post().to(membership::join))
        .route("/join/{code}", web::get().to(membership::join_link))
        .route("/classes/{id}", web::get().to(class::show))
        .route("/classes/{id}/rename", web::post().to(class::rename))
        .route("/classes/{id}/archive", web::post().to(class::archive))
        .route(
            "/classes/{id}/code",
            web::get().to(class::rotate_code_confirm),
        )
        .route("/classes/{id}/code", web::post().to(class::rotate_code))
        .route("/classes/{id}/leave", web::post().to(membership::leave))
        .route("/classes/{id}/missed", web::get().to(report::class_missed))
        .route(
            "/classes/{id}/review",
            web::get().to(assignment_form::review_form),
        )
        .route(
            "/classes/{id}/export/students.csv",
            web::get().to(export::students),
        )
        .route(
            "/classes/{id}/export/questions.csv",
            web::get().to(export::questions),
        )
        .route(
            "/classes/{id}/export/gradebook.csv",
            web::get().to(export::gradebook),
        )
        .route(
            "/classes/{id}/students/{student}",
            web::get().to(report::student),
        )
        .route(
            "/classes/{id}/students/{student}/remove",
            web::get().to(membership::remove_confirm),
        )
        .route(
            "/classes/{id}/students/{student}/remove",
            web::post().to(membership::remove_student),
        )
        .route(
            "/classes/{id}/students/{student}/reset",
            web::get().to(reset::confirm),
        )
        .route(
            "/classes/{id}/students/{student}/reset",
            web::post().to(reset::issue),
        )
        .route(
            "/classes/{id}/students/{student}/readmit",
            web::post().to(membership::readmit),
        )
        .route(
            "/classes/{id}/assignments",
            web::post().to(assignment_form::create),
        )
        .route(
            "/classes/{id}/assignments/new",
            web::get().to(assignment_form::new_form),
        )
        .route(
            "/classes/{id}/assignments/{assignment}",
            web::get().to(assignment::show),
        )
        .route(
            "/classes/{id}/assignments/{assignment}",
            web::post().to(assignment_form::update),
        )
        .route(
            "/classes/{id}/assignments/{assignment}/analysis",
            web::get().to(analysis::show),
        )
        .route(
            "/classes/{id}/assignments/{assignment}/edit",
            web::get().to(assignment_form::edit_form),
        )
        .route(
            "/classes/{id}/assignments/{assignment}/delete",
            web::get().to(assignment_form::delete_confirm),
        )
        .route(
            "/classes/{id}/assignments/{assignment}/delete",
            web::post().to(assignment_form::delete),
        )
        .configure(api::configure)
        .default_service(web::to(|| async { PageError::NotFound.error_response() }));
}

/// Refuses state-changing requests whose `Origin` is another site (CSRF defence in depth).
async fn same_origin(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let safe = matches!(req.method().as_str(), "GET" | "HEAD" | "OPTIONS");
    if !safe {
        let header = |name| {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let origin = header(actix_web::http::header::ORIGIN);
        let host = header(actix_web::http::header::HOST);
        // Served over https exactly when cookies are marked Secure (behind a TLS proxy).
        let secure = req
            .app_data::<web::Data<AppState>>()
            .is_some_and(|s| s.settings.secure_cookies);
        let scheme = if secure { "https" } else { "http" };
        if !csrf::origin_ok(origin.as_deref(), host.as_deref(), scheme) {
            if req.path().starts_with("/api/") {
                return Err(ApiError::Forbidden(
                    "cross_origin",
                    "requests from other sites are refused".into(),
                )
                .into());
            }
            return Err(
                PageError::Forbidden("Requests from other sites are refused.".into()).into(),
            );
        }
    }
    next.call(req).await
}
