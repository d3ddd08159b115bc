//! The connection enum over both backends.
//!
//! Kept in its own module because `derive(MultiConnection)` generates public
//! items (the `MultiBackend` type and its helpers) without documentation.
#![allow(missing_docs)]

use diesel::{PgConnection, SqliteConnection};

/// A connection to either backend; queries are written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// SQLite, the default: a file under the data directory.
    Sqlite(SqliteConnection),
    /// PostgreSQL, for larger deployments.
    Postgres(PgConnection),
}
