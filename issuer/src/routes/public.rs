//! Public, unauthenticated documents of each organisation: its Profile, its
//! did:web DID document and its JWKS. A verifier anywhere resolves keys from
//! these alone. They change rarely, so they carry short cache headers.

use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::{web, HttpResponse};
use serde::Serialize;

use crate::error::ApiError;
use crate::state::AppState;
use crate::{org_keys, orgs};

/// Mounts the public organisation documents.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/orgs/{slug}", web::get().to(profile))
        .route("/orgs/{slug}/did.json", web::get().to(did_document))
        .route("/orgs/{slug}/jwks.json", web::get().to(jwks));
}

fn cached_json(content_type: &str, body: &impl Serialize) -> Result<HttpResponse, ApiError> {
    let body = serde_json::to_string(body)
        .map_err(|e| ApiError::internal(format!("serialising a public document: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(300),
        ]))
        .body(body))
}

async fn profile(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let base = state.base();
    let slug = slug.into_inner();
    let profile = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let org = orgs::by_slug(conn, &slug)?;
            let keys = org_keys::all(conn, &org.id)?;
            Ok(orgs::published_profile(&org, &base, &keys))
        })
        .await?;
    cached_json("application/ld+json", &profile)
}

async fn did_document(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let base = state.base();
    let slug = slug.into_inner();
    let document = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let org = orgs::by_slug(conn, &slug)?;
            let keys = org_keys::all(conn, &org.id)?;
            Ok(org_keys::did_document(
                &orgs::did(&base, &org.slug),
                &orgs::profile_id(&base, &org.slug),
                &keys,
            ))
        })
        .await?;
    cached_json("application/did+ld+json", &document)
}

async fn jwks(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slug = slug.into_inner();
    let jwks = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let org = orgs::by_slug(conn, &slug)?;
            Ok(org_keys::jwks(&org_keys::all(conn, &org.id)?))
        })
        .await?;
    cached_json("application/jwk-set+json", &jwks)
}
