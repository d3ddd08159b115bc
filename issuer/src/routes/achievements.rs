//! Achievements API (per organisation), the public Achievement documents,
//! and the competence frameworks to align to.

use actix_web::{web, HttpResponse};

use crate::achievements::{self, AchievementInput};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::frameworks;
use crate::ids::AchievementId;
use crate::orgs;
use crate::state::AppState;
use crate::users::Role;

/// Mounts the achievement routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/frameworks/digcomp-2.2", web::get().to(digcomp))
        .route("/api/v1/orgs/{slug}/achievements", web::get().to(list))
        .route("/api/v1/orgs/{slug}/achievements", web::post().to(create))
        .route("/api/v1/orgs/{slug}/achievements/{id}", web::get().to(show))
        .route(
            "/api/v1/orgs/{slug}/achievements/{id}",
            web::put().to(update),
        )
        .route("/achievements/{version_id}", web::get().to(public));
}

async fn digcomp() -> Result<HttpResponse, ApiError> {
    let framework =
        frameworks::digcomp().ok_or_else(|| ApiError::internal("DigComp data unreadable"))?;
    Ok(HttpResponse::Ok().json(framework))
}

async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let base = state.base();
    let views = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            let creator = orgs::did(&base, &org.slug);
            Ok(achievements::list(conn, &org.id)?
                .iter()
                .map(|v| achievements::view(v, &base, &creator))
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(views))
}

async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
    body: web::Json<AchievementInput>,
) -> Result<HttpResponse, ApiError> {
    let base = state.base();
    let view = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            let version = achievements::create(conn, &org.id, body.into_inner(), caller.actor())?;
            Ok(achievements::view(
                &version,
                &base,
                &orgs::did(&base, &org.slug),
            ))
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

async fn show(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, AchievementId)>,
) -> Result<HttpResponse, ApiError> {
    let base = state.base();
    let (slug, id) = path.into_inner();
    let view = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            let version = achievements::current(conn, &org.id, &id)?;
            Ok(achievements::view(
                &version,
                &base,
                &orgs::did(&base, &org.slug),
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, AchievementId)>,
    body: web::Json<AchievementInput>,
) -> Result<HttpResponse, ApiError> {
    let base = state.base();
    let (slug, id) = path.into_inner();
    let view = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            let version =
                achievements::update(conn, &org.id, &id, body.into_inner(), caller.actor())?;
            Ok(achievements::view(
                &version,
                &base,
                &orgs::did(&base, &org.slug),
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

async fn public(
    state: web::Data<AppState>,
    version_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let base = state.base();
    let achievement = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (version, org_id) = achievements::version(conn, &version_id)?;
            let org = orgs::by_ids(conn, &[org_id])?
                .into_iter()
                .next()
                .ok_or(ApiError::NotFound("organisation"))?;
            let mut achievement =
                achievements::achievement(&version, &base, &orgs::did(&base, &org.slug));
            // Published on its own, the Achievement names its contexts (last,
            // as it always has).
            achievement
                .extra
                .insert("@context".into(), serde_json::json!(orgs::OB_CONTEXTS));
            Ok(achievement)
        })
        .await?;
    Ok(HttpResponse::Ok().content_type("application/ld+json").body(
        serde_json::to_string(&achievement)
            .map_err(|e| ApiError::internal(format!("serialising an achievement: {e}")))?,
    ))
}
