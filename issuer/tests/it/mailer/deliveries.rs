//! Delivery status per award: listed and resent through the API and the
//! award page; without SMTP the facilitator is told and given every code.

use actix_web::http::StatusCode;
use serde_json::{json, Value};

use super::{body_text, fixture, single_award, workshop_awarded, SmtpServer};
use crate::pages::{hidden, location, Browser};
use crate::support::{Auth, TestApp};

/// The API list shows each award's delivery; the API sends an e-mail
/// again, and says why when it cannot.
#[actix_web::test]
async fn the_api_lists_deliveries_and_resends() {
    let server = SmtpServer::plain();
    let app = TestApp::sqlite_with(|config| config.smtp = Some(server.settings("smtp", ""))).await;
    let fixture = fixture(&app).await;
    let lea = single_award(&app, &fixture, "lea@example.fr").await;
    server.next();
    let awa = app
        .post(
            "/api/v1/orgs/centre-social/awards",
            &fixture.token,
            json!({"achievement_id": fixture.achievement_id, "recipient_name": "Awa Diallo"}),
        )
        .await
        .json();
    let list = app
        .get("/api/v1/orgs/centre-social/awards", &fixture.token)
        .await
        .json();
    let by_id = |id: &Value| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == *id)
            .cloned()
            .unwrap()
    };
    let (listed_lea, listed_awa) = (by_id(&lea["id"]), by_id(&awa["id"]));
    assert_eq!(listed_lea["delivery"], "sent", "{list}");
    assert!(listed_lea["delivery_reason"].is_null(), "{list}");
    assert!(listed_lea["delivery_at"].is_string(), "{list}");
    assert_eq!(listed_awa["delivery"], "no_address", "{list}");
    assert!(listed_awa["claim_code"].is_string(), "{list}");

    // Resend: one more message, the view says sent.
    let lea_path = format!(
        "/api/v1/orgs/centre-social/awards/{}",
        lea["id"].as_str().unwrap()
    );
    let resent = app
        .post(&format!("{lea_path}/resend"), &fixture.token, json!({}))
        .await;
    assert_eq!(resent.status, StatusCode::OK, "{}", resent.text());
    assert_eq!(resent.json()["delivery"], "sent");
    assert_eq!(server.next().recipients, ["lea@example.fr"]);
    let shown = app.get(&lea_path, &fixture.token).await.json();
    assert_eq!(shown["delivery"], "sent");

    // Nothing to send to, or a revoked award: refused, nothing sent.
    let awa_path = format!(
        "/api/v1/orgs/centre-social/awards/{}",
        awa["id"].as_str().unwrap()
    );
    let refused = app
        .post(&format!("{awa_path}/resend"), &fixture.token, json!({}))
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
    assert_eq!(refused.error_code(), "no_address");
    let revoked = app
        .post(
            &format!("{lea_path}/revoke"),
            &fixture.token,
            json!({"reason": "erreur de saisie"}),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.text());
    let refused = app
        .post(&format!("{lea_path}/resend"), &fixture.token, json!({}))
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
    assert_eq!(refused.error_code(), "award_revoked");
    assert!(server.drain().is_empty());

    // Documented.
    let doc = app.get("/openapi.json", &Auth::None).await.json();
    let path = &doc["paths"]["/api/v1/orgs/{slug}/awards/{id}/resend"];
    assert!(path.get("post").is_some(), "resend missing");
    let award = &doc["components"]["schemas"]["Award"]["properties"];
    assert!(award["delivery_reason"]["enum"]
        .as_array()
        .unwrap()
        .contains(&json!("auth")));
}

