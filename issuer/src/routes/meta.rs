//! Service endpoints: readiness and the OpenAPI document.

use actix_web::{web, HttpResponse};

use crate::app::AppState;
use crate::error::ApiError;

/// The OpenAPI 3 document, written by hand next to the routes it describes.
pub const OPENAPI: &str = include_str!("../../openapi.json");

/// Mounts `/healthz` and `/openapi.json`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/openapi.json", web::get().to(openapi));
}

/// 200 once the database answers.
async fn healthz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state
        .db
        .run(|conn| {
            use diesel::RunQueryDsl;
            diesel::sql_query("SELECT 1").execute(conn)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"status": "ok"})))
}

async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(OPENAPI)
}
