//! Public credential documents and status lists: what a verifier or wallet
//! dereferences, without authentication.
//!
//! - `GET /credentials/{token}.json`: the credential JSON (with its Data
//!   Integrity proof; for a VC-JWT award, the content the JWT secures).
//! - `GET /credentials/{token}.jwt`: the compact VC-JWT of a `jwt` award.
//! - `GET /credentials/{token}`: the credential's id. Clients asking for JSON
//!   get the secured credential (the JSON, or the VC-JWT of a `jwt` award as
//!   `application/vc+jwt`, so that dereferencing the id always yields something
//!   verifiable), or `410 Gone` with the revocation reason once revoked;
//!   browsers get the HTML page ([`html_page`]).
//! - `GET /orgs/{slug}/status/{list}`: the signed `BitstringStatusListCredential`.
//!
//! The `.json` and `.jwt` documents stay `200` after revocation: they are the
//! credential as issued, and its status list says it is revoked.

use actix_web::http::header::{self, CacheControl, CacheDirective, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use serde_json::{json, Value};

use crate::accept;
use crate::awards::document::{credential_document, CredentialDocument};
use crate::error::{ApiError, ErrorCode};
use crate::ids::OrgSlug;
use crate::orgs;
use crate::state::AppState;
use crate::status_list;

/// Media type of the JSON documents.
pub const JSON_LD: &str = "application/ld+json";
/// Media type of a VC-JWT (VC-JOSE-COSE).
pub const VC_JWT: &str = "application/vc+jwt";

/// Mounts the public credential documents and status lists.
pub fn configure(cfg: &mut web::ServiceConfig) {
    // The status list first: verifiers revalidate it at every verification,
    // and each route before it would cost a pattern match.
    cfg.route("/orgs/{slug}/status/{list_id}", web::get().to(status))
        .route(
            "/credentials/{token:[A-Za-z0-9_-]{1,64}}.json",
            web::get().to(json_document),
        )
        .route(
            "/credentials/{token:[A-Za-z0-9_-]{1,64}}.jwt",
            web::get().to(jwt_document),
        )
        .route(
            "/credentials/{token:[A-Za-z0-9_-]{1,64}}",
            web::get().to(negotiated),
        );
}

async fn load(
    state: &web::Data<AppState>,
    token: web::Path<String>,
) -> Result<CredentialDocument, ApiError> {
    let token = token.into_inner();
    Ok(state
        .db
        .run(move |conn| credential_document(conn, &token))
        .await?)
}

/// Headers of every public document: readable from any origin (browser-based
/// verifiers), revalidated on each use (revocation and consent changes show).
fn public(status: StatusCode, content_type: &str) -> actix_web::HttpResponseBuilder {
    let mut builder = HttpResponse::build(status);
    builder
        .content_type(content_type)
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .insert_header(CacheControl(vec![CacheDirective::NoCache]));
    builder
}

/// What answers for a credential whose holder's data was erased.
fn erased_document(document: &CredentialDocument) -> HttpResponse {
    gone(
        "the issuer revoked this credential and erased its holder's data",
        json!({ "revocationReason": document.revocation_reason() }),
    )
}

/// What answers a client asking for JSON once the credential is revoked:
/// the reason, and the credential as issued.
fn revoked_document(document: &CredentialDocument) -> HttpResponse {
    gone(
        "the issuer revoked this credential",
        json!({
            "revocationReason": document.revocation_reason(),
            "credential": document.credential,
        }),
    )
}

/// A public `410 Gone` with the `revoked` code and `details` after the
/// message: an [`ApiError`] body, with the headers of [`public`].
fn gone(message: &str, details: Value) -> HttpResponse {
    let error = ApiError::detailed(StatusCode::GONE, ErrorCode::Revoked, message, details);
    let mut response = error.error_response();
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

async fn json_document(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let document = load(&state, token).await?;
    if document.award.is_erased() {
        return Ok(erased_document(&document));
    }
    Ok(public(StatusCode::OK, JSON_LD).body(document.credential.to_string()))
}

async fn jwt_document(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let document = load(&state, token).await?;
    let jwt = document.jwt.ok_or(ApiError::NotFound("VC-JWT"))?;
    Ok(public(StatusCode::OK, VC_JWT).body(jwt))
}

async fn negotiated(
    state: web::Data<AppState>,
    token: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let document = load(&state, token).await?;
    let mut response = if !wants_machine_readable(&req) {
        html_page(&req, &state, document)
    } else if document.award.is_erased() {
        erased_document(&document)
    } else if document.revoked() {
        revoked_document(&document)
    } else if let Some(jwt) = document.jwt {
        public(StatusCode::OK, VC_JWT).body(jwt)
    } else {
        public(StatusCode::OK, JSON_LD).body(document.credential.to_string())
    };
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(response)
}

/// Whether the client prefers a JSON or JWT document to HTML: it names one of
/// those media types with a quality at least that of `text/html`. Wildcards
/// alone (`*/*`) count as a browser.
fn wants_machine_readable(req: &HttpRequest) -> bool {
    const MACHINE: [&str; 6] = [
        "application/json",
        "application/ld+json",
        "application/vc+ld+json",
        "application/vc",
        "application/vc+jwt",
        "application/jwt",
    ];
    let machine = accept::quality(req, |media| MACHINE.contains(&media));
    let html = accept::quality(req, accept::is_html);
    machine > 0.0 && machine >= html
}

/// The credential's page for people ([`crate::pages::public::credential_page`]).
pub fn html_page(
    req: &HttpRequest,
    state: &AppState,
    document: CredentialDocument,
) -> HttpResponse {
    crate::pages::public::credential_page(req, state, document)
}

async fn status(
    state: web::Data<AppState>,
    path: web::Path<(OrgSlug, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (slug, list_id) = path.into_inner();
    // Revalidated on every use (cheaply, with the ETag): a revocation must show
    // at the very next verification, not a cache lifetime later.
    let cache = CacheControl(vec![CacheDirective::Public, CacheDirective::NoCache]);
    let asked = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let matches = |etag: &str, asked: &str| {
        asked
            .split(',')
            .any(|tag| tag.trim() == etag || tag.trim() == "*")
    };
    // A revalidation of the list as last signed is answered from its ETag
    // alone, without reading nor re-checking the list (a revocation clears it).
    if let Some(asked) = asked.clone() {
        let (slug, list_id) = (slug.clone(), list_id.clone());
        let signed = state
            .db
            .run(move |conn| status_list::signed_etag(conn, &slug, &list_id))
            .await?;
        if let Some(etag) = signed.filter(|etag| matches(etag, &asked)) {
            return Ok(HttpResponse::NotModified()
                .insert_header((header::ETAG, etag))
                .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
                .insert_header(cache)
                .finish());
        }
    }
    let st = state.clone();
    let list = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let org = orgs::by_slug(conn, slug.as_str())?;
            let now = chrono::Utc::now();
            Ok(status_list::published(
                conn,
                &st.master_key,
                &st.base(),
                &org,
                &list_id,
                now,
            )?)
        })
        .await?;
    let matches = asked.is_some_and(|asked| matches(&list.etag, &asked));
    let mut response = if matches {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, list.etag.clone()))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .insert_header(cache);
    Ok(if matches {
        response.finish()
    } else {
        response.content_type(JSON_LD).body(list.body)
    })
}