#[actix_web::test]
async fn the_api_refuses_to_resend_without_smtp() {
    let app = TestApp::sqlite().await;
    let fixture = fixture(&app).await;
    let lea = single_award(&app, &fixture, "lea@example.fr").await;
    assert_eq!(lea["delivery"], "no_smtp", "{lea}");
    let id = lea["id"].as_str().unwrap();
    let refused = app
        .post(
            &format!("/api/v1/orgs/centre-social/awards/{id}/resend"),
            &fixture.token,
            json!({}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
    assert_eq!(refused.error_code(), "smtp_not_configured");
}

#[actix_web::test]
async fn the_award_page_emails_the_participant_shows_it_and_resends() {
    let server = SmtpServer::plain();
    let app = TestApp::sqlite_with(|config| config.smtp = Some(server.settings("smtp", ""))).await;
    let fixture = fixture(&app).await;
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let badge_path = format!("/app/centre-social/badges/{}", fixture.achievement_id);
    let html = browser.get(&app, &badge_path).await.text();
    let (csrf, key) = (hidden(&html, "csrf"), hidden(&html, "idempotency_key"));
    let awarded = browser
        .post_form(
            &app,
            &format!("{badge_path}/award"),
            &[
                ("csrf", &csrf),
                ("idempotency_key", &key),
                ("name", "Léa Martin"),
                ("email", "lea@example.fr"),
                ("format", "di"),
            ],
        )
        .await;
    assert_eq!(awarded.status, StatusCode::SEE_OTHER, "{}", awarded.text());
    let message = server.next();
    assert_eq!(message.recipients, ["lea@example.fr"]);
    let award_path = location(&awarded);
    let award_page = browser.get(&app, &award_path).await.text();
    let text = body_text(&message.data);
    let url = text
        .lines()
        .find(|l| l.contains("/claim/"))
        .expect("a claim link")
        .trim();
    let code = url.rsplit('/').next().unwrap();
    assert!(award_page.contains(code), "{url}");
    assert!(award_page.contains("E-mail envoyé le"), "{award_page}");
    // Resend from the award page: one more message.
    let award_path = award_path.split('?').next().unwrap();
    let resent = browser
        .post_form(&app, &format!("{award_path}/resend"), &[("csrf", &csrf)])
        .await;
    assert_eq!(resent.status, StatusCode::SEE_OTHER);
    assert_eq!(server.next().recipients, ["lea@example.fr"]);
    let page = browser.get(&app, &location(&resent)).await.text();
    assert!(
        page.contains("Nouvel essai d&#39;envoi fait")
            || page.contains("Nouvel essai d'envoi fait"),
        "{page}"
    );
}

#[actix_web::test]
async fn without_smtp_the_facilitator_is_told_and_given_every_code() {
    let app = TestApp::sqlite().await;
    let fixture = fixture(&app).await;
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let (html, workshop) = workshop_awarded(&app, &mut browser, &fixture).await;
    // One A4 sheet of cards to cut out, written to each participant.
    let sheet = browser.get(&app, &format!("{workshop}/sheet")).await;
    assert_eq!(sheet.status, StatusCode::OK);
    let sheet = sheet.text();
    assert_eq!(sheet.matches("class=\"claim-card\"").count(), 3, "{sheet}");
    for first_name in ["Awa", "Lea", "Jo"] {
        assert!(sheet.contains(&format!("Bonjour {first_name},")), "{sheet}");
    }
    assert!(sheet.contains("tapez ce code"), "{sheet}");
    assert!(sheet.contains("claim-qr.png"));
    assert!(
        html.contains("Aucune messagerie n&#39;est configurée")
            || html.contains("Aucune messagerie n'est configurée"),
        "{html}"
    );
    for name in ["Awa Diallo", "Lea Martin", "Jo Petit"] {
        assert!(
            html.contains(&format!("{name}</a></td><td class=\"code-inline\">")),
            "{name}: {html}"
        );
    }
    assert!(
        html.contains("2 personne(s) avec une adresse e-mail n&#39;ont rien reçu")
            || html.contains("2 personne(s) avec une adresse e-mail n'ont rien reçu"),
        "{html}"
    );
}
