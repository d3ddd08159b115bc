//! Workshop awards (and the CSV path beside them) e-mail everyone with an
//! address, each in their own language.

use actix_web::http::StatusCode;
use serde_json::json;

use super::{body_text, fixture, workshop_awarded, SmtpServer};
use crate::pages::{hidden, location, Browser};
use crate::support::TestApp;

/// Workshop and CSV, through the pages: one e-mail per person with an
/// address, the codes of the others shown.
#[actix_web::test]
async fn workshop_and_csv_paths_email_everyone_with_an_address() {
    let server = SmtpServer::plain();
    let app = TestApp::sqlite_with(|config| config.smtp = Some(server.settings("smtp", ""))).await;
    let fixture = fixture(&app).await;
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let (html, workshop) = workshop_awarded(&app, &mut browser, &fixture).await;
    let mut to: Vec<String> = server.recipients();
    to.sort();
    assert_eq!(to, ["jo@example.fr", "lea@example.fr"], "{html}");
    assert!(html.contains("2 e-mail(s) envoyé(s)"), "{html}");
    assert!(html.contains("1 personne(s) sans adresse e-mail"), "{html}");
    assert!(
        html.contains("Awa Diallo</a></td><td class=\"code-inline\">"),
        "{html}"
    );
    assert!(!html.contains("Aucune messagerie"), "{workshop}");

    let badge_path = format!("/app/centre-social/badges/{}", fixture.achievement_id);
    let csrf = hidden(&browser.get(&app, &badge_path).await.text(), "csrf");
    let csv = "name,email\nSam Bernard,sam@example.fr\nZoé Roux,\n";
    let done = browser.commit_csv(&app, &badge_path, &csrf, csv).await;
    let html = done.text();
    let to: Vec<String> = server.recipients();
    assert_eq!(to, ["sam@example.fr"]);
    assert!(html.contains("1 e-mail(s) envoyé(s)"), "{html}");
    assert!(
        html.contains("Zoé Roux</a></td><td class=\"code-inline\">"),
        "{html}"
    );
    assert!(
        !html.contains("Sam Bernard</a></td><td class=\"code-inline\">"),
        "{html}"
    );
}

/// A workshop participant marked as reading English, from the page's
/// choice or the API's `language`, gets the badge's e-mail in English; the
/// others in French; an unknown language is refused, what was typed kept.
/// On SQLite and, when configured, PostgreSQL (the choice is a stored column).
#[actix_web::test]
async fn a_workshop_participants_language_reaches_the_email_sqlite() {
    let server = SmtpServer::plain();
    let app = TestApp::sqlite_with(|config| config.smtp = Some(server.settings("smtp", ""))).await;
    workshop_participant_language(app, server).await;
}

#[actix_web::test]
async fn a_workshop_participants_language_reaches_the_email_postgres() {
    let server = SmtpServer::plain();
    let Some(app) =
        TestApp::postgres_with(|config| config.smtp = Some(server.settings("smtp", ""))).await
    else {
        return;
    };
    workshop_participant_language(app, server).await;
}

