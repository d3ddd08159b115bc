//! The keys page: admins rotate keys, facilitators cannot.

use actix_web::http::StatusCode;
use issuer::users::Role;

use super::{hidden, location, Browser};
use crate::db_test;
use crate::support::TestApp;

async fn admins_rotate_keys_from_the_page_facilitators_cannot(app: TestApp) {
    app.create_org("centre-social");
    app.create_user("admin@example.fr", "centre-social", Role::Admin);
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let mut admin = Browser::default();
    admin.login(&app, "admin@example.fr").await;
    let page = admin.get(&app, "/app/centre-social/keys").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = hidden(&page.text(), "csrf");
    assert_eq!(
        page.text()
            .matches("<span class=\"status-active\">")
            .count(),
        2
    );
    let rotated = admin
        .post_form(
            &app,
            "/app/centre-social/keys/rotate",
            &[("csrf", &csrf), ("algorithm", "Ed25519")],
        )
        .await;
    assert_eq!(rotated.status, StatusCode::SEE_OTHER);
    let page = admin.get(&app, &location(&rotated)).await.text();
    assert!(page.contains("La nouvelle clé est active."));
    assert!(page.contains("Retirée le"));
    // The retired key stays published in the profile.
    let profile = app
        .get("/orgs/centre-social", &crate::support::Auth::None)
        .await
        .json();
    assert_eq!(profile["assertionMethod"].as_array().map(Vec::len), Some(3));

    let mut facilitator = Browser::default();
    facilitator.login(&app, "marie@example.fr").await;
    let refused = facilitator.get(&app, "/app/centre-social/keys").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let dashboard = facilitator.get(&app, "/app/centre-social").await.text();
    let csrf = hidden(&dashboard, "csrf");
    let refused = facilitator
        .post_form(
            &app,
            "/app/centre-social/keys/rotate",
            &[("csrf", &csrf), ("algorithm", "Ed25519")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
db_test!(
    keys_page,
    admins_rotate_keys_from_the_page_facilitators_cannot
);
