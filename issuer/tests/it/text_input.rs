//! Control characters are refused with a 400 naming the field, from the API,
//! the pages and CSV files alike, on both backends (a NUL used to answer 500
//! on PostgreSQL and be stored and signed on SQLite); names are stored
//! trimmed and in Unicode NFC.

use actix_web::http::{Method, StatusCode};
use diesel::prelude::*;
use issuer::db::schema::awards as awards_table;
use issuer::users::Role;
use serde_json::{json, Value};

use crate::awards::{csv_post, fixture};
use crate::db_test;
use crate::pages::{designed_badge, hidden, Browser};
use crate::support::{Auth, TestApp, TestResponse};

fn refused(resp: &TestResponse, field: &str) {
    assert_eq!(
        resp.status,
        StatusCode::BAD_REQUEST,
        "{field}: {}",
        resp.text()
    );
    let body = resp.json();
    assert_eq!(body["error"], "control_character", "{body}");
    assert_eq!(body["field"], field, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{field}: ")),
        "{body}"
    );
}

fn stored_awards(app: &TestApp) -> Vec<String> {
    app.state
        .db
        .run_blocking(|conn| {
            Ok::<_, issuer::error::ApiError>(
                awards_table::table
                    .select(awards_table::recipient_name)
                    .load::<String>(conn)?,
            )
        })
        .unwrap()
}

async fn api_refuses_control_characters(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let awards = "/api/v1/orgs/org-a/awards";
    let award = |field: &str, value: &str| {
        let mut body = json!({"achievement_id": fx.achievement_id, "recipient_name": "Awa Diallo"});
        body[field] = value.into();
        body
    };
    for (field, value) in [
        ("recipient_name", "Awa\0Diallo"),
        ("recipient_name", "Awa\nDiallo"),
        ("recipient_name", "Awa\u{202E}ollaiD"),
        ("recipient_email", "awa\u{7}@example.fr"),
        ("narrative", "Trois séances\0"),
        ("narrative", "Couleur \u{1b}[31m"),
        ("evidence_url", "https://example.fr/\u{0}x"),
    ] {
        let resp = app.post(awards, &fx.token, award(field, value)).await;
        refused(&resp, field);
    }
    assert!(stored_awards(&app).is_empty(), "nothing stored");

    // Multi-line fields keep their line breaks.
    let ok = app
        .post(
            awards,
            &fx.token,
            award("narrative", "Séance 1\r\nSéance 2"),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text());
    assert_eq!(ok.json()["narrative"], "Séance 1\nSéance 2");
    let id = ok.json()["id"].as_str().unwrap().to_owned();
    let revoke = app
        .post(
            &format!("{awards}/{id}/revoke"),
            &fx.token,
            json!({"reason": "Erreur\0"}),
        )
        .await;
    refused(&revoke, "reason");

    let achievements = "/api/v1/orgs/org-a/achievements";
    let badge = |field: &str, value: Value| {
        let mut body =
            json!({"name": "Badge", "description": "Desc.", "criteria_narrative": "Crit."});
        body[field] = value;
        body
    };
    for (field, value) in [
        ("name", json!("Bad\u{0}ge")),
        ("description", json!("D\u{8}esc.")),
        ("criteria_narrative", json!("\u{1b}Crit.")),
        ("tags", json!(["ok", "pas\tok"])),
        ("achievement_type", json!("ext:X\u{0}")),
    ] {
        let resp = app.post(achievements, &fx.token, badge(field, value)).await;
        refused(&resp, field);
    }
    let workshop = app
        .post(
            "/api/v1/orgs/org-a/workshops",
            &fx.token,
            json!({"title": "Atelier\u{0}", "achievement_id": fx.achievement_id, "sessions": 2}),
        )
        .await;
    refused(&workshop, "title");
    let token = app
        .post("/api/v1/tokens", &fx.token, json!({"name": "script\n"}))
        .await;
    assert_eq!(
        token.status,
        StatusCode::CREATED,
        "trailing line break trimmed"
    );
    let token = app
        .post("/api/v1/tokens", &fx.token, json!({"name": "scr\u{0}ipt"}))
        .await;
    refused(&token, "name");

    app.create_user("admin@org-a.fr", "org-a", Role::Admin);
    let admin = app.login("admin@org-a.fr").await;
    for (field, value) in [
        ("name", json!("Centre\u{0}")),
        ("description", json!("Li\u{b}gne")),
        ("url", json!("https://example.fr/\na")),
        ("address", json!({"addressLocality": "Lyon\u{0}"})),
    ] {
        let resp = app
            .request(
                Method::PATCH,
                "/api/v1/orgs/org-a",
                &admin,
                Some(json!({ field: value })),
            )
            .await;
        refused(&resp, field);
    }
    let login = app
        .post(
            "/api/v1/auth/login",
            &Auth::None,
            json!({"email": "fac@org-a.fr\u{0}", "password": "x"}),
        )
        .await;
    refused(&login, "email");

    // A NUL in a looked-up value (path, query) is a client error, never a 500.
    for path in [
        "/orgs/%00/did.json",
        "/orgs/a%00b",
        "/credentials/%00",
        "/claim/%00",
        "/claim?code=AB%00C-DEFG",
        "/api/v1/orgs/org-a/awards/%00",
    ] {
        let resp = app.get(path, &fx.token).await;
        assert!(resp.status.is_client_error(), "{path}: {}", resp.status);
    }
}
db_test!(api_control_characters, api_refuses_control_characters);

