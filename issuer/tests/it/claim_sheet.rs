//! After a CSV import, the codes of the people who received no e-mail are
//! shown and their printable claim sheet is one button away: A4 cards
//! written to each person (first name, QR code, address to type, code).

use actix_web::http::StatusCode;
use issuer::users::Role;

use crate::mailer::SmtpServer;
use crate::pages::{designed_badge, hidden, Browser};
use crate::support::TestApp;

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in {html}"))
        + start.len();
    let to = html[from..].find(end).unwrap() + from;
    &html[from..to]
}

#[actix_web::test]
async fn a_csv_import_prints_the_codes_of_people_without_email() {
    let server = SmtpServer::plain();
    let app = TestApp::sqlite_with(|config| config.smtp = Some(server.settings("smtp", ""))).await;
    app.create_org("centre-social");
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let badge_path = designed_badge(&app, &mut browser).await;
    let csrf = hidden(&browser.get(&app, &badge_path).await.text(), "csrf");
    let csv = "Nom;Prénom;Courriel\nDiallo;Awa;\nMartin;Léa;lea@example.fr\nPetit;Jo;\n";
    let done = browser.commit_csv(&app, &badge_path, &csrf, csv).await;
    let html = done.text();
    let sent: Vec<String> = server.recipients();
    assert_eq!(sent, ["lea@example.fr"]);
    // The codes of the two people without e-mail, and the sheet's button.
    let awa_code = between(&html, "Awa Diallo</a></td><td class=\"code-inline\">", "<");
    let jo_code = between(&html, "Jo Petit</a></td><td class=\"code-inline\">", "<");
    assert!(
        !html.contains("Léa Martin</a></td><td class=\"code-inline\">"),
        "{html}"
    );
    assert!(
        html.contains("Imprimer les codes (feuille à découper)"),
        "{html}"
    );
    let action = format!("{badge_path}/csv/sheet");
    assert!(html.contains(&format!("action=\"{action}\"")), "{html}");
    let awards = hidden(&html, "awards");
    assert_eq!(awards.split(' ').count(), 2, "{awards}");

    let sheet = browser
        .post_form(&app, &action, &[("csrf", &csrf), ("awards", &awards)])
        .await;
    assert_eq!(sheet.status, StatusCode::OK, "{}", sheet.text());
    let page = sheet.text();
    assert_eq!(page.matches("class=\"claim-card\"").count(), 2, "{page}");
    for (first_name, code) in [("Awa", awa_code), ("Jo", jo_code)] {
        assert!(page.contains(&format!("Bonjour {first_name},")), "{page}");
        assert!(
            page.contains(&format!("<p class=\"code\">{code}</p>")),
            "{page}"
        );
    }
    assert!(!page.contains("Léa"), "{page}");
    assert!(
        page.contains("vous a délivré le badge « Faire ses démarches en ligne »"),
        "{page}"
    );
    assert!(page.contains("scannez ce QR code"), "{page}");
    assert!(
        page.contains(&format!(
            "ou allez sur {} et tapez ce code",
            app.state.base()
        )),
        "{page}"
    );
    let qr = between(&page, "<img class=\"qr\" src=\"", "\"").to_owned();
    let png = browser.get(&app, &qr).await;
    assert_eq!(png.status, StatusCode::OK);
    assert_eq!(png.header("content-type").as_deref(), Some("image/png"));

    // Awards of another badge or organisation are not printed; a missing
    // CSRF token is refused.
    let other = browser
        .post_form(
            &app,
            &action,
            &[("csrf", &csrf), ("awards", "not-an-award")],
        )
        .await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(
        other.text().contains("Personne n'a besoin de code")
            || other.text().contains("Personne n&#39;a besoin de code")
    );
    let forged = browser
        .post_form(&app, &action, &[("awards", &awards)])
        .await;
    assert_ne!(forged.status, StatusCode::OK);
}
