//! A CSV language column chooses each person's e-mail language.

use actix_web::http::{Method, StatusCode};

use super::{body_text, fixture, SmtpServer};
use crate::awards::raw;
use crate::pages::{hidden, Browser};
use crate::support::TestApp;

/// A CSV file's "Langue" column chooses each person's e-mail language:
/// shown in words on the preview, an unknown language refused in the
/// reader's language, English rows mailed in English, the others in
/// French; the API reads the same column.
#[actix_web::test]
async fn a_csv_language_column_chooses_each_persons_email_language() {
    let server = SmtpServer::plain();
    let app = TestApp::sqlite_with(|config| config.smtp = Some(server.settings("smtp", ""))).await;
    let fixture = fixture(&app).await;
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let badge_path = format!("/app/centre-social/badges/{}", fixture.achievement_id);
    let csrf = hidden(&browser.get(&app, &badge_path).await.text(), "csrf");

    // As Excel in France saves it: Windows-1252, ";" ("Prénom", "Français").
    let refused = b"Nom;Pr\xe9nom;Courriel;Langue\r\nSmith;John;john@example.org;espagnol\r\n";
    let preview = browser
        .post_multipart(
            &app,
            &format!("{badge_path}/csv"),
            &[("csrf", &csrf), ("format", "di")],
            Some(("file", "participants.csv", "text/csv", refused)),
        )
        .await;
    assert_eq!(preview.status, StatusCode::BAD_REQUEST);
    let html = preview.text();
    assert!(html.contains("Langue inconnue"), "{html}");
    assert!(!html.contains("language_invalid") && !html.contains("Unknown language"));
    assert!(server.drain().is_empty());

    let file = b"Nom;Pr\xe9nom;Courriel;Langue\r\n\
                 Smith;John;john@example.org;English\r\n\
                 Roux;Zo\xe9;zoe@example.fr;Fran\xe7ais\r\n\
                 Petit;Jo;jo@example.fr;\r\n";
    let preview = browser
        .post_multipart(
            &app,
            &format!("{badge_path}/csv"),
            &[("csrf", &csrf), ("format", "di")],
            Some(("file", "participants.csv", "text/csv", file)),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text());
    let html = preview.text();
    assert!(
        html.contains("<td>Langue</td><td>Langue de l&#39;e-mail</td>")
            || html.contains("<td>Langue</td><td>Langue de l'e-mail</td>"),
        "{html}"
    );
    assert!(
        html.contains("<td>John Smith</td><td>john@example.org</td><td>Anglais</td>"),
        "{html}"
    );
    assert!(
        html.contains("<td>Jo Petit</td><td>jo@example.fr</td><td>Français</td>"),
        "{html}"
    );
    let csv = hidden(&html, "csv");
    browser.commit_csv(&app, &badge_path, &csrf, &csv).await;
    let mut bodies: Vec<(String, String)> = server
        .drain()
        .into_iter()
        .map(|m| (m.recipients.join(","), body_text(&m.data)))
        .collect();
    bodies.sort();
    let to: Vec<&str> = bodies.iter().map(|(to, _)| to.as_str()).collect();
    assert_eq!(to, ["jo@example.fr", "john@example.org", "zoe@example.fr"]);
    assert!(
        bodies[0].1.starts_with("Bonjour Jo Petit,"),
        "{}",
        bodies[0].1
    );
    assert!(
        bodies[1].1.starts_with("Hello John Smith,"),
        "{}",
        bodies[1].1
    );
    assert!(!bodies[1].1.contains("Bonjour"), "{}", bodies[1].1);
    assert!(
        bodies[2].1.starts_with("Bonjour Zoé Roux,"),
        "{}",
        bodies[2].1
    );

    // The API reads the same column, in English words too.
    let csv_path = format!(
        "/api/v1/orgs/centre-social/awards/csv?achievement_id={}",
        fixture.achievement_id
    );
    let resp = raw(
        &app,
        Method::POST,
        &csv_path,
        &fixture.token,
        &[("content-type", "text/csv")],
            b"name,email,language\nMary Jones,mary@example.org,EN\nLou Blanc,lou@example.fr,fr\nAl Brun,,Spanish\n".to_vec(),
    )
    .await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST, "{}", resp.text());
    let body = resp.json();
    assert_eq!(body["errors"][0]["code"], "language_invalid");
    assert_eq!(body["errors"][0]["line"], 4);
    assert_eq!(body["errors"][0]["column"], "language");
    let resp = raw(
        &app,
        Method::POST,
        &csv_path,
        &fixture.token,
        &[("content-type", "text/csv")],
        b"name,email,language\nMary Jones,mary@example.org,EN\nLou Blanc,lou@example.fr,fr\n"
            .to_vec(),
    )
    .await;
    assert!(resp.status.is_success(), "{}", resp.text());
    let ids = resp.json()["award_ids"].clone();
    let mut languages = Vec::new();
    for id in ids.as_array().unwrap() {
        let award = app
            .get(
                &format!("/api/v1/orgs/centre-social/awards/{}", id.as_str().unwrap()),
                &fixture.token,
            )
            .await
            .json();
        languages.push(award["recipient_language"].as_str().unwrap().to_owned());
    }
    assert_eq!(languages, ["en", "fr"]);
}