async fn names_are_trimmed_and_composed(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let resp = app
        .post(
            "/api/v1/orgs/org-a/awards",
            &fx.token,
            json!({
                "achievement_id": fx.achievement_id,
                // "Léa" with a combining acute accent, white space around.
                "recipient_name": " \tLe\u{301}a Martin \r\n",
                "name_consent": true,
            }),
        )
        .await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
    let award = resp.json();
    assert_eq!(award["recipient_name"], "L\u{e9}a Martin");
    let shown = award["credential"]["credentialSubject"]["identifier"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["hashed"] == false)
        .unwrap()["identityHash"]
        .clone();
    assert_eq!(shown, "L\u{e9}a Martin");
    assert_eq!(stored_awards(&app), ["L\u{e9}a Martin"]);
}
db_test!(names_nfc, names_are_trimmed_and_composed);

async fn csv_rows_with_control_characters_are_reported(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let file = "name,email,narrative\nLéa Martin,,\n\"Marie\nCurie\",,\nJo,jo\u{0}@example.fr,\nSam,,\"Deux\nlignes\"\n";
    let resp = csv_post(&app, &fx, "", file, None).await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST, "{}", resp.text());
    let errors = resp.json()["errors"].clone();
    let found: Vec<(u64, &str, &str)> = errors
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["field"].as_str().unwrap(),
                e["control_character"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(found, [(3, "name", "U+000A"), (5, "email", "U+0000")]);
    assert!(stored_awards(&app).is_empty());
}
db_test!(
    csv_control_characters,
    csv_rows_with_control_characters_are_reported
);

async fn pages_explain_a_refused_character_in_french(app: TestApp) {
    app.create_org("centre-social");
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let badge_path = designed_badge(&app, &mut browser).await;
    let page = browser.get(&app, &badge_path).await.text();
    let (csrf, key) = (hidden(&page, "csrf"), hidden(&page, "idempotency_key"));
    let resp = browser
        .post_form(
            &app,
            &format!("{badge_path}/award"),
            &[
                ("csrf", &csrf),
                ("idempotency_key", &key),
                ("name", "Awa\u{0}Diallo"),
                ("email", ""),
                ("narrative", ""),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST, "{}", resp.text());
    let html = resp.text();
    assert!(
        html.contains("Le champ « Nom et prénom » contient un retour à la ligne, une tabulation ou un autre caractère invisible (U+0000)"),
        "{html}"
    );

    let preview = browser
        .post_multipart(
            &app,
            &format!("{badge_path}/csv"),
            &[("csrf", &csrf)],
            Some((
                "file",
                "session.csv",
                "text/csv",
                b"name\nL\xc3\xa9a\n\"Jo\x07\"\n",
            )),
        )
        .await;
    assert_eq!(preview.status, StatusCode::BAD_REQUEST);
    let html = preview.text();
    assert!(
        html.contains("<td>3</td><td>name</td><td>Contient un retour à la ligne, une tabulation ou un autre caractère invisible (U+0007) : retirez-le.</td>"),
        "{html}"
    );
    assert!(stored_awards(&app).is_empty());
}
db_test!(
    pages_control_characters,
    pages_explain_a_refused_character_in_french
);
