//! `issuer backup` and `issuer restore`: everything that keeps every badge
//! verifiable, in one file, and back.
//!
//! A backup is a SQLite database file, whatever the backend: every table of
//! [`tables::TABLES`] (organisations with their keys still sealed under the
//! master key, users, awards with their signed credentials, status lists and
//! their bits, workshops, the audit log), the migrations it is at, and a
//! `backup_info` table: the format, when and from which backend it was made,
//! the public URL every published id starts with (the did:web DIDs derive
//! from it), and the fingerprint of the master key that opens its keys. The
//! master key itself is in it only with `--include-master-key`: by default
//! it is kept apart, so that the backup file alone opens nothing.
//!
//! - On SQLite the copy is SQLite's own consistent online copy
//!   (`VACUUM INTO`): the service keeps running, writers are not blocked.
//! - On PostgreSQL every table is read in one `REPEATABLE READ` snapshot and
//!   written into a fresh SQLite file through the same typed schema, so that
//!   no `pg_dump` of the server's exact version is needed (a `pg_dump` of the
//!   database plus the master key is the other way, docs/OPERATIONS.md).
//!
//! [`restore`] goes the other way, onto an empty database of either backend:
//! it brings an older backup's schema up to date first, checks that the
//! master key at hand opens every key of the backup before writing
//! anything, then copies every row in one transaction.

pub mod tables;

use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use secrecy::{ExposeSecret, SecretString};

use crate::config::Config;
use crate::db::schema::org_keys;
use crate::db::{self, Backend, Database, DbConnection, DbError};
use crate::master_key::{MasterKey, MasterKeyError};
use crate::private_files;
use crate::state::{database_url, secure_data};

/// `backup_info.format` of our backups.
pub const FORMAT: &str = "open-badges-issuer-backup";
/// `backup_info.format_version` written; restore reads this version.
pub const FORMAT_VERSION: &str = "1";

/// Why a backup or a restore could not be made. Nothing is left half-done:
/// a failed backup leaves no file, a failed restore no row.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackupError {
    /// The output file exists; a backup never overwrites one.
    #[error("{0} exists: choose another file name (a backup never overwrites a file)")]
    Exists(PathBuf),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The failure.
        source: std::io::Error,
    },
    /// The database could not be opened, read or written.
    #[error(transparent)]
    Database(#[from] DbError),
    /// The master key could not be read.
    #[error(transparent)]
    MasterKey(#[from] MasterKeyError),
    /// No master key: neither configured, nor in the data directory, nor in
    /// the backup.
    #[error("no master key: set ISSUER_MASTER_KEY or put the installation's master.key in {0} (this backup does not hold it)")]
    MissingMasterKey(PathBuf),
    /// The master key at hand does not open the keys of the backup (or of the
    /// database being backed up).
    #[error("the master key at hand (fingerprint {found}) does not open the organisations' keys{}", expected.as_ref().map(|e| format!(": this backup needs the master key with fingerprint {e}")).unwrap_or_default())]
    WrongMasterKey {
        /// The fingerprint of the key at hand.
        found: String,
        /// The fingerprint the backup records.
        expected: Option<String>,
    },
    /// The file is not a backup of ours, or not one this version reads.
    #[error("{path} is not an issuer backup this version can read: {reason}")]
    NotABackup {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The database or the backup was migrated by a newer issuer.
    #[error(
        "made by a newer issuer (migrations {0} are unknown here): use that version or a later one"
    )]
    Newer(String),
    /// The database has migrations left to apply.
    #[error("the database has migrations to apply ({0}): run `issuer migrate` first")]
    Behind(String),
    /// The restore target already holds data.
    #[error("the target database is not empty ({0}): restore onto a fresh data directory or an empty database")]
    NotEmpty(String),
}

impl From<diesel::result::Error> for BackupError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Database(DbError::Query(e))
    }
}

impl From<diesel::ConnectionError> for BackupError {
    fn from(e: diesel::ConnectionError) -> Self {
        Self::Database(DbError::Connect(e))
    }
}

