//! Authentication: login sessions, API tokens, login throttling, and the
//! [`Caller`] extractor that enforces organisation membership.
//!
//! Session ids and API tokens are random 256-bit values; only their SHA-256
//! is stored, so a database leak does not yield usable credentials. A
//! session cookie is `HttpOnly`, `SameSite=Lax`, and `Secure` when the public
//! URL is https. Requests authenticated by cookie that change state must carry
//! the session's CSRF token in `X-CSRF-Token`; bearer-token requests need not
//! (a browser never adds that header on its own).

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{web, FromRequest, HttpRequest};
use diesel::prelude::*;
use secrecy::SecretString;
use serde::Serialize;

use crate::audit::Actor;
use crate::config::Config;
use crate::db::schema::{api_tokens, sessions};
use crate::db::{DbConnection, DbError};
use crate::error::ApiError;
use crate::orgs::{self, Organisation};
use crate::state::AppState;
use crate::text::TextError;
use crate::throttle::client::ClientAddress;
use crate::throttle::{self, Limit};
use crate::time::{new_id, now, random_token, rfc3339, sha256_hex};
use crate::users::{self, Role, User};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "issuer_session";
/// Header carrying the CSRF token on cookie-authenticated writes.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Prefix of API tokens, so they are recognisable in secret scanners.
pub const TOKEN_PREFIX: &str = "obi_";

/// How the caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    /// A session cookie from a password login.
    Session,
    /// An API token in `Authorization: Bearer`.
    Token,
}

/// An authenticated user, extracted from the session cookie or bearer token.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user.
    pub user_id: String,
    /// How they authenticated.
    pub method: AuthMethod,
}

/// Why a session or an API token could not be opened, found or revoked. The
/// extractor ([`Caller`]) answers [`ApiError`] itself; these are the domain's.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// No live session or API token matches.
    #[error("authentication required")]
    Unauthenticated,
    /// Too many login attempts: a throttle is over its limit.
    #[error("too many attempts, retry later")]
    Throttled,
    /// The e-mail is unknown or the password wrong (which, is not said).
    #[error("wrong email or password")]
    InvalidCredentials,
    /// An API token's name is empty or longer than 100 characters.
    #[error("name: 1 to 100 characters")]
    InvalidTokenName,
    /// The caller has no live token with this id.
    #[error("token not found")]
    TokenNotFound,
    /// A text field holds a control character.
    #[error(transparent)]
    Text(#[from] TextError),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for AuthError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Database(e.into())
    }
}

impl Caller {
    /// The caller as the audit log records them.
    pub fn actor(&self) -> Actor<'_> {
        Actor::user(&self.user_id)
    }

    /// The organisation `slug` if the caller holds at least `min` there.
    /// Non-members get 404, as if it did not exist: ids of other
    /// organisations are neither confirmed nor readable.
    pub fn require(
        &self,
        conn: &mut DbConnection,
        slug: &str,
        min: Role,
    ) -> Result<(Organisation, Role), ApiError> {
        let org = orgs::by_slug(conn, slug)?;
        match users::role_in(conn, &self.user_id, &org.id)? {
            Some(role) if role >= min => Ok((org, role)),
            Some(_) => Err(ApiError::Forbidden(format!(
                "requires the {} role",
                min.as_str()
            ))),
            None => Err(ApiError::NotFound("organisation")),
        }
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(&req).await })
    }
}

async fn authenticate(req: &HttpRequest) -> Result<Caller, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal("state missing"))?
        .clone();
    if let Some(token) = bearer_token(req)? {
        let hash = sha256_hex(&token);
        let user_id = state.db.run(move |conn| token_user(conn, &hash)).await?;
        return Ok(Caller {
            user_id,
            method: AuthMethod::Token,
        });
    }
    let cookie = req
        .cookie(SESSION_COOKIE)
        .ok_or(ApiError::Unauthenticated)?;
    let hash = sha256_hex(cookie.value());
    let (user_id, csrf) = state.db.run(move |conn| session_user(conn, &hash)).await?;
    if !req.method().is_safe() {
        let sent = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !constant_time_eq(sent.as_bytes(), csrf.as_bytes()) {
            return Err(ApiError::Forbidden(
                "missing or wrong CSRF token (X-CSRF-Token)".into(),
            ));
        }
    }
    Ok(Caller {
        user_id,
        method: AuthMethod::Session,
    })
}

