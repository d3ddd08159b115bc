//! Under an https public URL every cookie carries `Secure` and every
//! response `Strict-Transport-Security`; under plain http neither.

use actix_web::http::{header, StatusCode};
use issuer::config::Config;
use issuer::users::Role;
use serde_json::json;

use crate::pages::{hidden, Browser};
use crate::support::{Auth, TestApp, TestResponse, PASSWORD};

fn https(config: &mut Config) {
    config.public_url = Some(url::Url::parse("https://badges.example.org/").unwrap());
}

fn cookies(resp: &TestResponse) -> Vec<String> {
    resp.headers
        .get_all(header::SET_COOKIE)
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

/// Every response of a visit: login form, language switch, login, a page,
/// the API login, a claim page, a public document.
async fn visit(app: &TestApp) -> Vec<(String, TestResponse)> {
    app.create_org("centre");
    app.create_user("marie@example.fr", "centre", Role::Admin);
    let mut browser = Browser::default();
    let mut seen = Vec::new();
    let form = browser.get(app, "/login").await;
    let csrf = hidden(&form.text(), "csrf");
    seen.push(("/login".to_owned(), form));
    seen.push((
        "/lang/en".to_owned(),
        browser.get(app, "/lang/en?next=/").await,
    ));
    let login = browser
        .post_form(
            app,
            "/login",
            &[
                ("csrf", &csrf),
                ("next", "/app"),
                ("email", "marie@example.fr"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.text());
    seen.push(("POST /login".to_owned(), login));
    seen.push((
        "/app/centre".to_owned(),
        browser.get(app, "/app/centre").await,
    ));
    let api = app
        .post(
            "/api/v1/auth/login",
            &Auth::None,
            json!({"email": "marie@example.fr", "password": PASSWORD}),
        )
        .await;
    let session = app.login("marie@example.fr").await;
    seen.push(("POST /api/v1/auth/login".to_owned(), api));
    let badge = app
        .post(
            "/api/v1/orgs/centre/achievements",
            &session,
            json!({"name": "Badge", "description": "Desc.", "criteria_narrative": "Crit."}),
        )
        .await;
    let award = app
        .post(
            "/api/v1/orgs/centre/awards",
            &session,
            json!({"achievement_id": badge.json()["id"], "recipient_name": "Awa"}),
        )
        .await;
    let code = award.json()["claim_code"].as_str().unwrap().to_owned();
    let mut participant = Browser::default();
    let claim = participant.get(app, &format!("/claim/{code}")).await;
    assert_eq!(claim.status, StatusCode::OK);
    seen.push(("/claim/{code}".to_owned(), claim));
    seen.push((
        "/orgs/centre/did.json".to_owned(),
        app.get("/orgs/centre/did.json", &Auth::None).await,
    ));
    seen.push((
        "/nowhere".to_owned(),
        app.get("/nowhere", &Auth::None).await,
    ));
    seen
}

async fn https_public_url_secures_every_cookie_and_sends_hsts(app: TestApp) {
    let seen = visit(&app).await;
    let mut names = Vec::new();
    for (what, resp) in &seen {
        assert_eq!(
            resp.header("strict-transport-security").as_deref(),
            Some(issuer::app::HSTS),
            "{what}"
        );
        for cookie in cookies(resp) {
            assert!(cookie.contains("; Secure"), "{what}: {cookie}");
            names.push(cookie.split('=').next().unwrap().to_owned());
        }
    }
    for name in [
        "issuer_login_csrf",
        "lang",
        "issuer_session",
        "issuer_claim_csrf",
    ] {
        assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
    }
}

mod https_public_url {
    #[actix_web::test]
    async fn sqlite() {
        let app = super::TestApp::sqlite_with(super::https).await;
        super::https_public_url_secures_every_cookie_and_sends_hsts(app).await
    }

    #[actix_web::test]
    async fn postgres() {
        if let Some(app) = super::TestApp::postgres_with(super::https).await {
            super::https_public_url_secures_every_cookie_and_sends_hsts(app).await
        }
    }
}

#[actix_web::test]
async fn plain_http_sends_neither() {
    let app = TestApp::sqlite().await;
    for (what, resp) in visit(&app).await {
        assert!(resp.header("strict-transport-security").is_none(), "{what}");
        for cookie in cookies(&resp) {
            assert!(!cookie.contains("Secure"), "{what}: {cookie}");
        }
    }
}