/// What a backup holds.
#[derive(Debug, Clone)]
pub struct BackupSummary {
    /// The file written.
    pub path: PathBuf,
    /// Rows per table.
    pub tables: Vec<(&'static str, usize)>,
    /// The backend it was made from.
    pub backend: Backend,
    /// Fingerprint of the master key its keys are sealed under.
    pub master_key_fingerprint: String,
    /// Whether the master key itself is in the file.
    pub includes_master_key: bool,
    /// The public base URL the published ids start with.
    pub public_url: String,
}

/// What a restore did.
#[derive(Debug, Clone)]
pub struct RestoreSummary {
    /// Rows per table.
    pub tables: Vec<(&'static str, usize)>,
    /// The public base URL of the installation the backup was made from.
    pub backup_public_url: String,
    /// The public base URL configured here.
    pub public_url: String,
    /// Whether the master key was taken from the backup (and written to
    /// `master.key` in the data directory).
    pub master_key_from_backup: bool,
}

/// Writes a backup of the configured installation to `out` (mode 0600).
pub fn create(
    config: &Config,
    out: &Path,
    include_master_key: bool,
) -> Result<BackupSummary, BackupError> {
    if out.exists() {
        return Err(BackupError::Exists(out.to_path_buf()));
    }
    let master = MasterKey::load_existing(config.master_key.as_ref(), &config.data_dir)?
        .ok_or_else(|| BackupError::MissingMasterKey(config.data_dir.clone()))?;
    let url = database_url(config);
    let backend = Backend::of_url(&url);
    let source = Database::connect(&url, 1)?;
    let partial = partial_path(out);
    let io = |source| BackupError::Io {
        path: partial.clone(),
        source,
    };
    let _ = std::fs::remove_file(&partial);
    private_files::create_private_file(&partial).map_err(io)?;
    let written = source.run_blocking(|conn| {
        let state = db::migration_state(conn)?;
        up_to_date(&state)?;
        opens_every_key(conn, &master, None)?;
        match backend {
            Backend::Sqlite => {
                // SQLite's consistent copy of a live database.
                diesel::sql_query(format!("VACUUM INTO {}", sql_string(&partial)?))
                    .execute(conn)?;
                Ok(())
            }
            Backend::Postgres => export_postgres(conn, &partial),
        }
    });
    let finished = written.and_then(|()| {
        let mut copy = open_file(&partial)?;
        // What a backup leaves out (copied by VACUUM INTO), zeroed as it goes.
        let mut clear = String::from("PRAGMA secure_delete = ON;");
        for table in tables::LEFT_OUT {
            clear.push_str(&format!("DELETE FROM {table};"));
        }
        copy.batch_execute(&clear)?;
        let info = [
            ("format", FORMAT.to_owned()),
            ("format_version", FORMAT_VERSION.to_owned()),
            (
                "created_at",
                crate::time::rfc3339(crate::time::now()).unwrap_or_default(),
            ),
            ("issuer_version", env!("CARGO_PKG_VERSION").to_owned()),
            ("source_backend", format!("{backend:?}").to_lowercase()),
            ("public_url", config.public_base()),
            ("master_key_fingerprint", master.fingerprint()),
        ];
        write_info(&mut copy, &info)?;
        if include_master_key {
            write_info(
                &mut copy,
                &[(
                    "master_key",
                    master.export_base64().expose_secret().to_owned(),
                )],
            )?;
        }
        copy.batch_execute("PRAGMA journal_mode = DELETE;")?;
        let counts = tables::counts(&mut copy)?;
        drop(copy);
        sync(&partial)?;
        Ok(counts)
    });
    let counts = match finished {
        Ok(counts) => counts,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, out).map_err(|source| BackupError::Io {
        path: out.to_path_buf(),
        source,
    })?;
    Ok(BackupSummary {
        path: out.to_path_buf(),
        tables: counts,
        backend,
        master_key_fingerprint: master.fingerprint(),
        includes_master_key: include_master_key,
        public_url: config.public_base(),
    })
}

/// Restores the backup `from` onto the configured installation, whose
/// database must hold no data (a fresh data directory, an empty PostgreSQL
/// database). The master key is the configured one, or `master.key` in the
/// data directory, or, when the backup holds it, the backup's (then written
/// to `master.key`).
pub fn restore(config: &Config, from: &Path) -> Result<RestoreSummary, BackupError> {
    secure_data(config).map_err(|e| BackupError::Io {
        path: config.data_dir.clone(),
        source: std::io::Error::other(e.to_string()),
    })?;
    // Work on a copy: the backup file itself is never changed.
    let copy_path = config
        .data_dir
        .join(format!("restore-{}.sqlite3", crate::time::random_token(6)));
    let restored =
        copy_private(from, &copy_path).and_then(|()| restore_copy(config, from, &copy_path));
    let _ = std::fs::remove_file(&copy_path);
    restored
}

fn restore_copy(
    config: &Config,
    from: &Path,
    copy_path: &Path,
) -> Result<RestoreSummary, BackupError> {
    let mut copy = open_file(copy_path)?;
    let info = read_info(&mut copy).map_err(|reason| BackupError::NotABackup {
        path: from.to_path_buf(),
        reason,
    })?;
    let state = db::migration_state(&mut copy)?;
    let unknown = state.unknown();
    if !unknown.is_empty() {
        return Err(BackupError::Newer(unknown.join(", ")));
    }
    // A backup of an older version: its schema is brought up to date first.
    db::migrate(&mut copy)?;
    let (master, from_backup) = master_key_for(config, &info)?;
    opens_every_key(
        &mut copy,
        &master,
        info.get("master_key_fingerprint").cloned(),
    )?;

    let target = Database::connect(&database_url(config), 1)?;
    target.migrate()?;
    let tables = target.run_blocking(|conn| {
        let present: Vec<String> = tables::counts(conn)?
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(table, n)| format!("{n} rows in {table}"))
            .collect();
        if !present.is_empty() {
            return Err(BackupError::NotEmpty(present.join(", ")));
        }
        if from_backup {
            master.store(&config.data_dir)?;
        }
        db::write_transaction(conn, |conn| {
            Ok::<_, BackupError>(tables::copy_all(&mut copy, conn)?)
        })
    })?;
    Ok(RestoreSummary {
        tables,
        backup_public_url: info.get("public_url").cloned().unwrap_or_default(),
        public_url: config.public_base(),
        master_key_from_backup: from_backup,
    })
}

/// The master key a restore uses, and whether it came from the backup.
fn master_key_for(
    config: &Config,
    info: &std::collections::BTreeMap<String, String>,
) -> Result<(MasterKey, bool), BackupError> {
    if let Some(key) = MasterKey::load_existing(config.master_key.as_ref(), &config.data_dir)? {
        return Ok((key, false));
    }
    match info.get("master_key") {
        Some(encoded) => Ok((
            MasterKey::from_base64(&SecretString::from(encoded.clone()))?,
            true,
        )),
        None => Err(BackupError::MissingMasterKey(config.data_dir.clone())),
    }
}

/// Refuses a database a newer issuer migrated, or one with migrations left.
fn up_to_date(state: &db::MigrationState) -> Result<(), BackupError> {
    let unknown = state.unknown();
    if !unknown.is_empty() {
        return Err(BackupError::Newer(unknown.join(", ")));
    }
    let pending = state.pending();
    if !pending.is_empty() {
        return Err(BackupError::Behind(pending.join(", ")));
    }
    Ok(())
}

/// Checks that `master` opens every organisation key of `conn`'s database.
fn opens_every_key(
    conn: &mut DbConnection,
    master: &MasterKey,
    expected: Option<String>,
) -> Result<(), BackupError> {
    let sealed: Vec<(String, String)> = org_keys::table
        .select((org_keys::id, org_keys::private_key_enc))
        .load(conn)?;
    let wrong = || BackupError::WrongMasterKey {
        found: master.fingerprint(),
        expected: expected.clone(),
    };
    if expected
        .as_ref()
        .is_some_and(|e| *e != master.fingerprint())
    {
        return Err(wrong());
    }
    for (id, key) in &sealed {
        master.unseal(id, key).map_err(|_| wrong())?;
    }
    Ok(())
}

/// Copies every table of a PostgreSQL database, seen in one snapshot, into
/// the fresh SQLite file `path`.
fn export_postgres(conn: &mut DbConnection, path: &Path) -> Result<(), BackupError> {
    let mut file = open_file(path)?;
    db::migrate(&mut file)?;
    conn.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
    let copied = db::write_transaction(&mut file, |file| {
        Ok::<_, BackupError>(tables::copy_all(conn, file)?)
    });
    // A read-only transaction: ending it changes nothing either way.
    conn.batch_execute(if copied.is_ok() { "COMMIT" } else { "ROLLBACK" })?;
    copied.map(|_| ())
}

/// Opens a SQLite file as a connection of our kind (no WAL: one file).
fn open_file(path: &Path) -> Result<DbConnection, BackupError> {
    let url = path.to_str().ok_or_else(|| BackupError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other("the path is not UTF-8"),
    })?;
    let mut conn = SqliteConnection::establish(url)?;
    conn.batch_execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")?;
    Ok(DbConnection::Sqlite(conn))
}

