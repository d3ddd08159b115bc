//! The badge designer: a badge with DigComp competences.

use actix_web::http::StatusCode;
use issuer::users::Role;

use super::{hidden, location, Browser};
use crate::db_test;
use crate::support::TestApp;

async fn designer_creates_a_badge_with_digcomp_competences(app: TestApp) {
    app.create_org("centre-social");
    app.create_org("autre");
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let designer = browser.get(&app, "/app/centre-social/badges/new").await;
    assert_eq!(designer.status, StatusCode::OK);
    let html = designer.text();
    assert!(html.contains("Protéger les données personnelles et la vie privée"));
    assert!(html.contains("<label for=\"name\">"));
    let csrf = hidden(&html, "csrf");

    let fields = [
        ("csrf", csrf.as_str()),
        ("name", "Faire ses démarches en ligne"),
        (
            "description",
            "Sait créer un compte et faire une démarche en ligne.",
        ),
        ("criteria", "A participé aux trois séances de l'atelier."),
        ("achievement_type", "Badge"),
        ("tags", "démarches, administration"),
        ("language", "fr"),
        ("competence", "1.1"),
        ("competence", "4.2"),
    ];
    let created = browser
        .post_multipart(&app, "/app/centre-social/badges", &fields, None)
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
    let badge = browser.get(&app, &location(&created)).await;
    let html = badge.text();
    assert!(html.contains("Faire ses démarches en ligne"));
    assert!(html.contains("4.2 Protéger les données personnelles et la vie privée"));
    assert!(html.contains("Le badge est créé."));

    // Missing name: the form again with the error and the typed values kept.
    let mut bad = fields.to_vec();
    bad[1] = ("name", "");
    let refused = browser
        .post_multipart(&app, "/app/centre-social/badges", &bad, None)
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.text().contains("Le badge n&#39;a pas été créé.")
            || refused.text().contains("Le badge n'a pas été créé."),
        "{}",
        refused.text()
    );
    assert!(refused.text().contains("A participé aux trois séances"));
    // Without the CSRF token nothing is created.
    let mut forged = fields.to_vec();
    forged[0] = ("csrf", "forged");
    let forged = browser
        .post_multipart(&app, "/app/centre-social/badges", &forged, None)
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // Another organisation's pages are "not found", as a readable page.
    let other = browser.get(&app, "/app/autre").await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert!(other.text().contains("Page introuvable"));
    let other = browser.get(&app, "/app/autre/badges/new").await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}
db_test!(designer, designer_creates_a_badge_with_digcomp_competences);
