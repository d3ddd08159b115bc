//! The caller's own account: password login and logout, who am I, API tokens.

use actix_web::{web, HttpRequest, HttpResponse};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::auth::{self, Caller, SESSION_COOKIE};
use crate::error::ApiError;
use crate::ids::OrgId;
use crate::state::AppState;
use crate::throttle::client::ClientAddress;
use crate::{orgs, users};

/// Mounts `/api/v1/auth/*`, `/api/v1/me` and `/api/v1/tokens`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/auth/login", web::post().to(login))
        .route("/api/v1/auth/logout", web::post().to(logout))
        .route("/api/v1/me", web::get().to(me))
        .route("/api/v1/tokens", web::get().to(list_tokens))
        .route("/api/v1/tokens", web::post().to(create_token))
        .route("/api/v1/tokens/{id}", web::delete().to(revoke_token));
}

/// Login request body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Account email.
    pub email: String,
    /// Password.
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
}

/// Answer to a successful login; the session itself is in the cookie.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LoginResponse {
    /// The user id.
    pub user_id: String,
    /// Send back in `X-CSRF-Token` on every state-changing request.
    pub csrf_token: String,
}

async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let st = state.clone();
    let client = ClientAddress::of(&req, &state.config);
    let (user, session) = state
        .db
        .run(move |conn| auth::login(conn, &st.config, &client, &body.email, &body.password))
        .await?;
    Ok(HttpResponse::Ok()
        .cookie(auth::session_cookie(&state.config, session.token))
        .json(LoginResponse {
            user_id: user.id,
            csrf_token: session.csrf_token,
        }))
}

async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    _caller: Caller,
) -> Result<HttpResponse, ApiError> {
    if let Some(cookie) = req.cookie(SESSION_COOKIE) {
        let value = cookie.value().to_owned();
        state
            .db
            .run(move |conn| Ok::<_, ApiError>(auth::logout(conn, &value)?))
            .await?;
    }
    let mut removal = auth::session_cookie(&state.config, String::new());
    removal.make_removal();
    Ok(HttpResponse::NoContent().cookie(removal).finish())
}

/// The caller and their organisations.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MeResponse {
    /// User id.
    pub id: String,
    /// Login email.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Organisations and roles.
    pub organisations: Vec<MembershipView>,
}

/// One membership of the caller.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MembershipView {
    /// Organisation slug.
    pub slug: String,
    /// Organisation name.
    pub name: String,
    /// `admin` or `facilitator`.
    pub role: String,
}

async fn me(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let me = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let user = users::by_id(conn, &caller.user_id)?;
            let memberships = users::memberships_of(conn, &user.id)?;
            let ids: Vec<OrgId> = memberships.iter().map(|m| m.org_id.clone()).collect();
            let organisations = orgs::by_ids(conn, &ids)?
                .into_iter()
                .filter_map(|org| {
                    let role = memberships
                        .iter()
                        .find(|m| m.org_id == org.id)?
                        .role
                        .clone();
                    Some(MembershipView {
                        slug: org.slug.into_string(),
                        name: org.name,
                        role,
                    })
                })
                .collect();
            Ok(MeResponse {
                id: user.id,
                email: user.email,
                display_name: user.display_name,
                organisations,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(me))
}

/// Request to create an API token.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTokenRequest {
    /// A label, to recognise the token later.
    pub name: String,
}

/// A created token: the only time it is shown.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    /// Token id, to revoke it.
    pub id: String,
    /// The token, for `Authorization: Bearer`. Not retrievable later.
    pub token: String,
}

async fn create_token(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<CreateTokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, token) = state
        .db
        .run(move |conn| auth::create_token(conn, &caller.user_id, &body.name))
        .await?;
    Ok(HttpResponse::Created().json(CreatedToken { id, token }))
}

async fn list_tokens(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let tokens = state
        .db
        .run(move |conn| Ok::<_, ApiError>(auth::list_tokens(conn, &caller.user_id)?))
        .await?;
    Ok(HttpResponse::Ok().json(tokens))
}

async fn revoke_token(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state
        .db
        .run(move |conn| auth::revoke_token(conn, &caller.user_id, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
