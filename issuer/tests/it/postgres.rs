//! Fresh PostgreSQL databases, one per test or bench run, dropped after it.
//!
//! One file for every user: the issuer's test harness (`support`, in the
//! `it` and `leaks` binaries), its `scale` bench and the cross-service tests
//! include it with `#[path]`, so that creating and dropping a database is
//! written once.

// Each includer uses part of this file (the bench names its own variable,
// the cross-service tests never print why they skip).
#![allow(dead_code)]

use diesel::{Connection, PgConnection, RunQueryDsl};

/// Environment variable naming a PostgreSQL server for the database tests.
pub const POSTGRES_ENV: &str = "ISSUER_TEST_POSTGRES_URL";

/// The server URL in `variable`, when it is set and not empty.
pub fn admin_url(variable: &str) -> Option<String> {
    std::env::var(variable).ok().filter(|v| !v.is_empty())
}

/// A fresh PostgreSQL database, dropped with this guard.
pub struct PgDatabase {
    admin_url: String,
    name: String,
    /// URL of the fresh database.
    pub url: String,
}

impl PgDatabase {
    /// A fresh test database on the server of `ISSUER_TEST_POSTGRES_URL`, or
    /// `None` (printing why) when that variable is not set.
    pub fn create() -> Option<Self> {
        let Some(admin_url) = admin_url(POSTGRES_ENV) else {
            println!("skipped: {POSTGRES_ENV} not set");
            return None;
        };
        Some(Self::on(&admin_url, "issuer_test"))
    }

    /// A fresh database on the server at `admin_url`, named `<prefix>_<id>`.
    pub fn on(admin_url: &str, prefix: &str) -> Self {
        let name = format!("{prefix}_{}", issuer::time::new_id().replace('-', ""));
        let mut admin = PgConnection::establish(admin_url).expect("connect to PostgreSQL");
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .expect("create the database");
        let mut url = url::Url::parse(admin_url).expect("the PostgreSQL URL is a URL");
        url.set_path(&name);
        Self {
            admin_url: admin_url.to_owned(),
            name,
            url: url.to_string(),
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.admin_url) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut admin);
        }
    }
}
