//! Award search ignores case and accents on both backends: "helene" finds
//! "Hélène", "ELODIE" finds "Élodie"; LIKE wildcards typed in the box are
//! plain characters; awards made before the search column existed are
//! found once the service has started again; an erased award is not found.

use actix_web::http::StatusCode;
use diesel::prelude::*;
use issuer::db::schema::awards;
use serde_json::json;

use crate::awards::fixture;
use crate::db_test;
use crate::pages::Browser;
use crate::support::TestApp;

/// How many awards the list page finds for `q`.
async fn found(app: &TestApp, browser: &mut Browser, q: &str) -> usize {
    let q: String = url::form_urlencoded::byte_serialize(q.as_bytes()).collect();
    let resp = browser.get(app, &format!("/app/org-a/awards?q={q}")).await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.text());
    let html = resp.text();
    let count = html
        .split(" badge(s) trouvé(s).")
        .next()
        .and_then(|before| before.rsplit(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count: {html}"));
    count
}

async fn accents_and_case_are_ignored(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let mut ids = Vec::new();
    for (name, email) in [
        ("Hélène Dupont", None),
        ("Élodie Martin", Some("elodie.martin@exemple.fr")),
        ("Zoé Cœur", None),
        ("Helen Smith", None),
        ("Awa 100% Diallo", None),
    ] {
        let resp = app
            .post(
                "/api/v1/orgs/org-a/awards",
                &fx.token,
                json!({
                    "achievement_id": fx.achievement_id,
                    "recipient_name": name,
                    "recipient_email": email,
                }),
            )
            .await;
        assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
        ids.push(resp.json()["id"].as_str().unwrap().to_owned());
    }
    let mut browser = Browser::default();
    browser.login(&app, "fac@org-a.fr").await;
    for (q, expected) in [
        ("helene", 1),
        ("HÉLÈNE", 1),
        ("ELODIE", 1),
        ("élodie martin", 1),
        ("ELODIE.MARTIN@", 1),
        ("coeur", 1),
        ("zoe", 1),
        ("helen", 2),
        ("", 5),
        ("%", 1),
        ("_", 0),
        ("nobody", 0),
    ] {
        assert_eq!(found(&app, &mut browser, q).await, expected, "{q:?}");
    }

    // Awards from before the column: not found until the service starts
    // again and fills it in.
    app.state
        .db
        .run_blocking(|conn| {
            diesel::update(awards::table)
                .set(awards::search_text.eq(None::<String>))
                .execute(conn)
                .map_err(issuer::error::ApiError::from)
        })
        .unwrap();
    assert_eq!(found(&app, &mut browser, "helene").await, 0);
    let restarted = app.another_instance().await;
    assert_eq!(found(&restarted, &mut browser, "helene").await, 1);
    assert_eq!(found(&restarted, &mut browser, "ELODIE").await, 1);

    // Erased: the name, e-mail and code are gone from the search too.
    let erased = restarted
        .post(
            &format!("/api/v1/orgs/org-a/awards/{}/erase", ids[1]),
            &fx.token,
            json!({}),
        )
        .await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.text());
    assert_eq!(found(&restarted, &mut browser, "elodie").await, 0);
    let stored: Option<String> = restarted
        .state
        .db
        .run_blocking(|conn| {
            awards::table
                .find(&ids[1])
                .select(awards::search_text)
                .first(conn)
                .map_err(issuer::error::ApiError::from)
        })
        .unwrap();
    assert!(!stored.unwrap_or_default().contains("elodie"));
}
db_test!(award_search_ignores_accents, accents_and_case_are_ignored);
