//! Storage: one diesel codebase on SQLite (default) and PostgreSQL.
//!
//! The backend is chosen by the URL (`postgres://` or `postgresql://` is
//! PostgreSQL, anything else a SQLite file), as vaultwarden does. Queries are
//! written once against [`DbConnection`], a `diesel::MultiConnection`; each
//! backend has its own embedded migrations. Diesel is synchronous, so every
//! call from the HTTP service goes through [`Database::run`], which runs it on
//! the blocking thread pool with a pooled connection. Transactions that write
//! go through [`write_transaction`] (`BEGIN IMMEDIATE` on SQLite).

mod connection;
pub mod schema;
mod transaction;

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel::{Connection, PgConnection, QueryResult, RunQueryDsl, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

pub use connection::DbConnection;
pub use transaction::write_transaction;

/// Which database engine a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The backend a database URL selects.
    pub fn of_url(url: &str) -> Self {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }
}

/// Storage failures outside a query: connecting, pooling, migrating.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    /// The database could not be opened or reached.
    #[error("cannot connect to the database: {0}")]
    Connect(#[from] diesel::ConnectionError),
    /// No pooled connection became available.
    #[error("database pool: {0}")]
    Pool(#[from] r2d2::PoolError),
    /// A query failed.
    #[error("database query: {0}")]
    Query(#[from] diesel::result::Error),
    /// Applying or reverting migrations failed.
    #[error("database migration: {0}")]
    Migration(String),
    /// The blocking thread pool could not run the call (it panicked or the
    /// pool is shutting down).
    #[error("blocking task failed: {0}")]
    Blocking(String),
}

/// Opens connections of the backend the URL selects, and sets up SQLite.
///
/// Written by hand because the derived `DbConnection::establish` tries each
/// backend in turn: a PostgreSQL URL that fails to connect would silently
/// become a SQLite file named after it.
#[derive(Debug)]
pub struct DbConnectionManager {
    url: String,
    backend: Backend,
}

impl ManageConnection for DbConnectionManager {
    type Connection = DbConnection;
    type Error = DbError;

    fn connect(&self) -> Result<DbConnection, DbError> {
        match self.backend {
            Backend::Postgres => Ok(DbConnection::Postgres(PgConnection::establish(&self.url)?)),
            Backend::Sqlite => {
                let mut conn = SqliteConnection::establish(&self.url)?;
                // WAL lets readers run beside the single writer; busy_timeout makes
                // concurrent writers wait instead of failing with SQLITE_BUSY;
                // secure_delete zeroes what a delete or an update frees, so that
                // erased personal data does not linger in free space.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
                     PRAGMA secure_delete = ON;",
                )?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), DbError> {
        conn.ping().map_err(DbError::Query)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        conn.is_broken()
    }
}

#[derive(diesel::QueryableByName)]
struct CheckpointRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    busy: i32,
}

/// On SQLite, writes the write-ahead log into the database file and empties
/// it (`PRAGMA wal_checkpoint(TRUNCATE)`, waiting for readers up to the busy
/// timeout): after an erasure, the erased values then no longer sit in the
/// `-wal` file, and `secure_delete` has zeroed them in the database file.
/// Returns `false` when readers kept it from completing (the next checkpoint
/// will). PostgreSQL: nothing to do here (see docs/OPERATIONS.md on vacuum).
pub fn checkpoint(conn: &mut DbConnection) -> QueryResult<bool> {
    match conn {
        DbConnection::Sqlite(c) => {
            let row: CheckpointRow =
                diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").get_result(c)?;
            Ok(row.busy == 0)
        }
        DbConnection::Postgres(_) => Ok(true),
    }
}

/// Applies the pending migrations of `conn`'s backend; returns how many ran.
pub fn migrate(conn: &mut DbConnection) -> Result<usize, DbError> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        DbConnection::Postgres(c) => c
            .run_pending_migrations(POSTGRES_MIGRATIONS)
            .map(|v| v.len()),
    };
    applied.map_err(|e| DbError::Migration(e.to_string()))
}

/// Where a database stands against the migrations this binary knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationState {
    /// Versions applied to the database, oldest first.
    pub applied: Vec<String>,
    /// Versions this binary knows, oldest first (the same for both backends).
    pub known: Vec<String>,
}

