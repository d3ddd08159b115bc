//! Error bodies of `/api/v1/orgs/{slug}/achievements` and the published
//! `/achievements/{version_id}`.

use serde_json::{json, Value};

use super::{org_path, put};
use crate::awards::fixture;
use crate::db_test;
use crate::support::{Auth, TestApp};

/// A valid achievement with `field` set to `value`.
fn achievement_with(field: &str, value: Value) -> Value {
    let mut body = json!({
        "name": "Démarches en ligne",
        "description": "Faire ses démarches administratives en ligne",
        "criteria_narrative": "A suivi les trois séances de l'atelier",
    });
    body[field] = value;
    body
}

async fn achievement_errors(app: TestApp) {
    let fx = fixture(&app, super::SLUG).await;
    let alignment = |framework: &str, code: &str| json!([{"framework": framework, "code": code}]);
    let many: Vec<Value> = (0..22)
        .map(|_| json!({"framework": "digcomp-2.2", "code": "1.1"}))
        .collect();
    let cases = [
        ("create_empty_name", achievement_with("name", json!(""))),
        (
            "create_long_description",
            achievement_with("description", json!("x".repeat(5001))),
        ),
        (
            "create_control_character",
            achievement_with("criteria_narrative", json!("a\u{7}b")),
        ),
        (
            "create_invalid_achievement_type",
            achievement_with("achievement_type", json!("ext:with space")),
        ),
        (
            "create_too_many_tags",
            achievement_with("tags", json!(vec!["t"; 21])),
        ),
        (
            "create_invalid_language",
            achievement_with("language", json!("f r")),
        ),
        (
            "create_too_many_alignments",
            achievement_with("alignments", json!(many)),
        ),
        (
            "create_unknown_framework",
            achievement_with("alignments", alignment("onet", "1.1")),
        ),
        (
            "create_unknown_competence",
            achievement_with("alignments", alignment("digcomp-2.2", "9.9")),
        ),
        (
            "create_unknown_image",
            achievement_with("image_id", json!("6f1c1a52-4c35-4c8e-9a55-0b9d8f6f4e11")),
        ),
        ("create_invalid_json", achievement_with("name", json!(1))),
    ];
    for (name, body) in cases {
        let resp = app.post(&org_path("/achievements"), &fx.token, body).await;
        assert_error!(name, &resp);
    }
    let unknown = org_path("/achievements/unknown");
    assert_error!("show_not_found", &app.get(&unknown, &fx.token).await);
    let body = achievement_with("name", json!("Autre nom"));
    assert_error!(
        "update_not_found",
        &put(&app, &unknown, &fx.token, body).await
    );
    let body = achievement_with("name", json!(""));
    let path = org_path(&format!("/achievements/{}", fx.achievement_id));
    assert_error!(
        "update_empty_name",
        &put(&app, &path, &fx.token, body).await
    );
    assert_error!(
        "published_not_found",
        &app.get("/achievements/unknown", &Auth::None).await,
    );
}
db_test!(achievements, achievement_errors);
