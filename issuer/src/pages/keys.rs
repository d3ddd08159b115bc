//! Key rotation for admins: the organisation's signing keys, and a button
//! per algorithm that replaces the active key (the retired one stays
//! published, so badges signed earlier keep verifying).

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::error::ApiError;
use crate::org_keys::{self, KeyAlgorithm};
use crate::pages::parts::OrgHeading;
use crate::pages::session::PageUser;
use crate::pages::{render, see_other, PageError, Ui};
use crate::state::AppState;
use crate::users::Role;

/// Mounts the key pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/{slug}/keys", web::get().to(index))
        .route("/app/{slug}/keys/rotate", web::post().to(rotate));
}

/// A key as listed.
pub struct KeyItem {
    /// Key id.
    pub id: String,
    /// `Ed25519` or `RS256`.
    pub algorithm: String,
    /// Whether it signs new badges.
    pub active: bool,
    /// Created, Unix seconds.
    pub created_at: i64,
    /// Retired, Unix seconds.
    pub retired_at: Option<i64>,
}

#[derive(Template)]
#[template(path = "keys.html")]
struct KeysPage {
    ui: Ui,
    org: OrgHeading,
    keys: Vec<KeyItem>,
    rotated: bool,
}

#[derive(Deserialize)]
struct KeysQuery {
    rotated: Option<String>,
}

async fn index(
    state: web::Data<AppState>,
    user: PageUser,
    slug: web::Path<String>,
    query: web::Query<KeysQuery>,
) -> Result<HttpResponse, PageError> {
    let viewer = user.clone();
    let (org, keys) = state
        .db
        .run(move |conn| {
            let (org, role) = viewer.require(conn, &slug, Role::Admin)?;
            let keys = org_keys::all(conn, &org.id)?
                .into_iter()
                .map(|k| KeyItem {
                    active: k.retired_at.is_none(),
                    id: k.id,
                    algorithm: k.algorithm,
                    created_at: k.created_at,
                    retired_at: k.retired_at,
                })
                .collect();
            Ok((OrgHeading::new(&org, role), keys))
        })
        .await
        .map_err(|e| user.error(e))?;
    render(&KeysPage {
        ui: user.ui(),
        org,
        keys,
        rotated: query.rotated.is_some(),
    })
}

#[derive(Deserialize)]
struct RotateForm {
    csrf: String,
    algorithm: String,
}

async fn rotate(
    state: web::Data<AppState>,
    user: PageUser,
    slug: web::Path<String>,
    posted: web::Form<RotateForm>,
) -> Result<HttpResponse, PageError> {
    user.check_csrf(&posted.csrf)?;
    let algorithm = KeyAlgorithm::parse(&posted.algorithm).ok_or_else(|| {
        user.error(crate::error::ApiError::bad_request(
            crate::error::ErrorCode::InvalidAlgorithm,
            "algorithm: Ed25519 or RS256",
        ))
    })?;
    let slug = slug.into_inner();
    let viewer = user.clone();
    let st = state.clone();
    let org_slug = slug.clone();
    state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = viewer.require(conn, &org_slug, Role::Admin)?;
            let master = &st.master_key;
            Ok(org_keys::rotate_recorded(
                conn,
                master,
                &org.id,
                algorithm,
                viewer.actor(),
            )?)
        })
        .await
        .map_err(|e| user.error(e))?;
    Ok(see_other(&format!("/app/{slug}/keys?rotated=1")))
}
