//! CSV import pages: the preview with its bad rows, one commit, a French
//! Excel file read as the facilitator wrote it.

use actix_web::http::StatusCode;
use issuer::users::Role;

use super::{designed_badge, hidden, Browser};
use crate::db_test;
use crate::support::TestApp;

async fn csv_preview_lists_bad_rows_then_commits_once(app: TestApp) {
    app.create_org("centre-social");
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let badge_path = designed_badge(&app, &mut browser).await;
    let csrf = hidden(&browser.get(&app, &badge_path).await.text(), "csrf");
    let bad = b"name,email\nLea Martin,lea@example.fr\n,nobody@example.fr\nJo Petit,not-an-email\n";
    let preview = browser
        .post_multipart(
            &app,
            &format!("{badge_path}/csv"),
            &[("csrf", &csrf)],
            Some(("file", "session.csv", "text/csv", bad)),
        )
        .await;
    assert_eq!(preview.status, StatusCode::BAD_REQUEST);
    let html = preview.text();
    assert!(
        html.contains("<td>3</td>") && html.contains("<td>4</td>"),
        "{html}"
    );
    assert!(html.contains("Rien n&#39;a été délivré") || html.contains("Rien n'a été délivré"));

    let good = b"name,email\nLea Martin,lea@example.fr\nJo Petit,\nSam Bernard,sam@example.fr\n";
    let preview = browser
        .post_multipart(
            &app,
            &format!("{badge_path}/csv"),
            &[("csrf", &csrf)],
            Some(("file", "session.csv", "text/csv", good)),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text());
    assert!(preview
        .text()
        .contains("3 personne(s) vont recevoir le badge"));
    let csv = String::from_utf8(good.to_vec()).unwrap();
    for expected in ["3 badge(s) délivré(s). 0", "0 badge(s) délivré(s). 3"] {
        let done = browser.commit_csv(&app, &badge_path, &csrf, &csv).await;
        assert!(done.text().contains(expected), "{}", done.text());
    }
}
db_test!(csv_pages, csv_preview_lists_bad_rows_then_commits_once);

/// A French Excel file through the pages: the preview shows how each column
/// is read and its problems in French, naming the columns as the file does;
/// after the import the codes of people without e-mail are shown.
async fn french_excel_file_through_the_pages(app: TestApp) {
    app.create_org("centre-social");
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let badge_path = designed_badge(&app, &mut browser).await;
    let csrf = hidden(&browser.get(&app, &badge_path).await.text(), "csrf");
    let bad: &[u8] = b"Nom;Pr\xe9nom;Courriel\r\nRoux;Zo\xe9;zoe@\r\nDiallo;Awa;\r\n";
    let preview = browser
        .post_multipart(
            &app,
            &format!("{badge_path}/csv"),
            &[("csrf", &csrf)],
            Some(("file", "liste.csv", "text/csv", bad)),
        )
        .await;
    assert_eq!(preview.status, StatusCode::BAD_REQUEST);
    let html = preview.text();
    assert!(
        html.contains("<td>Courriel</td><td>Ce n&#39;est pas une adresse e-mail.</td>")
            || html.contains("<td>Courriel</td><td>Ce n'est pas une adresse e-mail.</td>"),
        "{html}"
    );
    assert!(html.contains("<td>Prénom</td><td>Prénom</td>"), "{html}");
    assert!(
        html.contains("<td>Nom</td><td>Nom de famille</td>"),
        "{html}"
    );
    assert!(!html.contains("not an e-mail"), "{html}");

    let good: &[u8] = b"Nom;Pr\xe9nom;Courriel\r\nRoux;Zo\xe9;zoe@example.fr\r\nDiallo;Awa;\r\n";
    let preview = browser
        .post_multipart(
            &app,
            &format!("{badge_path}/csv"),
            &[("csrf", &csrf)],
            Some(("file", "liste.csv", "text/csv", good)),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text());
    let html = preview.text();
    assert!(html.contains("<td>Zoé Roux</td>"), "{html}");
    let csv = hidden(&html, "csv")
        .replace("&#10;", "\n")
        .replace("&#13;", "\r");
    let done = browser.commit_csv(&app, &badge_path, &csrf, &csv).await;
    let html = done.text();
    assert!(html.contains("2 badge(s) délivré(s)."), "{html}");
    assert!(
        html.contains("Awa Diallo</a></td><td class=\"code-inline\">"),
        "{html}"
    );
}
db_test!(french_excel_pages, french_excel_file_through_the_pages);
