//! Award search: old awards found by name, e-mail or code, per badge.

use actix_web::http::StatusCode;
use issuer::users::Role;

use super::{designed_badge, hidden, location, Browser};
use crate::db_test;
use crate::support::TestApp;

/// An old award is found again: by name, e-mail or code, per badge and per
/// workshop, a page at a time; its page then revokes it.
async fn old_awards_are_found_by_search_and_pages(app: TestApp) {
    app.create_org("centre-social");
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let mut facilitator = Browser::default();
    facilitator.login(&app, "marie@example.fr").await;
    let badge_path = designed_badge(&app, &mut facilitator).await;
    let badge_id = badge_path.rsplit('/').next().unwrap().to_owned();
    let mut first = String::new();
    for i in 0..40 {
        let html = facilitator.get(&app, &badge_path).await.text();
        let (csrf, key) = (hidden(&html, "csrf"), hidden(&html, "idempotency_key"));
        let name = if i == 0 {
            "Élise Zébulon".to_owned()
        } else {
            format!("Personne {i:02}")
        };
        let email = if i == 0 {
            "elise@example.fr".to_owned()
        } else {
            String::new()
        };
        let resp = facilitator
            .post_form(
                &app,
                &format!("{badge_path}/award"),
                &[
                    ("csrf", &csrf),
                    ("idempotency_key", &key),
                    ("name", &name),
                    ("email", &email),
                ],
            )
            .await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.text());
        if i == 0 {
            first = location(&resp).split('?').next().unwrap().to_owned();
        }
    }
    // The dashboard links to the list, which pages through every award.
    let dashboard = facilitator.get(&app, "/app/centre-social").await.text();
    assert!(dashboard.contains("/app/centre-social/awards\""));
    let all = facilitator
        .get(&app, "/app/centre-social/awards")
        .await
        .text();
    assert!(all.contains("40 badge(s) trouvé(s)."), "{all}");
    assert!(all.contains("Page 1 sur 2"), "{all}");
    assert!(all.contains("rel=\"next\""));
    let last = facilitator
        .get(&app, "/app/centre-social/awards?page=2")
        .await
        .text();
    assert!(last.contains("rel=\"prev\""));
    let rows = |html: &str| {
        html.matches("<td><a href=\"/app/centre-social/awards/")
            .count()
    };
    assert_eq!((rows(&all), rows(&last)), (25, 15));
    assert_eq!(
        all.matches("Élise Zébulon").count() + last.matches("Élise Zébulon").count(),
        1
    );
    for q in ["élise", "ZÉBULON", "elise@example"] {
        let found = facilitator
            .get(
                &app,
                &format!(
                    "/app/centre-social/awards?q={}",
                    url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
                ),
            )
            .await
            .text();
        assert!(found.contains("1 badge(s) trouvé(s)."), "{q}: {found}");
        assert!(found.contains(&first), "{q}");
    }
    let award = facilitator.get(&app, &first).await.text();
    let code = award
        .split("<p class=\"code\" id=\"claim-code\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_owned();
    let by_code = facilitator
        .get(
            &app,
            &format!(
                "/app/centre-social/awards?q={}",
                code.replace('-', "").to_lowercase()
            ),
        )
        .await
        .text();
    assert!(by_code.contains("1 badge(s) trouvé(s)."), "{by_code}");
    let per_badge = facilitator
        .get(&app, &format!("/app/centre-social/awards?badge={badge_id}"))
        .await
        .text();
    assert!(per_badge.contains("40 badge(s) trouvé(s)."));
    let none = facilitator
        .get(&app, "/app/centre-social/awards?workshop=none&page=zz")
        .await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(none.text().contains("0 badge(s) trouvé(s)."));
    // Revoked from its page, as any award.
    let csrf = hidden(&award, "csrf");
    let revoked = facilitator
        .post_form(
            &app,
            &format!("{first}/revoke"),
            &[("csrf", &csrf), ("reason", "Erreur")],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    // Typed without its accents, the name is found all the same.
    for q in ["zebulon", "z%C3%A9bulon", "ELISE"] {
        let found = facilitator
            .get(&app, &format!("/app/centre-social/awards?q={q}"))
            .await
            .text();
        assert!(found.contains("1 badge(s) trouvé(s)."), "{q}: {found}");
        assert!(
            found.contains("Retiré") || found.contains("status-revoked"),
            "{found}"
        );
    }
}
db_test!(award_search, old_awards_are_found_by_search_and_pages);
