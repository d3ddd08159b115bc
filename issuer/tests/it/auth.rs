//! Login, sessions, CSRF, API tokens, throttling, and isolation between organisations.

use actix_web::http::Method;
use issuer::users::Role;
use serde_json::json;

use crate::db_test;
use crate::support::{Auth, TestApp, PASSWORD};

async fn session_cookie_is_hardened(app: TestApp) {
    app.create_org("org-a");
    app.create_user("fac@a.fr", "org-a", Role::Facilitator);
    let resp = app
        .post(
            "/api/v1/auth/login",
            &Auth::None,
            json!({"email": "FAC@a.fr", "password": PASSWORD}),
        )
        .await;
    assert_eq!(resp.status, 200);
    let cookie = resp.header("set-cookie").unwrap();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http base URL: {cookie}");

    let session = app.login("fac@a.fr").await;
    let me = app.get("/api/v1/me", &session).await.json();
    assert_eq!(me["email"], "fac@a.fr");
    assert_eq!(me["organisations"][0]["slug"], "org-a");
    assert_eq!(me["organisations"][0]["role"], "facilitator");

    // A state-changing request by cookie without the CSRF token is refused.
    let Auth::Session { cookie, .. } = &session else {
        unreachable!()
    };
    let no_csrf = Auth::Session {
        cookie: cookie.clone(),
        csrf: "wrong".into(),
    };
    let resp = app
        .post("/api/v1/tokens", &no_csrf, json!({"name": "x"}))
        .await;
    assert_eq!(resp.status, 403);

    let resp = app.post("/api/v1/auth/logout", &session, json!({})).await;
    assert_eq!(resp.status, 204);
    assert_eq!(app.get("/api/v1/me", &session).await.status, 401);
    assert_eq!(
        app.get("/api/v1/me", &Auth::None).await.error_code(),
        "unauthenticated"
    );
}
db_test!(sessions, session_cookie_is_hardened);

async fn login_is_throttled(app: TestApp) {
    app.create_org("org-t");
    app.create_user("t@t.fr", "org-t", Role::Facilitator);
    for _ in 0..5 {
        let resp = app
            .post(
                "/api/v1/auth/login",
                &Auth::None,
                json!({"email": "t@t.fr", "password": "wrong password"}),
            )
            .await;
        assert_eq!(resp.status, 400);
        assert_eq!(resp.error_code(), "invalid_credentials");
    }
    let resp = app
        .post(
            "/api/v1/auth/login",
            &Auth::None,
            json!({"email": "t@t.fr", "password": PASSWORD}),
        )
        .await;
    assert_eq!(resp.status, 429, "even the right password waits");
    assert_eq!(resp.error_code(), "too_many_requests");
}
db_test!(throttling, login_is_throttled);

async fn api_tokens_are_hashed_and_shown_once(app: TestApp) {
    app.create_org("org-k");
    app.create_user("k@k.fr", "org-k", Role::Facilitator);
    let session = app.login("k@k.fr").await;
    let token = app.token(&session).await;
    let Auth::Token(secret) = &token else {
        unreachable!()
    };
    assert!(secret.starts_with("obi_"));

    assert_eq!(app.get("/api/v1/me", &token).await.status, 200);
    let list = app.get("/api/v1/tokens", &token).await;
    assert!(
        !list.text().contains(secret.as_str()),
        "token never shown again"
    );
    let id = list.json()[0]["id"].as_str().unwrap().to_owned();

    let stored: Vec<String> = app
        .state
        .db
        .run_blocking(|conn| {
            use diesel::prelude::*;
            use issuer::db::schema::api_tokens;
            Ok::<_, issuer::db::DbError>(
                api_tokens::table
                    .select(api_tokens::token_hash)
                    .load(conn)?,
            )
        })
        .unwrap();
    assert_eq!(stored, vec![issuer::time::sha256_hex(secret)]);

    let resp = app
        .request(
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            &token,
            None,
        )
        .await;
    assert_eq!(resp.status, 204);
    assert_eq!(app.get("/api/v1/me", &token).await.status, 401);
    assert_eq!(
        app.get("/api/v1/me", &Auth::Token("obi_forged".into()))
            .await
            .status,
        401
    );
}
db_test!(api_tokens, api_tokens_are_hashed_and_shown_once);

/// Every organisation-scoped route, tried by a member of another organisation.
async fn no_route_crosses_organisations(app: TestApp) {
    app.create_org("org-a");
    app.create_org("org-b");
    app.create_user("admin@a.fr", "org-a", Role::Admin);
    app.create_user("admin@b.fr", "org-b", Role::Admin);
    let a = app.login("admin@a.fr").await;
    let a_token = app.token(&a).await;

    let routes: Vec<(Method, &str, Option<serde_json::Value>)> = vec![
        (Method::GET, "/api/v1/orgs/org-b", None),
        (
            Method::PATCH,
            "/api/v1/orgs/org-b",
            Some(json!({"name": "Hijacked"})),
        ),
        (Method::GET, "/api/v1/orgs/org-b/keys", None),
        (
            Method::POST,
            "/api/v1/orgs/org-b/keys/rotate",
            Some(json!({"algorithm": "Ed25519"})),
        ),
        (
            Method::POST,
            "/api/v1/orgs/org-b/members",
            Some(json!({"email": "admin@a.fr", "role": "admin"})),
        ),
        (Method::GET, "/api/v1/orgs/org-b/audit", None),
    ];
    for auth in [&a, &a_token] {
        for (method, path, body) in &routes {
            let resp = app.request(method.clone(), path, auth, body.clone()).await;
            assert_eq!(resp.status, 404, "{method} {path}: {}", resp.text());
            assert_eq!(resp.error_code(), "not_found");
        }
    }
    // Nothing of org-b changed.
    let profile = app.get("/orgs/org-b", &Auth::None).await.json();
    assert_eq!(profile["name"], "Org org-b");
    assert_eq!(
        app.get("/orgs/org-b/jwks.json", &Auth::None).await.json()["keys"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let b = app.login("admin@b.fr").await;
    let audit = app.get("/api/v1/orgs/org-b/audit", &b).await.json();
    assert_eq!(
        audit.as_array().unwrap().len(),
        1,
        "only the creation: {audit}"
    );
}
db_test!(cross_organisation, no_route_crosses_organisations);
