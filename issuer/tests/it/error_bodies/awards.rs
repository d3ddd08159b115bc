//! Error bodies of `/api/v1/orgs/{slug}/awards*`: awarding one person,
//! importing a CSV file, reading, revoking, re-sending and erasing.

use actix_web::http::Method;
use serde_json::{json, Value};

use super::{org_path, raw};
use crate::awards::{fixture, Fixture};
use crate::db_test;
use crate::support::{TestApp, TestResponse};

/// POSTs an award of the fixture's achievement with `extra` fields.
async fn award(app: &TestApp, fx: &Fixture, extra: Value) -> TestResponse {
    let mut body = json!({"achievement_id": fx.achievement_id, "recipient_name": "Awa Diallo"});
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    app.post(&org_path("/awards"), &fx.token, body).await
}

async fn award_creation_errors(app: TestApp) {
    let fx = fixture(&app, super::SLUG).await;
    let cases = [
        ("create_empty_name", json!({"recipient_name": " "})),
        (
            "create_control_character",
            json!({"recipient_name": "Awa\u{0}"}),
        ),
        ("create_invalid_email", json!({"recipient_email": "awa"})),
        (
            "create_long_narrative",
            json!({"narrative": "x".repeat(5001)}),
        ),
        (
            "create_invalid_evidence_url",
            json!({"evidence_url": "javascript:alert(1)"}),
        ),
        (
            "create_invalid_idempotency_key",
            json!({"idempotency_key": "a key"}),
        ),
        (
            "create_invalid_recipient_language",
            json!({"recipient_language": "de"}),
        ),
        ("create_invalid_json", json!({"format": "pdf"})),
        (
            "create_unknown_achievement",
            json!({"achievement_id": "unknown"}),
        ),
    ];
    for (name, extra) in cases {
        assert_error!(name, &award(&app, &fx, extra).await);
    }
    let body = json!({"achievement_id": fx.achievement_id, "recipient_name": "Awa Diallo",
        "idempotency_key": "body-key"});
    let body = serde_json::to_vec(&body).unwrap();
    let headers = [
        ("content-type", "application/json"),
        ("idempotency-key", "header-key"),
    ];
    let path = org_path("/awards");
    assert_error!(
        "create_idempotency_keys_differ",
        &raw(&app, Method::POST, &path, &fx.token, &headers, body).await,
    );
    assert_error!(
        "list_invalid_query",
        &app.get(&org_path("/awards?limit=many"), &fx.token).await,
    );
    assert_error!(
        "show_not_found",
        &app.get(&org_path("/awards/unknown"), &fx.token).await,
    );
}
db_test!(award_creation, award_creation_errors);

async fn award_life_errors(app: TestApp) {
    let fx = fixture(&app, super::SLUG).await;
    let with_email = award(&app, &fx, json!({"recipient_email": "awa@example.fr"})).await;
    assert_eq!(with_email.status, 201, "{}", with_email.text());
    let with_email = with_email.json()["id"].as_str().unwrap().to_owned();
    let without = award(&app, &fx, json!({})).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let post = |id: &str, action: &str, body: Value| {
        let path = org_path(&format!("/awards/{id}/{action}"));
        let (app, token) = (&app, &fx.token);
        async move { app.post(&path, token, body).await }
    };
    assert_error!(
        "resend_no_address",
        &post(&without, "resend", json!({})).await,
    );
    assert_error!(
        "resend_smtp_not_configured",
        &post(&with_email, "resend", json!({})).await,
    );
    assert_error!(
        "revoke_empty_reason",
        &post(&without, "revoke", json!({"reason": " "})).await,
    );
    assert_error!(
        "revoke_long_reason",
        &post(&without, "revoke", json!({"reason": "x".repeat(501)})).await,
    );
    let reason = json!({"reason": "Délivré par erreur"});
    let revoked = post(&without, "revoke", reason.clone()).await;
    assert_eq!(revoked.status, 200, "{}", revoked.text());
    assert_error!(
        "revoke_already_revoked",
        &post(&without, "revoke", reason.clone()).await,
    );
    assert_error!("resend_revoked", &post(&without, "resend", json!({})).await);
    assert_error!("revoke_not_found", &post("unknown", "revoke", reason).await,);
    assert_error!(
        "erase_not_found",
        &post("unknown", "erase", json!({})).await
    );
    // Erasing drops the claim code.
    let erased = post(&without, "erase", json!({})).await;
    assert_eq!(erased.status, 200, "{}", erased.text());
    let qr = org_path(&format!("/awards/{without}/claim-qr.png"));
    assert_error!("claim_qr_no_claim_code", &app.get(&qr, &fx.token).await);
}
db_test!(award_life, award_life_errors);

async fn csv_errors(app: TestApp) {
    let fx = fixture(&app, super::SLUG).await;
    let import = |query: String, file: Vec<u8>| {
        let path = org_path(&format!("/awards/csv?{query}"));
        let (app, token) = (&app, &fx.token);
        async move {
            let headers = [("content-type", "text/csv")];
            raw(app, Method::POST, &path, token, &headers, file).await
        }
    };
    let achievement = format!("achievement_id={}", fx.achievement_id);
    let bad = b"name,email\nLea Martin,lea@example.fr\n,nobody@example.fr\nJo Petit,not-an-email\n";
    assert_error!(
        "import_invalid_csv",
        &import(achievement.clone(), bad.to_vec()).await
    );
    let good = b"name\nLea Martin\n".to_vec();
    assert_error!(
        "import_missing_achievement",
        &import(String::new(), good.clone()).await
    );
    assert_error!(
        "import_unknown_achievement",
        &import("achievement_id=unknown".into(), good).await,
    );
    let mut large = b"name\n".to_vec();
    large.resize(1024 * 1024 + 1, b'a');
    assert_error!("import_too_large", &import(achievement, large).await);
}
db_test!(csv_import, csv_errors);