fn write_info(conn: &mut DbConnection, entries: &[(&str, String)]) -> Result<(), BackupError> {
    conn.batch_execute(
        "CREATE TABLE IF NOT EXISTS backup_info (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
    )?;
    for (key, value) in entries {
        diesel::sql_query("INSERT INTO backup_info (key, value) VALUES (?, ?)")
            .bind::<Text, _>(*key)
            .bind::<Text, _>(value)
            .execute(conn)?;
    }
    Ok(())
}

#[derive(QueryableByName)]
struct InfoRow {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Text)]
    value: String,
}

/// The `backup_info` entries of a backup, checked for format and version.
fn read_info(
    conn: &mut DbConnection,
) -> Result<std::collections::BTreeMap<String, String>, String> {
    let rows: Vec<InfoRow> = diesel::sql_query("SELECT key, value FROM backup_info")
        .load(conn)
        .map_err(|e| format!("no backup_info table ({e})"))?;
    let info: std::collections::BTreeMap<String, String> =
        rows.into_iter().map(|r| (r.key, r.value)).collect();
    if info.get("format").map(String::as_str) != Some(FORMAT) {
        return Err(format!("its format is not {FORMAT}"));
    }
    if info.get("format_version").map(String::as_str) != Some(FORMAT_VERSION) {
        return Err(format!(
            "format version {:?}; this issuer reads version {FORMAT_VERSION}",
            info.get("format_version")
        ));
    }
    Ok(info)
}

/// `FILE.partial` beside `out`: written there, renamed when complete.
fn partial_path(out: &Path) -> PathBuf {
    let mut name = out.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

/// A path as a SQL string literal.
fn sql_string(path: &Path) -> Result<String, BackupError> {
    let text = path.to_str().ok_or_else(|| BackupError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other("the path is not UTF-8"),
    })?;
    Ok(format!("'{}'", text.replace('\'', "''")))
}

/// Copies `from` to `to`, created 0600.
fn copy_private(from: &Path, to: &Path) -> Result<(), BackupError> {
    let bytes = std::fs::read(from).map_err(|source| BackupError::Io {
        path: from.to_path_buf(),
        source,
    })?;
    let io = |source| BackupError::Io {
        path: to.to_path_buf(),
        source,
    };
    private_files::create_private_file(to).map_err(io)?;
    std::fs::write(to, bytes).map_err(io)
}

fn sync(path: &Path) -> Result<(), BackupError> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|source| BackupError::Io {
            path: path.to_path_buf(),
            source,
        })
}
