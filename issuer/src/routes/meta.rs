//! Service endpoints: readiness, the OpenAPI document and the metrics.

use actix_web::{web, HttpRequest, HttpResponse};
use secrecy::ExposeSecret;
use serde::Serialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::ApiError;
use crate::state::AppState;

/// Mounts `/healthz`, `/openapi.json` and `/metrics`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/openapi.json", web::get().to(openapi))
        .route("/metrics", web::get().to(metrics));
}

/// The counters of [`crate::metrics`], for a monitoring system holding
/// `ISSUER_METRICS_TOKEN` as a bearer token: 404 when no token is
/// configured (as for any unknown path), 401 without the right one.
async fn metrics(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let Some(expected) = &state.config.metrics_token else {
        return Err(ApiError::NotFound("route"));
    };
    let given = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Both sides hashed first: equal lengths, so the comparison's time says
    // nothing about the token, not even its length.
    let matches: bool = Sha256::digest(given.trim().as_bytes())
        .ct_eq(&Sha256::digest(expected.expose_secret().as_bytes()))
        .into();
    if !matches {
        let mut refused = actix_web::ResponseError::error_response(&ApiError::Unauthenticated);
        refused.headers_mut().insert(
            actix_web::http::header::WWW_AUTHENTICATE,
            actix_web::http::header::HeaderValue::from_static("Bearer realm=\"metrics\""),
        );
        return Ok(refused);
    }
    Ok(HttpResponse::Ok()
        .content_type(crate::metrics::CONTENT_TYPE)
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(state.metrics.render()))
}

/// The answer of `GET /healthz`. Not among the OpenAPI document's
/// components: this module serves `crate::openapi`, which naming a type of
/// this module would make the two import each other.
#[derive(Debug, Serialize)]
struct Health {
    /// `ok`: the database answers.
    status: &'static str,
}

/// 200 once the database answers.
async fn healthz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state
        .db
        .run(|conn| -> Result<_, ApiError> {
            use diesel::RunQueryDsl;
            diesel::sql_query("SELECT 1").execute(conn)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok().json(Health { status: "ok" }))
}

async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(crate::openapi::DOCUMENT)
}
