//! The Open Badges 3.0 issuer: organisations and their keys, users and
//! permissions, achievements, awards, revocation lists, storage on SQLite or
//! PostgreSQL, the HTTP service and the `issuer` command line.
//!
//! Layout: [`config`] (the only reader of the environment), [`db`] (diesel,
//! both backends), [`error`] (the one `ApiError`), [`master_key`] (private
//! keys sealed at rest), domain modules ([`orgs`], [`org_keys`], [`users`],
//! [`audit`]) working on a `&mut DbConnection`, the state every handler
//! shares in [`state`], HTTP handlers in [`routes`] and [`pages`], and [`app`]
//! wiring them together (docs/ARCHITECTURE.md, "Layers").

// Tests may unwrap: a panic there is a failing test, with its message.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod accept;
pub mod achievements;
pub mod app;
pub mod audit;
pub mod auth;
pub mod awards;
pub mod backup;
pub mod cli;
pub mod config;
pub mod db;
pub mod delivery;
pub mod error;
pub mod frameworks;
pub mod i18n;
pub mod ids;
pub mod images;
pub mod mailer;
pub mod master_key;
pub mod metrics;
pub mod networks;
pub mod openapi;
pub mod org_keys;
pub mod orgs;
pub mod pages;
pub mod private_files;
pub mod routes;
pub mod state;
pub mod status_list;
pub mod text;
pub mod throttle;
pub mod time;
pub mod users;
pub mod workshops;