impl MigrationState {
    /// Applied versions this binary does not know: a newer issuer made them.
    pub fn unknown(&self) -> Vec<&str> {
        self.applied
            .iter()
            .filter(|v| !self.known.contains(v))
            .map(String::as_str)
            .collect()
    }

    /// Known versions not applied yet.
    pub fn pending(&self) -> Vec<&str> {
        self.known
            .iter()
            .filter(|v| !self.applied.contains(v))
            .map(String::as_str)
            .collect()
    }
}

/// The migration versions applied to `conn`'s database and known to this binary.
pub fn migration_state(conn: &mut DbConnection) -> Result<MigrationState, DbError> {
    use diesel::migration::MigrationSource;
    let failed = |e: Box<dyn std::error::Error + Send + Sync>| DbError::Migration(e.to_string());
    let (mut applied, mut known): (Vec<String>, Vec<String>) = match conn {
        DbConnection::Sqlite(c) => (
            c.applied_migrations()
                .map_err(failed)?
                .iter()
                .map(ToString::to_string)
                .collect(),
            MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS)
                .map_err(failed)?
                .iter()
                .map(|m| m.name().version().to_string())
                .collect(),
        ),
        DbConnection::Postgres(c) => (
            c.applied_migrations()
                .map_err(failed)?
                .iter()
                .map(ToString::to_string)
                .collect(),
            MigrationSource::<diesel::pg::Pg>::migrations(&POSTGRES_MIGRATIONS)
                .map_err(failed)?
                .iter()
                .map(|m| m.name().version().to_string())
                .collect(),
        ),
    };
    applied.sort();
    known.sort();
    Ok(MigrationState { applied, known })
}

/// The connection pool and the one way to use it.
#[derive(Clone)]
pub struct Database {
    pool: r2d2::Pool<DbConnectionManager>,
    backend: Backend,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: never printed.
        f.debug_struct("Database")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl Database {
    /// Opens a pool on the database the URL names (SQLite file created if missing).
    pub fn connect(url: &str, pool_size: u32) -> Result<Self, DbError> {
        let backend = Backend::of_url(url);
        let manager = DbConnectionManager {
            url: url.to_owned(),
            backend,
        };
        let pool = r2d2::Pool::builder()
            .max_size(pool_size.max(1))
            .connection_timeout(Duration::from_secs(10))
            // A PostgreSQL connection may have been cut while it sat in the
            // pool: it is checked (`SELECT 1`) before each use. A SQLite
            // connection is an open file and does not go stale; checking it
            // would be one more statement for every request (a status list's
            // revalidation is a single query).
            .test_on_check_out(backend == Backend::Postgres)
            .build(manager)?;
        Ok(Self { pool, backend })
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs `f` on a pooled connection, on the current thread: for the CLI,
    /// start-up and code already off the async executor.
    pub fn run_blocking<T, E>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<DbError>,
    {
        let mut conn = self.pool.get().map_err(DbError::from)?;
        f(&mut conn)
    }

    /// Runs `f` on a pooled connection on the blocking thread pool, so that
    /// diesel's synchronous I/O never stalls the async executor. The one way
    /// HTTP handlers touch the database. `E` is the caller's error: a domain
    /// error or `ApiError`, anything a [`DbError`] converts into.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get().map_err(DbError::from)?;
            f(&mut conn)
        })
        .await
        .map_err(|e| DbError::Blocking(e.to_string()))?
    }

    /// Applies the pending migrations of this backend; returns how many ran.
    pub fn migrate(&self) -> Result<usize, DbError> {
        self.run_blocking(migrate)
    }

    /// Reverts every applied migration (tests and `issuer migrate --revert-all`).
    pub fn revert_all(&self) -> Result<usize, DbError> {
        self.run_blocking(|conn| {
            let reverted = match conn {
                DbConnection::Sqlite(c) => {
                    c.revert_all_migrations(SQLITE_MIGRATIONS).map(|v| v.len())
                }
                DbConnection::Postgres(c) => c
                    .revert_all_migrations(POSTGRES_MIGRATIONS)
                    .map(|v| v.len()),
            };
            reverted.map_err(|e| DbError::Migration(e.to_string()))
        })
    }
}
