//! A single award with an address is e-mailed once, with the claim link,
//! in the participant's language.

use actix_web::http::StatusCode;
use serde_json::json;

use super::{body_text, fixture, subject, SmtpServer};
use crate::pages::{hidden, Browser};
use crate::support::{Auth, TestApp};

#[actix_web::test]
async fn a_new_award_with_an_address_is_emailed_once_with_the_claim_link() {
    let server = SmtpServer::plain();
    let app = TestApp::sqlite_with(|config| {
        config.smtp = Some(server.settings("smtp", ""));
        config.smtp_from = "Centre social <badges@centre.example>".into();
    })
    .await;
    let fixture = fixture(&app).await;
    let award = |email: Option<&str>, key: &str| {
        json!({
            "achievement_id": fixture.achievement_id,
            "recipient_name": "Awa Diallo",
            "recipient_email": email,
            "idempotency_key": key,
        })
    };
    let path = "/api/v1/orgs/centre-social/awards";

    // Without an address: nothing is sent, the code is to be printed.
    let resp = app.post(path, &fixture.token, award(None, "k1")).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
    assert_eq!(resp.json()["delivery"], "no_address");
    assert!(resp.json()["claim_code"].is_string());

    let resp = app
        .post(path, &fixture.token, award(Some("awa@example.fr"), "k2"))
        .await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
    assert_eq!(resp.json()["delivery"], "sent");
    let claim_url = resp.json()["claim_url"].as_str().unwrap().to_owned();
    let code = resp.json()["claim_code"].as_str().unwrap().to_owned();
    let message = server.next();
    assert_eq!(message.recipients, ["awa@example.fr"]);
    assert_eq!(message.auth, None);
    assert!(message.data.contains("badges@centre.example"));
    let text = body_text(&message.data);
    assert!(text.contains(&claim_url), "{text}");
    assert!(text.contains(&code), "{text}");
    assert!(text.contains("Bonjour Awa Diallo"), "{text}");
    assert!(text.contains("Démarches en ligne"), "{text}");
    // In French only, the default language.
    assert!(!text.contains("Hello"), "{text}");
    assert_eq!(subject(&message.data), "Votre badge « Démarches en ligne »");

    // The same request again answers the same award and sends nothing more.
    let again = app
        .post(path, &fixture.token, award(Some("awa@example.fr"), "k2"))
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(server.drain().is_empty());
}

/// A participant who reads English gets the e-mail in English, from the
/// API field and from the award form's choice.
#[actix_web::test]
async fn the_award_email_is_in_the_participants_language() {
    let server = SmtpServer::plain();
    let app = TestApp::sqlite_with(|config| config.smtp = Some(server.settings("smtp", ""))).await;
    let fixture = fixture(&app).await;
    let path = "/api/v1/orgs/centre-social/awards";
    let resp = app
        .post(
            path,
            &fixture.token,
            json!({
                "achievement_id": fixture.achievement_id,
                "recipient_name": "John Smith",
                "recipient_email": "john@example.org",
                "recipient_language": "en-GB",
            }),
        )
        .await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
    assert_eq!(resp.json()["recipient_language"], "en");
    let message = server.next();
    let text = body_text(&message.data);
    assert!(text.starts_with("Hello John Smith,"), "{text}");
    assert!(
        text.contains("Org centre-social has awarded you the badge \"Démarches en ligne\""),
        "{text}"
    );
    assert!(text.contains(resp.json()["claim_url"].as_str().unwrap()));
    assert!(!text.contains("Bonjour"), "{text}");
    assert_eq!(subject(&message.data), "Your badge \"Démarches en ligne\"");
    // A language the service does not write in is refused, nothing awarded.
    let refused = app
        .post(
            path,
            &fixture.token,
            json!({
                "achievement_id": fixture.achievement_id,
                "recipient_name": "Hans Weber",
                "recipient_email": "hans@example.org",
                "recipient_language": "de",
            }),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::BAD_REQUEST,
        "{}",
        refused.text()
    );
    assert_eq!(refused.error_code(), "invalid_recipient_language");

    // The award form offers the choice.
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let badge_path = format!("/app/centre-social/badges/{}", fixture.achievement_id);
    let html = browser.get(&app, &badge_path).await.text();
    assert!(html.contains("name=\"language\""), "{html}");
    let (csrf, key) = (hidden(&html, "csrf"), hidden(&html, "idempotency_key"));
    let awarded = browser
        .post_form(
            &app,
            &format!("{badge_path}/award"),
            &[
                ("csrf", &csrf),
                ("idempotency_key", &key),
                ("name", "Mary Jones"),
                ("email", "mary@example.org"),
                ("language", "en"),
                ("format", "di"),
            ],
        )
        .await;
    assert_eq!(awarded.status, StatusCode::SEE_OTHER, "{}", awarded.text());
    let message = server.next();
    assert_eq!(message.recipients, ["mary@example.org"]);
    assert!(body_text(&message.data).starts_with("Hello Mary Jones,"));
    assert!(server.drain().is_empty());
    let doc = app.get("/openapi.json", &Auth::None).await.json();
    assert!(
        doc["components"]["schemas"]["AwardInput"]["properties"]["recipient_language"].is_object()
    );
}
