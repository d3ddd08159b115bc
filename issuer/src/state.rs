//! What every handler shares ([`AppState`]: configuration, database,
//! master key, metrics) and how it is made at start-up ([`AppState::prepare`]:
//! the data directory secured, the master key loaded, the database opened and
//! migrated).
//!
//! Handlers import this module; it imports no handler, page or route: the
//! wiring is [`crate::app`].

use std::path::PathBuf;
use std::sync::Arc;

use secrecy::ExposeSecret;

use crate::config::Config;
use crate::db::{Backend, Database};
use crate::master_key::{MasterKey, MASTER_KEY_FILE};

/// SQLite file name inside the data directory.
pub const SQLITE_FILE: &str = "issuer.sqlite3";
/// File holding the demo login (`issuer demo`), in the data directory.
pub const DEMO_LOGIN_FILE: &str = "demo-login.txt";

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
    let files = [MASTER_KEY_FILE, DEMO_LOGIN_FILE].map(|f| config.data_dir.join(f));
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