async fn workshop_participant_language(app: TestApp, server: SmtpServer) {
    let fixture = fixture(&app).await;
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let page = browser
        .get(&app, "/app/centre-social/workshops")
        .await
        .text();
    let csrf = hidden(&page, "csrf");
    let created = browser
        .post_form(
            &app,
            "/app/centre-social/workshops",
            &[
                ("csrf", &csrf),
                ("title", "Atelier du jeudi"),
                ("achievement_id", &fixture.achievement_id),
                ("sessions", "1"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
    let path = location(&created);
    let html = browser.get(&app, &path).await.text();
    assert!(
        html.contains("<label for=\"p-language\">")
            && html.contains("<select id=\"p-language\" name=\"language\">"),
        "{html}"
    );
    // A language the page does not offer: refused in words, input kept.
    let refused = browser
        .post_form(
            &app,
            &format!("{path}/participants"),
            &[
                ("csrf", &csrf),
                ("name", "Hans Weber"),
                ("email", "hans@example.org"),
                ("language", "de"),
            ],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::BAD_REQUEST,
        "{}",
        refused.text()
    );
    let html = refused.text();
    assert!(html.contains("Choisissez la langue de l"), "{html}");
    assert!(html.contains("value=\"hans@example.org\""), "{html}");
    // A wrong address or an empty name: said in French, never with the
    // API's field names.
    for (name, email, expected) in [
        (
            "Hans Weber",
            "hans-at-example.org",
            "L'adresse e-mail n'est pas valable",
        ),
        ("   ", "", "Écrivez le nom de la personne"),
    ] {
        let refused = browser
            .post_form(
                &app,
                &format!("{path}/participants"),
                &[
                    ("csrf", &csrf),
                    ("name", name),
                    ("email", email),
                    ("language", "fr"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        let html = refused.text().replace("&#x27;", "'").replace("&#39;", "'");
        assert!(html.contains(expected), "{html}");
        assert!(
            !html.contains("email:") && !html.contains("name:"),
            "{html}"
        );
    }
    let refused = browser
        .post_form(
            &app,
            "/app/centre-social/workshops",
            &[
                ("csrf", &csrf),
                ("title", ""),
                ("achievement_id", &fixture.achievement_id),
                ("sessions", "1"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let html = refused.text().replace("&#x27;", "'").replace("&#39;", "'");
    assert!(
        html.contains("Vérifiez le formulaire : un nom d'atelier"),
        "{html}"
    );
    assert!(!html.contains("title:"), "{html}");
    for (name, email, language) in [
        ("John Smith", "john@example.org", "en"),
        ("Lea Martin", "lea@example.fr", "fr"),
    ] {
        let resp = browser
            .post_form(
                &app,
                &format!("{path}/participants"),
                &[
                    ("csrf", &csrf),
                    ("name", name),
                    ("email", email),
                    ("language", language),
                ],
            )
            .await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.text());
    }
    // The API takes the same choice; without one, French.
    let workshop_id = path.rsplit('/').next().unwrap();
    let api_path = format!("/api/v1/orgs/centre-social/workshops/{workshop_id}/participants");
    let bad = app
        .post(
            &api_path,
            &fixture.token,
            json!({"name": "Hans Weber", "email": "hans@example.org", "language": "de"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text());
    assert_eq!(bad.error_code(), "invalid_language");
    for (body, language) in [
        (
            json!({"name": "Mary Jones", "email": "mary@example.org", "language": "en-GB"}),
            "en",
        ),
        (json!({"name": "Jo Petit", "email": "jo@example.fr"}), "fr"),
    ] {
        let resp = app.post(&api_path, &fixture.token, body).await;
        assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
        assert_eq!(resp.json()["language"], language);
    }

    let page = browser.get(&app, &path).await.text();
    // The attendance sheet says who gets the e-mail in English.
    for name in ["John Smith", "Mary Jones"] {
        assert!(
            page.contains(&format!(
                "{name} <span class=\"muted\">(e-mail en anglais)</span>"
            )),
            "{name}: {page}"
        );
    }
    assert_eq!(page.matches("(e-mail en anglais)").count(), 2, "{page}");
    let marks: Vec<String> = page
        .split("name=\"present\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect();
    assert_eq!(marks.len(), 4, "{page}");
    let mut fields = vec![("csrf", csrf.as_str()), ("then", "award")];
    fields.extend(marks.iter().map(|m| ("present", m.as_str())));
    let awarded = browser
        .post_multipart(&app, &format!("{path}/attendance"), &fields, None)
        .await;
    assert_eq!(awarded.status, StatusCode::OK, "{}", awarded.text());
    let mut bodies: Vec<(String, String)> = server
        .drain()
        .into_iter()
        .map(|m| (m.recipients.join(","), body_text(&m.data)))
        .collect();
    bodies.sort();
    let to: Vec<&str> = bodies.iter().map(|(to, _)| to.as_str()).collect();
    assert_eq!(
        to,
        [
            "jo@example.fr",
            "john@example.org",
            "lea@example.fr",
            "mary@example.org"
        ]
    );
    for ((_, text), greeting) in bodies.iter().zip([
        "Bonjour Jo Petit,",
        "Hello John Smith,",
        "Bonjour Lea Martin,",
        "Hello Mary Jones,",
    ]) {
        assert!(text.starts_with(greeting), "{greeting}: {text}");
    }
}
