//! HTTP handlers. Each extracts, calls a domain function through
//! `Database::run`, and maps the result.
//!
//! - `/healthz`, `/openapi.json`: [`meta`]
//! - `/orgs/{slug}`, `/orgs/{slug}/did.json`, `/orgs/{slug}/jwks.json`: [`public`]
//! - `/api/v1/auth/*`, `/api/v1/me`, `/api/v1/tokens`: [`account`]
//! - `/api/v1/orgs/{slug}/*`: [`organisations`], [`achievements`], [`awards`]
//! - `/api/v1/orgs/{slug}/workshops*`: [`workshops`]
//! - `/api/v1/orgs/{slug}/images`, `/images/{id}.png`: [`images`]
//! - `/credentials/{token}`, `/orgs/{slug}/status/{list}`: [`credentials`]

pub mod account;
pub mod achievements;
pub mod awards;
pub mod credentials;
pub mod images;
pub mod meta;
pub mod organisations;
pub mod public;
pub mod workshops;

use actix_web::web;

/// Mounts every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    // The routes are tried in this order, each with a pattern match: the
    // documents verifiers ask at every verification (status lists, profiles,
    // DID documents) come first. No other route matches their paths.
    credentials::configure(cfg);
    public::configure(cfg);
    meta::configure(cfg);
    account::configure(cfg);
    achievements::configure(cfg);
    awards::configure(cfg);
    images::configure(cfg);
    organisations::configure(cfg);
    workshops::configure(cfg);
}
