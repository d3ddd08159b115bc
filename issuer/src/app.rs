//! Start-up and the HTTP application: shared state, routes, limits.
//!
//! [`AppState::prepare`] creates the data directory, loads the master key,
//! opens and migrates the database. [`configure`] mounts every route with its
//! size limits; the server and the tests both use it.

use std::path::PathBuf;
use std::sync::Arc;

use actix_web::web;
use secrecy::ExposeSecret;

use crate::config::Config;
use crate::db::{Backend, Database};
use crate::error::{json_error, path_error, query_error};
use crate::master_key::{MasterKey, MASTER_KEY_FILE};
use crate::routes;

/// Largest JSON body accepted by any route.
pub const JSON_LIMIT: usize = 256 * 1024;
/// Largest raw body (uploads, CSV) accepted by any route.
pub const PAYLOAD_LIMIT: usize = 4 * 1024 * 1024;
/// SQLite file name inside the data directory.
pub const SQLITE_FILE: &str = "issuer.sqlite3";

/// What every handler shares.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The configuration the service started with.
    pub config: Arc<Config>,
    /// The database pool.
    pub db: Database,
    /// Seals and opens private keys.
    pub master_key: Arc<MasterKey>,
    /// Counters and latencies served at `/metrics`.
    pub metrics: Arc<crate::metrics::Metrics>,
}

impl AppState {
    /// Creates the data directory (or narrows its modes: [`secure_data`]),
    /// loads or generates the master key, opens the database (SQLite file by
    /// default) and applies pending migrations.
    pub fn prepare(config: Config) -> anyhow::Result<Self> {
        secure_data(&config)?;
        let master_key = MasterKey::load_or_generate(config.master_key.as_ref(), &config.data_dir)?;
        let db = Database::connect(&database_url(&config), config.database_pool_size)?;
        let applied = db.migrate()?;
        if applied > 0 {
            tracing::info!(applied, "database migrations applied");
        }
        // Awards older than their search column are made findable.
        let filled = db
            .run_blocking(crate::awards::search::backfill)
            .map_err(|e| anyhow::anyhow!("filling the award search column: {e}"))?;
        if filled > 0 {
            tracing::info!(filled, "awards made searchable");
        }
        Ok(Self {
            config: Arc::new(config),
            db,
            master_key: Arc::new(master_key),
            metrics: Arc::new(crate::metrics::Metrics::new()),
        })
    }

    /// The public base URL (no trailing slash) every published id starts with.
    pub fn base(&self) -> String {
        self.config.public_base()
    }
}

/// Creates the data directory `0700` and the SQLite file `0600` when they are
/// missing, and narrows them, the SQLite companions (`-wal`, `-shm`),
/// `master.key` and the demo login to the owner alone when they are wider
/// ([`crate::private_files`]). Run at every start, before the database opens.
pub fn secure_data(config: &Config) -> anyhow::Result<()> {
    let url = database_url(config);
    let sqlite = (Backend::of_url(&url) == Backend::Sqlite)
        .then(|| sqlite_path(&url))
        .flatten();
    let files =
        [MASTER_KEY_FILE, crate::cli::demo::DEMO_LOGIN_FILE].map(|f| config.data_dir.join(f));
    crate::private_files::secure_data_dir(&config.data_dir, sqlite.as_deref(), &files)
        .map_err(|e| anyhow::anyhow!("data directory {}: {e}", config.data_dir.display()))?;
    Ok(())
}

/// The file a SQLite URL names, unless it is in memory or a `file:` URI
/// (whose options SQLite reads itself).
fn sqlite_path(url: &str) -> Option<PathBuf> {
    (url != ":memory:" && !url.starts_with("file:")).then(|| PathBuf::from(url))
}

/// The database URL: the configured one, or the SQLite file in the data directory.
pub fn database_url(config: &Config) -> String {
    match &config.database_url {
        Some(url) => url.expose_secret().to_owned(),
        None => path_string(config.data_dir.join(SQLITE_FILE)),
    }
}

fn path_string(path: PathBuf) -> String {
    path.to_string_lossy().into_owned()
}

/// Mounts every route, the shared state and the input limits.
pub fn configure(cfg: &mut web::ServiceConfig, state: AppState) {
    cfg.app_data(web::Data::new(state))
        .app_data(
            web::JsonConfig::default()
                .limit(JSON_LIMIT)
                .error_handler(json_error),
        )
        .app_data(web::PayloadConfig::default().limit(PAYLOAD_LIMIT))
        .app_data(web::QueryConfig::default().error_handler(query_error))
        .app_data(web::PathConfig::default().error_handler(path_error))
        .configure(routes::configure)
        .configure(crate::pages::configure)
        .default_service(web::to(unknown_route));
}

async fn unknown_route() -> Result<actix_web::HttpResponse, crate::error::ApiError> {
    Err(crate::error::ApiError::NotFound("route"))
}

/// `Strict-Transport-Security` sent when the public URL is https: browsers
/// then refuse plain http to this host for a year (not to its subdomains,
/// which may be other services of the association).
pub const HSTS: &str = "max-age=31536000";

/// The application the server runs and the tests call: the routes
/// ([`configure`]) behind the middleware every response passes (error pages
/// for browsers: [`crate::pages::error_pages`]; latency and throttle counts
/// for `/metrics`; HSTS when the public URL is https; compression).
pub fn application(
    state: AppState,
) -> actix_web::App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    use actix_web::middleware::{from_fn, Compress, Condition, DefaultHeaders};
    let https = state.config.secure_cookies();
    actix_web::App::new()
        // Innermost: the error pages are compressed like any page.
        .wrap(from_fn(crate::pages::error_pages::html_errors))
        .wrap(from_fn(crate::metrics::observe))
        .wrap(Compress::default())
        .wrap(Condition::new(
            https,
            DefaultHeaders::new().add((actix_web::http::header::STRICT_TRANSPORT_SECURITY, HSTS)),
        ))
        .configure(move |cfg| configure(cfg, state))
}

/// Runs the HTTP server until it is stopped.
pub async fn serve(state: AppState) -> anyhow::Result<()> {
    let bind = state.config.bind;
    tracing::info!(%bind, base = %state.base(), "issuer listening");
    actix_web::HttpServer::new(move || application(state.clone()))
        .bind(bind)?
        .run()
        .await?;
    Ok(())
}
