//! Snapshots of every error body the API answers, one request per code,
//! through real HTTP requests: the status and the JSON body (`error`,
//! `message`, and any other field) must stay byte for byte what is committed
//! under `snapshots/`. Ids in messages are redacted.
//!
//! One file per route family. Codes not triggered here, and why:
//! - `internal` (500): no request makes the service fail; its generic body is
//!   pinned by `error.rs`'s unit test `internal_body_is_generic`.
//! - `already_exists`: a unique constraint hit by two writers racing past the
//!   checks made before each insert; no single request reaches it.
//! - `workshop_changed`: a participant removed between the award's read and
//!   its write; only a race reaches it.
//! - `invalid_credential`: the issuer checks what it built against the Open
//!   Badges schema; no request builds a non-conforming credential.
//! - `invalid_path`: every path parameter is a string, which always parses.
//! - `invalid_body`: a payload stream that fails mid-way; the in-process
//!   client always delivers whole bodies.
//! - `control_character` with `"field": "request"`: PostgreSQL refusing a NUL
//!   in a looked-up id; SQLite finds nothing (404) instead, so the body
//!   depends on the backend.
//! - `invalid_slug`, `slug_taken`, `email_taken`, `weak_password`,
//!   `invalid_network`: organisations, users and networks are created with
//!   the CLI only.
//! - `invalid_form`, `invalid_algorithm`, `already_awarded`,
//!   `duplicate_participant`: raised by the pages, which answer HTML (see
//!   `page_snapshots`), except `invalid_form` on an image upload, below.

use std::sync::OnceLock;

use actix_web::http::Method;
use actix_web::test::TestRequest;
use insta::dynamic_redaction;
use insta::internals::{Content, ContentPath};
use serde_json::Value;

use crate::support::{Auth, TestApp, TestResponse};

/// Snapshots a response's status and JSON body as `$name`, under the
/// calling module's name (a macro so that insta sees the caller's module).
macro_rules! assert_error {
    ($name:expr, $resp:expr $(,)?) => {{
        let resp: &$crate::support::TestResponse = $resp;
        let snapshot = serde_json::json!({"status": resp.status.as_u16(), "body": resp.json()});
        let mut settings = insta::Settings::clone_current();
        settings.add_redaction(".body.message", $crate::error_bodies::ids_redacted());
        settings.add_redaction(".body.revocationReason", $crate::error_bodies::ids_redacted());
        // The credential of a revoked award is snapshotted in `snapshots.rs`.
        settings.add_redaction(".body.credential", "[credential]");
        settings.bind(|| insta::assert_json_snapshot!($name, snapshot));
    }};
}

mod account;
mod achievements;
mod awards;
mod images;
mod organisations;
mod public;
mod workshops;

/// The organisation every scenario works in.
const SLUG: &str = "org-a";

/// Replaces every UUID (the issuer's ids) in a string by `[id]`.
pub(crate) fn ids_redacted() -> insta::internals::Redaction {
    static UUID: OnceLock<regex::Regex> = OnceLock::new();
    let uuid = UUID.get_or_init(|| {
        regex::Regex::new("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").unwrap()
    });
    dynamic_redaction(
        move |value: Content, _path: ContentPath<'_>| match value.as_str() {
            Some(text) => Content::from(uuid.replace_all(text, "[id]").into_owned()),
            None => value,
        },
    )
}

/// A request with a raw body and headers, authenticated as `auth` says.
async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    auth: &Auth,
    headers: &[(&str, &str)],
    body: impl Into<actix_web::web::Bytes>,
) -> TestResponse {
    let mut req = TestRequest::default()
        .method(method)
        .uri(path)
        .set_payload(body.into());
    if let Auth::Token(token) = auth {
        req = req.insert_header(("authorization", format!("Bearer {token}")));
    }
    for (name, value) in headers {
        req = req.insert_header((*name, *value));
    }
    app.send(req).await
}

/// PUT with a JSON body.
async fn put(app: &TestApp, path: &str, auth: &Auth, body: Value) -> TestResponse {
    app.request(Method::PUT, path, auth, Some(body)).await
}

/// An API path under the organisation.
fn org_path(rest: &str) -> String {
    format!("/api/v1/orgs/{SLUG}{rest}")
}
