//! Error answers by client: a browser (`Accept: text/html`) gets a readable
//! page in its language with a way back home (404 for a mistyped badge link
//! or path, 410 for a withdrawn badge, 413 for a body too large, 429 when
//! throttled, 400 otherwise); the API and programs keep their JSON bodies.

use actix_web::http::{header, StatusCode};
use actix_web::test::TestRequest;
use serde_json::json;

use crate::awards::fixture;
use crate::support::{TestApp, TestResponse};

/// What Chromium and Firefox send when a page is opened.
const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

async fn get(app: &TestApp, path: &str, accept: Option<&str>, language: &str) -> TestResponse {
    let mut req = TestRequest::get()
        .uri(path)
        .insert_header((header::ACCEPT_LANGUAGE, language));
    if let Some(accept) = accept {
        req = req.insert_header((header::ACCEPT, accept));
    }
    app.send(req).await
}

/// A page, not JSON: HTML in `lang`, `heading` in the title and the body,
/// a link home, no JSON problem body.
fn assert_page(resp: &TestResponse, status: StatusCode, lang: &str, heading: &str) {
    let html = resp.text().replace("&#39;", "'");
    assert_eq!(resp.status, status, "{html}");
    assert!(
        resp.header("content-type")
            .unwrap_or_default()
            .starts_with("text/html"),
        "{:?}",
        resp.header("content-type")
    );
    assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{html}");
    assert!(html.contains(&format!("<title>{heading} ·")), "{html}");
    assert!(html.contains(&format!("<h1>{heading}</h1>")), "{html}");
    assert!(html.contains("<a href=\"/\">"), "{html}");
    assert!(!html.contains("\"error\""), "{html}");
    assert!(!html.contains("not_found"), "{html}");
}

fn assert_json(resp: &TestResponse, status: StatusCode, code: &str) {
    assert_eq!(resp.status, status, "{}", resp.text());
    assert_eq!(resp.error_code(), code, "{}", resp.text());
}

#[actix_web::test]
async fn a_mistyped_badge_link_is_a_french_page_for_a_browser_and_json_for_programs() {
    let app = TestApp::sqlite().await;
    let wrong = "/credentials/AbCdEf0123456789wrong";
    let page = get(&app, wrong, Some(BROWSER), "fr-FR,fr;q=0.9").await;
    assert_page(&page, StatusCode::NOT_FOUND, "fr", "Badge introuvable");
    assert!(page.text().contains("faute de frappe"), "{}", page.text());
    assert_eq!(page.header("vary").as_deref(), Some("Accept"));
    // The same link in English for an English browser.
    let page = get(&app, wrong, Some(BROWSER), "en-GB,en;q=0.9").await;
    assert_page(&page, StatusCode::NOT_FOUND, "en", "Badge not found");
    // Verifiers and wallets keep the problem body.
    for accept in [
        Some("application/json"),
        Some("application/ld+json"),
        Some("*/*"),
        None,
    ] {
        let resp = get(&app, wrong, accept, "fr").await;
        assert_json(&resp, StatusCode::NOT_FOUND, "not_found");
        assert_eq!(resp.header("vary").as_deref(), Some("Accept"));
    }
    // A typo in the path itself, and in the document's name.
    for typo in [
        "/credential/AbCdEf0123456789",
        "/credentials/AbCdEf0123456789.jsn",
    ] {
        let page = get(&app, typo, Some(BROWSER), "fr").await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{typo}");
        assert!(page.text().contains("<h1>"), "{typo}: {}", page.text());
    }
    let page = get(&app, "/nulle-part", Some(BROWSER), "fr").await;
    assert_page(&page, StatusCode::NOT_FOUND, "fr", "Page introuvable");
    // The API answers JSON whatever the client says it prefers.
    assert_json(
        &get(&app, "/api/v1/nowhere", Some(BROWSER), "fr").await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
}

#[actix_web::test]
async fn a_withdrawn_badge_is_a_410_page_for_a_browser() {
    let app = TestApp::sqlite().await;
    let fx = fixture(&app, "org-a").await;
    let award = app
        .post(
            "/api/v1/orgs/org-a/awards",
            &fx.token,
            json!({"achievement_id": fx.achievement_id, "recipient_name": "Awa Diallo"}),
        )
        .await;
    assert_eq!(award.status, StatusCode::CREATED, "{}", award.text());
    let id = award.json()["id"].as_str().unwrap().to_owned();
    let json_url = award.json()["json_url"].as_str().unwrap().to_owned();
    let path = url::Url::parse(&json_url).unwrap().path().to_owned();
    let erased = app
        .post(
            &format!("/api/v1/orgs/org-a/awards/{id}/erase"),
            &fx.token,
            json!({}),
        )
        .await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.text());
    let page = get(&app, &path, Some(BROWSER), "fr").await;
    assert_page(&page, StatusCode::GONE, "fr", "Ce badge a été retiré");
    assert!(!page.text().contains("Awa"), "{}", page.text());
    assert_json(
        &get(&app, &path, None, "fr").await,
        StatusCode::GONE,
        "revoked",
    );
}

