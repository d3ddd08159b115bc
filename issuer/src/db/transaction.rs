//! Write transactions that wait for the lock instead of failing.
//!
//! On SQLite in WAL mode a deferred transaction (`BEGIN`) that first reads and
//! then writes fails at once with `SQLITE_BUSY` ("database is locked") when
//! another connection committed after its read: its snapshot is stale, and
//! `busy_timeout` cannot help. `BEGIN IMMEDIATE` takes the write lock first,
//! waiting up to `busy_timeout`, so every write transaction here starts that
//! way. PostgreSQL keeps its ordinary `BEGIN` (row locks and unique
//! constraints settle its races).

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::result::Error as DieselError;
use diesel::Connection;

use super::DbConnection;

/// Runs `f` in a transaction that may write: committed if `f` returns `Ok`,
/// rolled back otherwise. On SQLite it begins with `BEGIN IMMEDIATE`. Inside
/// an open transaction it is a savepoint, as `Connection::transaction` is.
///
/// Keep CPU work (signing) out of `f`: on SQLite the whole database is locked
/// for writers until `f` returns.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<DieselError>,
{
    let DbConnection::Sqlite(sqlite) = conn else {
        return conn.transaction(f);
    };
    match AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE") {
        Ok(()) => {}
        // Already in a transaction: the write lock was taken when it began
        // (or it was not, and the savepoint cannot change that).
        Err(DieselError::AlreadyInTransaction) => return conn.transaction(f),
        Err(e) => return Err(e.into()),
    }
    // From here the transaction is tracked by the SQLite connection's own
    // manager, which `DbConnection`'s delegates to.
    match f(conn) {
        Ok(value) => {
            <DbConnection as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => {
            match <DbConnection as Connection>::TransactionManager::rollback_transaction(conn) {
                // The caller's error says more than a broken manager.
                Ok(()) | Err(DieselError::BrokenTransactionManager) => Err(error),
                Err(rollback) => Err(rollback.into()),
            }
        }
    }
}