fn bearer_token(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(actix_web::http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ApiError::Unauthenticated)?;
    match value.strip_prefix("Bearer ") {
        Some(token) if token.starts_with(TOKEN_PREFIX) && token.len() < 200 => {
            Ok(Some(token.to_owned()))
        }
        _ => Err(ApiError::Unauthenticated),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn token_user(conn: &mut DbConnection, hash: &str) -> Result<String, AuthError> {
    api_tokens::table
        .filter(api_tokens::token_hash.eq(hash))
        .filter(api_tokens::revoked_at.is_null())
        .select(api_tokens::user_id)
        .first(conn)
        .optional()?
        .ok_or(AuthError::Unauthenticated)
}

/// The user id and CSRF token of the live session whose cookie value is
/// `cookie_value`; [`AuthError::Unauthenticated`] when there is none.
pub fn session_of(
    conn: &mut DbConnection,
    cookie_value: &str,
) -> Result<(String, String), AuthError> {
    session_user(conn, &sha256_hex(cookie_value))
}

/// Whether two secrets are equal, in time independent of where they differ.
pub fn secrets_equal(a: &str, b: &str) -> bool {
    constant_time_eq(a.as_bytes(), b.as_bytes())
}

fn session_user(conn: &mut DbConnection, hash: &str) -> Result<(String, String), AuthError> {
    sessions::table
        .find(hash)
        .filter(sessions::expires_at.gt(now()))
        .select((sessions::user_id, sessions::csrf_token))
        .first(conn)
        .optional()?
        .ok_or(AuthError::Unauthenticated)
}

/// A new session: the cookie value (returned once) and its CSRF token.
pub struct NewSession {
    /// Cookie value; only its hash is stored.
    pub token: String,
    /// CSRF token to send back in `X-CSRF-Token`.
    pub csrf_token: String,
}

/// The throttles a login attempt at `email` from `client` counts against:
/// the account from this client ([`Config::login_max_failures`]), the client
/// across accounts and its network (password spraying), and the account from
/// everywhere (ten times the first: a distributed attack). Someone guessing
/// from one address locks out that address, not the account's owner.
/// Accounts are named by a hash of the e-mail.
fn login_limits(config: &Config, email: &str, client: &ClientAddress) -> [(String, Limit); 4] {
    let window_seconds = config.login_window_seconds;
    let limit = |max: i64| Limit {
        max,
        window_seconds,
    };
    let account = &sha256_hex(email)[..32];
    [
        (
            format!("login:account-client:{account}:{}", client.key()),
            limit(config.login_max_failures),
        ),
        (
            format!("login:client:{}", client.key()),
            limit(config.login_max_failures_per_client),
        ),
        (
            format!("login:network:{}", client.network_key()),
            limit(config.login_max_failures_per_client.saturating_mul(5)),
        ),
        (
            format!("login:account:{account}"),
            limit(config.login_max_failures.saturating_mul(10)),
        ),
    ]
}

/// Checks email and password with throttling; on success opens a session.
///
/// The attempt is counted before the password is checked, in one atomic
/// statement per throttle ([`throttle::hit`]): fifty parallel guesses get
/// exactly as many checks as the limit allows. An attempt over a limit is
/// given back unchecked; a successful one is given back too, and clears the
/// account's failures from this client.
pub fn login(
    conn: &mut DbConnection,
    config: &Config,
    client: &ClientAddress,
    email: &str,
    password: &SecretString,
) -> Result<(User, NewSession), AuthError> {
    let email = crate::text::line("email", email)?.to_lowercase();
    let at = now();
    let limits = login_limits(config, &email, client);
    let mut over = false;
    for (key, limit) in &limits {
        over |= throttle::hit(conn, key, *limit, at)? > limit.max;
    }
    let give_back = |conn: &mut DbConnection| -> QueryResult<()> {
        for (key, _) in &limits {
            throttle::refund(conn, key)?;
        }
        Ok(())
    };
    if over {
        give_back(conn)?;
        tracing::warn!(client = %client.key(), "login attempts throttled");
        return Err(AuthError::Throttled);
    }
    let user = users::by_email(conn, &email)?;
    let verified = match &user {
        Some(user) => users::verify_password(password, &user.password_hash),
        None => {
            // Same work as a real check, so timing does not reveal which emails exist.
            users::verify_password(password, DUMMY_HASH);
            false
        }
    };
    let Some(user) = user.filter(|_| verified) else {
        return Err(AuthError::InvalidCredentials);
    };
    give_back(conn)?;
    throttle::clear(conn, &limits[0].0)?;
    let session = NewSession {
        token: random_token(32),
        csrf_token: random_token(32),
    };
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(sha256_hex(&session.token)),
            sessions::user_id.eq(&user.id),
            sessions::csrf_token.eq(&session.csrf_token),
            sessions::created_at.eq(at),
            sessions::expires_at.eq(at + config.session_ttl_seconds),
        ))
        .execute(conn)?;
    diesel::delete(sessions::table.filter(sessions::expires_at.le(at))).execute(conn)?;
    Ok((user, session))
}