#[actix_web::test]
async fn a_body_too_large_is_a_413_page_for_a_browser_and_json_for_the_api() {
    let app = TestApp::sqlite().await;
    let big = format!("email=a%40b.fr&password={}", "x".repeat(300 * 1024));
    let resp = app
        .send(
            TestRequest::post()
                .uri("/login")
                .insert_header((header::ACCEPT, BROWSER))
                .insert_header((header::ACCEPT_LANGUAGE, "fr"))
                .insert_header((header::CONTENT_TYPE, "application/x-www-form-urlencoded"))
                .set_payload(big),
        )
        .await;
    assert_page(
        &resp,
        StatusCode::PAYLOAD_TOO_LARGE,
        "fr",
        "Envoi trop gros",
    );
    let big_json = json!({"email": "a@b.fr", "password": "x".repeat(300 * 1024)});
    let resp = app
        .send(
            TestRequest::post()
                .uri("/api/v1/auth/login")
                .insert_header((header::ACCEPT, BROWSER))
                .set_json(big_json),
        )
        .await;
    assert_json(&resp, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
}

#[actix_web::test]
async fn a_bad_form_is_a_400_page_for_a_browser() {
    let app = TestApp::sqlite().await;
    let resp = app
        .send(
            TestRequest::post()
                .uri("/login")
                .insert_header((header::ACCEPT, BROWSER))
                .insert_header((header::ACCEPT_LANGUAGE, "en"))
                .insert_header((header::CONTENT_TYPE, "application/x-www-form-urlencoded"))
                .set_payload("nothing=here"),
        )
        .await;
    assert_page(&resp, StatusCode::BAD_REQUEST, "en", "We could not do this");
    assert!(
        resp.text().contains("check what was typed"),
        "{}",
        resp.text()
    );
}

#[actix_web::test]
async fn throttled_is_a_429_page_for_a_browser_and_json_for_the_api() {
    let app = TestApp::sqlite_with(|config| {
        config.claim_max_failures = 1;
        config.login_max_failures = 1;
    })
    .await;
    let mut last = None;
    for _ in 0..3 {
        last = Some(get(&app, "/claim/AAAA-AAAA", Some(BROWSER), "fr").await);
    }
    // The claim page itself says so, in French, and keeps its form.
    let page = last.unwrap();
    let html = page.text().replace("&#39;", "'");
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS, "{html}");
    assert!(html.contains("<html lang=\"fr\">"), "{html}");
    assert!(html.contains("Trop d'essais"), "{html}");
    assert!(html.contains("<form"), "{html}");
    app.create_org("org-a");
    app.create_user("fac@org-a.fr", "org-a", issuer::users::Role::Facilitator);
    let mut last = None;
    for _ in 0..3 {
        last = Some(
            app.send(
                TestRequest::post()
                    .uri("/api/v1/auth/login")
                    .insert_header((header::ACCEPT, BROWSER))
                    .set_json(json!({"email": "fac@org-a.fr", "password": "wrong"})),
            )
            .await,
        );
    }
    assert_json(
        &last.unwrap(),
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_requests",
    );
}
