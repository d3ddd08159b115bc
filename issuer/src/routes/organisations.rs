//! An organisation's administration API: profile, keys, members, audit log.
//! Every route checks the caller's membership through `Caller::require`.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::audit::{self, AuditEvent, Target};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::org_keys::{self, KeyAlgorithm, PublicKeyInfo};
use crate::orgs::{self, OrganisationView, ProfileInput};
use crate::state::AppState;
use crate::users::{self, Role};

/// Mounts `/api/v1/orgs/{slug}/*`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/orgs/{slug}", web::get().to(show))
        .route("/api/v1/orgs/{slug}", web::patch().to(update))
        .route("/api/v1/orgs/{slug}/keys", web::get().to(list_keys))
        .route(
            "/api/v1/orgs/{slug}/keys/rotate",
            web::post().to(rotate_key),
        )
        .route("/api/v1/orgs/{slug}/members", web::post().to(add_member))
        .route("/api/v1/orgs/{slug}/audit", web::get().to(audit_log));
}

async fn show(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let base = state.base();
    let view = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            Ok(OrganisationView::new(
                caller.require(conn, &slug, Role::Facilitator)?.0,
                &base,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
    body: web::Json<ProfileInput>,
) -> Result<HttpResponse, ApiError> {
    let base = state.base();
    let view = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Admin)?;
            Ok(OrganisationView::new(
                orgs::update(conn, org, body.into_inner(), caller.actor())?,
                &base,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

async fn list_keys(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let keys = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            Ok(org_keys::all(conn, &org.id)?
                .iter()
                .map(PublicKeyInfo::from)
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(keys))
}

/// Which key to rotate.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateRequest {
    /// `Ed25519` or `RS256`.
    #[schema(inline)]
    pub algorithm: KeyAlgorithm,
}

async fn rotate_key(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
    body: web::Json<RotateRequest>,
) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    let info = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Admin)?;
            let new_key = org_keys::rotate_recorded(
                conn,
                &st.master_key,
                &org.id,
                body.algorithm,
                caller.actor(),
            )?;
            Ok(PublicKeyInfo::from(&new_key))
        })
        .await?;
    Ok(HttpResponse::Created().json(info))
}

/// Adds an existing user to the organisation, or changes their role.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRequest {
    /// The user's login email.
    pub email: String,
    /// `admin` or `facilitator`.
    #[schema(inline)]
    pub role: Role,
}

async fn add_member(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
    body: web::Json<MemberRequest>,
) -> Result<HttpResponse, ApiError> {
    state
        .db
        .run(move |conn| {
            let (org, _) = caller.require(conn, &slug, Role::Admin)?;
            let user = users::by_email(conn, &body.email)?.ok_or(ApiError::NotFound("user"))?;
            crate::db::write_transaction(conn, |conn| {
                users::set_membership(conn, &user.id, &org.id, body.role)?;
                audit::record(
                    conn,
                    AuditEvent::new(
                        &org.id,
                        caller.actor(),
                        "member.set",
                        Target::User(&user.id),
                    )
                    .with_detail(Some(body.role.as_str())),
                )?;
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn audit_log(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let entries = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Admin)?;
            Ok(audit::list(conn, &org.id, 500)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(entries))
}
