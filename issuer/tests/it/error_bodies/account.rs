//! Error bodies of login, the session, API tokens and the requests every
//! route refuses alike (unknown route, JSON body errors).

use actix_web::http::Method;
use actix_web::test::TestRequest;
use issuer::users::Role;
use serde_json::json;

use super::{raw, SLUG};
use crate::db_test;
use crate::support::{Auth, TestApp, PASSWORD};

const LOGIN: &str = "/api/v1/auth/login";
const EMAIL: &str = "fac@org-a.fr";

async fn login_errors(app: TestApp) {
    app.create_org(SLUG);
    app.create_user(EMAIL, SLUG, Role::Facilitator);
    let wrong = json!({"email": EMAIL, "password": "wrong"});
    assert_error!(
        "login_invalid_credentials",
        &app.post(LOGIN, &Auth::None, wrong.clone()).await,
    );
    assert_error!(
        "login_invalid_json",
        &app.post(
            LOGIN,
            &Auth::None,
            json!({"email": 1, "password": PASSWORD})
        )
        .await,
    );
    let text = [("content-type", "text/plain")];
    assert_error!(
        "login_unsupported_media_type",
        &raw(&app, Method::POST, LOGIN, &Auth::None, &text, "hello").await,
    );
    let huge = json!({"email": "a".repeat(300 * 1024), "password": PASSWORD});
    assert_error!(
        "login_payload_too_large",
        &app.post(LOGIN, &Auth::None, huge).await,
    );
    assert_error!(
        "login_control_character",
        &app.post(
            LOGIN,
            &Auth::None,
            json!({"email": "fac\u{7}@org-a.fr", "password": PASSWORD}),
        )
        .await,
    );
    let peer: std::net::SocketAddr = "203.0.113.5:4000".parse().unwrap();
    for _ in 0..100 {
        let req = TestRequest::post()
            .uri(LOGIN)
            .peer_addr(peer)
            .set_json(&wrong);
        let resp = app.send(req).await;
        if resp.status == 429 {
            return assert_error!("login_too_many_requests", &resp);
        }
    }
    panic!("100 wrong passwords from one client were never throttled");
}
db_test!(login, login_errors);

async fn session_and_token_errors(app: TestApp) {
    app.create_org(SLUG);
    app.create_user(EMAIL, SLUG, Role::Facilitator);
    assert_error!(
        "unknown_route",
        &app.get("/api/v1/nowhere", &Auth::None).await,
    );
    assert_error!(
        "me_unauthenticated",
        &app.get("/api/v1/me", &Auth::None).await,
    );
    assert_error!(
        "me_unknown_token",
        &app.get("/api/v1/me", &Auth::Token("obi_unknown".into()))
            .await,
    );
    let session = app.login(EMAIL).await;
    let Auth::Session { cookie, .. } = &session else {
        unreachable!("login answers a session")
    };
    let no_csrf = Auth::Session {
        cookie: cookie.clone(),
        csrf: "wrong".into(),
    };
    assert_error!(
        "tokens_wrong_csrf",
        &app.post("/api/v1/tokens", &no_csrf, json!({"name": "ci"}))
            .await,
    );
    assert_error!(
        "tokens_invalid_name",
        &app.post("/api/v1/tokens", &session, json!({"name": " "}))
            .await,
    );
    assert_error!(
        "tokens_not_found",
        &app.request(Method::DELETE, "/api/v1/tokens/unknown", &session, None)
            .await,
    );
}
db_test!(session_and_tokens, session_and_token_errors);
