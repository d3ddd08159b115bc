//! Throttles kept in the database: they hold across instances sharing it and
//! across restarts, and no amount of traffic flushes them.
//!
//! A throttle counts hits on a key (`claim:client:203.0.113.7`,
//! `login:account:marie@example.fr`...) in fixed windows: the first hit
//! after a window has ended opens a new one. [`hit`] adds a hit and returns
//! the count in one statement (`INSERT ... ON CONFLICT DO UPDATE ...
//! RETURNING`), so two instances, or fifty parallel requests, cannot both
//! read "4 of 5" and both go ahead: callers count an attempt *before* doing
//! it and give it back with [`refund`] when it turns out legitimate.
//!
//! Rows of ended windows are purged now and then by [`hit`] itself.
//!
//! Client addresses come from [`client`]: the peer's address, or, behind a
//! configured trusted proxy, the address the proxy reports.

pub mod client;
pub mod ranges;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::db::schema::throttles;
use crate::db::DbConnection;

/// At most `max` hits per `window_seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Hits allowed in a window.
    pub max: i64,
    /// Window length, in seconds.
    pub window_seconds: i64,
}

#[derive(QueryableByName)]
struct Hits {
    #[diesel(sql_type = BigInt)]
    hits: i64,
}

const UPSERT_SQLITE: &str = "INSERT INTO throttles (key, window_start, hits) VALUES (?, ?, 1) \
     ON CONFLICT (key) DO UPDATE SET \
     hits = CASE WHEN throttles.window_start <= ? THEN 1 ELSE throttles.hits + 1 END, \
     window_start = CASE WHEN throttles.window_start <= ? THEN excluded.window_start \
     ELSE throttles.window_start END \
     RETURNING hits";
const UPSERT_POSTGRES: &str = "INSERT INTO throttles (key, window_start, hits) VALUES ($1, $2, 1) \
     ON CONFLICT (key) DO UPDATE SET \
     hits = CASE WHEN throttles.window_start <= $3 THEN 1 ELSE throttles.hits + 1 END, \
     window_start = CASE WHEN throttles.window_start <= $4 THEN excluded.window_start \
     ELSE throttles.window_start END \
     RETURNING hits";

/// Counts one hit on `key` at `now` and returns the hits of its current
/// window, this one included. Atomic: concurrent hits each get their own count.
pub fn hit(conn: &mut DbConnection, key: &str, limit: Limit, now: i64) -> QueryResult<i64> {
    let ended = now - limit.window_seconds;
    let hits = match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(UPSERT_SQLITE)
            .bind::<Text, _>(key)
            .bind::<BigInt, _>(now)
            .bind::<BigInt, _>(ended)
            .bind::<BigInt, _>(ended)
            .get_result::<Hits>(c)?,
        DbConnection::Postgres(c) => diesel::sql_query(UPSERT_POSTGRES)
            .bind::<Text, _>(key)
            .bind::<BigInt, _>(now)
            .bind::<BigInt, _>(ended)
            .bind::<BigInt, _>(ended)
            .get_result::<Hits>(c)?,
    };
    // Rows of ended windows are of no use: purge them about once in a
    // hundred hits, so that the table stays as small as the live windows.
    if rand::random::<u8>() < 3 {
        purge(conn, now - MAX_WINDOW_SECONDS)?;
    }
    Ok(hits.hits)
}

/// The longest window any throttle of the issuer uses: rows that started
/// before `now - MAX_WINDOW_SECONDS` have ended for every caller.
pub const MAX_WINDOW_SECONDS: i64 = 24 * 3600;

/// The hits of `key`'s current window, without counting one.
pub fn hits(conn: &mut DbConnection, key: &str, limit: Limit, now: i64) -> QueryResult<i64> {
    let found: Option<i64> = throttles::table
        .find(key)
        .filter(throttles::window_start.gt(now - limit.window_seconds))
        .select(throttles::hits)
        .first(conn)
        .optional()?;
    Ok(found.unwrap_or(0))
}

/// Gives back one hit on `key` (an attempt that turned out legitimate).
pub fn refund(conn: &mut DbConnection, key: &str) -> QueryResult<()> {
    diesel::update(throttles::table.find(key).filter(throttles::hits.gt(0)))
        .set(throttles::hits.eq(throttles::hits - 1))
        .execute(conn)?;
    Ok(())
}

/// Forgets `key` (a successful login clears its account's failures).
pub fn clear(conn: &mut DbConnection, key: &str) -> QueryResult<()> {
    diesel::delete(throttles::table.find(key)).execute(conn)?;
    Ok(())
}

/// Deletes the rows whose window started at or before `before`.
pub fn purge(conn: &mut DbConnection, before: i64) -> QueryResult<usize> {
    diesel::delete(throttles::table.filter(throttles::window_start.le(before))).execute(conn)
}
