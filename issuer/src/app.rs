//! The HTTP application's wiring: every route and page mounted with its
//! size limits ([`configure`]), the middleware around them
//! ([`application`]) and the server ([`serve`]). The state the handlers
//! share is [`crate::state`]; nothing below this module refers to it.

use actix_web::web;

use crate::error::{json_error, path_error, query_error};
use crate::routes;
use crate::state::AppState;

/// Largest JSON body accepted by any route.
pub const JSON_LIMIT: usize = 256 * 1024;
/// Largest raw body (uploads, CSV) accepted by any route.
pub const PAYLOAD_LIMIT: usize = 4 * 1024 * 1024;

/// Mounts every route, the shared state (and its metrics on their own, for
/// [`crate::metrics::observe`]) and the input limits.
pub fn configure(cfg: &mut web::ServiceConfig, state: AppState) {
    cfg.app_data(web::Data::from(state.metrics.clone()))
        .app_data(web::Data::new(state))
        .app_data(
            web::JsonConfig::default()
                .limit(JSON_LIMIT)
                .error_handler(json_error),
        )
        .app_data(web::PayloadConfig::default().limit(PAYLOAD_LIMIT))
        .app_data(web::QueryConfig::default().error_handler(query_error))
        .app_data(web::PathConfig::default().error_handler(path_error))
        .configure(routes::configure)
        .configure(crate::pages::configure)
        .default_service(web::to(unknown_route));
}

async fn unknown_route() -> Result<actix_web::HttpResponse, crate::error::ApiError> {
    Err(crate::error::ApiError::NotFound("route"))
}

/// `Strict-Transport-Security` sent when the public URL is https: browsers
/// then refuse plain http to this host for a year (not to its subdomains,
/// which may be other services of the association).
pub const HSTS: &str = "max-age=31536000";

/// The application the server runs and the tests call: the routes
/// ([`configure`]) behind the middleware every response passes (error pages
/// for browsers: [`crate::pages::error_pages`]; latency and throttle counts
/// for `/metrics`; HSTS when the public URL is https; compression).
pub fn application(
    state: AppState,
) -> actix_web::App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    use actix_web::middleware::{from_fn, Compress, Condition, DefaultHeaders};
    let https = state.config.secure_cookies();
    actix_web::App::new()
        // Innermost: the error pages are compressed like any page.
        .wrap(from_fn(crate::pages::error_pages::html_errors))
        .wrap(from_fn(crate::metrics::observe))
        .wrap(Compress::default())
        .wrap(Condition::new(
            https,
            DefaultHeaders::new().add((actix_web::http::header::STRICT_TRANSPORT_SECURITY, HSTS)),
        ))
        .configure(move |cfg| configure(cfg, state))
}

/// Runs the HTTP server until it is stopped.
pub async fn serve(state: AppState) -> anyhow::Result<()> {
    let bind = state.config.bind;
    tracing::info!(%bind, base = %state.base(), "issuer listening");
    actix_web::HttpServer::new(move || application(state.clone()))
        .bind(bind)?
        .run()
        .await?;
    Ok(())
}