/// An argon2id hash of a random string, verified against when the email is unknown.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Jx1CHZ0+Ryjr0vGV9xV8bm0Ei3wOF1P8dwq5DRl4Ggo";

/// Ends the session with this cookie value.
pub fn logout(conn: &mut DbConnection, cookie_value: &str) -> QueryResult<()> {
    diesel::delete(sessions::table.find(sha256_hex(cookie_value))).execute(conn)?;
    Ok(())
}

/// The session cookie for `value`, with the security attributes.
pub fn session_cookie(config: &Config, value: String) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.secure_cookies())
        .max_age(actix_web::cookie::time::Duration::seconds(
            config.session_ttl_seconds,
        ))
        .finish()
}

/// An API token as listed (never the token itself).
#[derive(Debug, Serialize, Queryable, utoipa::ToSchema)]
pub struct ApiTokenInfo {
    /// Token id.
    pub id: String,
    /// Label given at creation.
    pub name: String,
    /// Created (Unix seconds, answered in RFC 3339).
    #[serde(serialize_with = "as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: i64,
}

fn as_rfc3339<S: serde::Serializer>(value: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(*value).unwrap_or_default())
}

/// Creates an API token; returns its id and the token, shown this once.
pub fn create_token(
    conn: &mut DbConnection,
    user_id: &str,
    name: &str,
) -> Result<(String, String), AuthError> {
    let name = crate::text::line("name", name)?;
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AuthError::InvalidTokenName);
    }
    let id = new_id();
    let token = format!("{TOKEN_PREFIX}{}", random_token(32));
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::id.eq(&id),
            api_tokens::user_id.eq(user_id),
            api_tokens::name.eq(&name),
            api_tokens::token_hash.eq(sha256_hex(&token)),
            api_tokens::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok((id, token))
}

/// The caller's live tokens.
pub fn list_tokens(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<ApiTokenInfo>> {
    api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .filter(api_tokens::revoked_at.is_null())
        .order(api_tokens::created_at.asc())
        .select((api_tokens::id, api_tokens::name, api_tokens::created_at))
        .load(conn)
}

/// Revokes one of the caller's tokens.
pub fn revoke_token(
    conn: &mut DbConnection,
    user_id: &str,
    token_id: &str,
) -> Result<(), AuthError> {
    let revoked = diesel::update(
        api_tokens::table
            .filter(api_tokens::id.eq(token_id))
            .filter(api_tokens::user_id.eq(user_id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(Some(now())))
    .execute(conn)?;
    if revoked == 0 {
        return Err(AuthError::TokenNotFound);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dummy_hash_parses() {
        assert!(argon2::password_hash::PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
