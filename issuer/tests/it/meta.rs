//! The service endpoints: OpenAPI document, error bodies, input limits.

use serde_json::json;

use crate::support::{Auth, TestApp};

/// Every mounted route appears in the OpenAPI document.
#[actix_web::test]
async fn openapi_document_covers_the_routes() {
    let app = TestApp::sqlite().await;
    let resp = app.get("/openapi.json", &Auth::None).await;
    assert_eq!(resp.status, 200);
    let doc = resp.json();
    assert_eq!(doc["openapi"], "3.0.3");
    let paths = doc["paths"].as_object().unwrap();
    for (method, path) in [
        ("get", "/healthz"),
        ("get", "/metrics"),
        ("get", "/orgs/{slug}/did.json"),
        ("get", "/orgs/{slug}/jwks.json"),
        ("post", "/api/v1/auth/login"),
        ("post", "/api/v1/tokens"),
        ("delete", "/api/v1/tokens/{id}"),
        ("patch", "/api/v1/orgs/{slug}"),
        ("post", "/api/v1/orgs/{slug}/keys/rotate"),
        ("post", "/api/v1/orgs/{slug}/members"),
        ("get", "/api/v1/orgs/{slug}/audit"),
        ("put", "/api/v1/orgs/{slug}/achievements/{id}"),
        ("get", "/achievements/{version_id}"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} missing"
        );
    }
}

#[actix_web::test]
async fn oversized_and_malformed_bodies_get_clear_errors() {
    let app = TestApp::sqlite().await;
    let huge = "x".repeat(issuer::app::JSON_LIMIT + 1);
    let resp = app
        .post(
            "/api/v1/auth/login",
            &Auth::None,
            json!({"email": huge, "password": "p"}),
        )
        .await;
    assert_eq!(resp.status, 413);
    assert_eq!(resp.error_code(), "payload_too_large");
    let resp = app
        .post(
            "/api/v1/auth/login",
            &Auth::None,
            json!({"email": "a@b.fr"}),
        )
        .await;
    assert_eq!(resp.status, 400);
    assert_eq!(resp.error_code(), "invalid_json");
    let resp = app.get("/no/such/route", &Auth::None).await;
    assert_eq!(resp.status, 404);
    assert_eq!(resp.error_code(), "not_found");
}
