//! The verifier HTTP service (`verifier serve`): a page where an employer
//! drops, pastes or links a badge and reads in plain words whether it is
//! authentic, by whom it was issued, for what and to whom; the same report
//! as JSON for programs; baked images and printable certificates for
//! beneficiaries.
//!
//! Routes (contracts in `docs/VERIFIER-SERVICE.md`):
//!
//! - `GET /healthz`: `{"status":"ok"}`.
//! - `GET /`: the form (works without JavaScript).
//! - `POST /verify` (raw body or form), `GET /verify?url=`: the report as
//!   JSON (`Accept: application/json`, the `verifier verify --json` object
//!   plus `revocationReason`) or the result page.
//! - `GET /bake?url=&format=`, `POST /bake?format=`: the baked PNG or SVG.
//! - `GET /certificate?url=`: the printable A4 certificate.
//!
//! The service keeps nothing: no database, no session, no cookie. Whatever
//! it fetches goes through the guarded client of [`crate::net`]. Every
//! response carries the security headers of `headers`.
//!
//! This module only wires ([`app`], [`serve`]) and re-exports; what the
//! handlers share is `state` (`AppState`, `MAX_BODY_BYTES`), and no child
//! imports a sibling that imports it back (docs/ARCHITECTURE.md, "Layers";
//! `tests/it/module_cycles.rs` checks it).

mod badge;
mod config;
mod download;
mod fetch;
mod headers;
mod pages;
mod problem;
mod query;
mod request;
mod routes;
mod slots;
mod state;
mod trust;
mod ui;
mod verdict;
mod verify;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{middleware, web, App, HttpServer};

pub use config::{Config, ConfigError, ServeArgs, DEFAULT_BIND, DEFAULT_BODY_READ_TIMEOUT};
pub use headers::CONTENT_SECURITY_POLICY;
pub use problem::{Problem, ServiceError};
pub use slots::{BakeSlot, BakeSlots, BAKE_RETRY_AFTER_SECONDS, MAX_CONCURRENT_BAKES};
pub use state::{AppState, MAX_BODY_BYTES};
pub use trust::{TrustRegistry, TrustedIssuer};

/// The longest the request line and headers may take to arrive.
pub const HEAD_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The application: every route, the shared state and the middleware
/// (body limit, security headers, log). The server and the tests both use
/// it.
pub fn app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(web::Data::new(state))
        // Bodies are read by the handlers under MAX_BODY_BYTES; this bounds
        // any extractor that would read one on its own.
        .app_data(web::PayloadConfig::default().limit(MAX_BODY_BYTES))
        .configure(routes::configure)
        .wrap(middleware::from_fn(headers::guard))
}

/// Runs the service until it is stopped (Ctrl-C or SIGTERM).
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let bind = config.bind;
    tracing::info!(
        %bind,
        public_url = %config.public_url,
        allow_private = config.allow_private,
        trusted_issuers = config.trust_registry.as_ref().map_or(0, |r| r.issuers.len()),
        "verifier listening"
    );
    let state = AppState::new(config);
    HttpServer::new(move || app(state.clone()))
        // The request line and headers must arrive within 5 s (actix's
        // default, stated); the body has its own timeout in the handlers.
        .client_request_timeout(HEAD_READ_TIMEOUT)
        .client_disconnect_timeout(std::time::Duration::from_secs(1))
        .keep_alive(std::time::Duration::from_secs(5))
        .bind(bind)
        .map_err(|e| anyhow::anyhow!("cannot listen on {bind}: {e}"))?
        .run()
        .await?;
    Ok(())
}
