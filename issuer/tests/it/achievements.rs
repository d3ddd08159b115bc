//! Achievements: validation, DigComp alignment, versioning, isolation.

use actix_web::http::Method;
use issuer::users::Role;
use serde_json::json;

use crate::db_test;
use crate::support::{Auth, TestApp};

fn badge(name: &str) -> serde_json::Value {
    json!({
        "name": name,
        "description": "Faire ses démarches administratives en ligne",
        "criteria_narrative": "A suivi les trois séances de l'atelier",
        "tags": ["démarches", "inclusion numérique"],
        "alignments": [{"framework": "digcomp-2.2", "code": "1.1"}, {"framework": "digcomp-2.2", "code": "4.2"}]
    })
}

async fn create_align_and_publish(app: TestApp) {
    app.create_org("org-a");
    app.create_user("fac@a.fr", "org-a", Role::Facilitator);
    let fac = app.login("fac@a.fr").await;

    let resp = app
        .post(
            "/api/v1/orgs/org-a/achievements",
            &fac,
            badge("Démarches en ligne"),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text());
    let created = resp.json();
    let achievement = &created["achievement"];
    assert_eq!(achievement["achievementType"], "Badge");
    assert_eq!(achievement["inLanguage"], "fr");
    assert_eq!(achievement["alignment"][1]["targetCode"], "4.2");
    assert_eq!(
        achievement["alignment"][1]["targetName"],
        "Protéger les données personnelles et la vie privée"
    );

    let id = achievement["id"].as_str().unwrap();
    let path = id.strip_prefix(&app.state.base()).unwrap();
    let public = app.get(path, &Auth::None).await.json();
    assert_eq!(public["name"], "Démarches en ligne");
    assert_eq!(
        public["creator"]["id"],
        issuer::orgs::did(&app.state.base(), &"org-a".into()),
        "the creator is the organisation's issuer identity, its DID"
    );

    let list = app
        .get("/api/v1/orgs/org-a/achievements", &fac)
        .await
        .json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let framework = app
        .get("/api/v1/frameworks/digcomp-2.2", &Auth::None)
        .await
        .json();
    assert_eq!(framework["areas"].as_array().unwrap().len(), 5);

    for (body, code) in [
        (
            json!({"name": "", "description": "d", "criteria_narrative": "c"}),
            "invalid_field",
        ),
        (
            json!({"name": "n", "description": "d", "criteria_narrative": "c", "achievement_type": "Bogus"}),
            "invalid_achievement_type",
        ),
        (
            json!({"name": "n", "description": "d", "criteria_narrative": "c", "alignments": [{"framework": "digcomp-2.2", "code": "9.9"}]}),
            "unknown_competence",
        ),
        (
            json!({"name": "n", "description": "d", "criteria_narrative": "c", "alignments": [{"framework": "other", "code": "1.1"}]}),
            "unknown_framework",
        ),
        (
            json!({"name": "n", "description": "d", "criteria_narrative": "c", "image_id": "nope"}),
            "unknown_image",
        ),
    ] {
        let resp = app
            .post("/api/v1/orgs/org-a/achievements", &fac, body)
            .await;
        assert_eq!(resp.status, 400, "{}", resp.text());
        assert_eq!(resp.error_code(), code);
    }
}
db_test!(create_and_align, create_align_and_publish);

/// One rule for `achievementType`, the OB 3.0 schema's (`schemas`): a member
/// of the enumeration, or `ext:` followed by letters, digits, `.`, `-`, `_`
/// or `|`; the extension name at most 99 bytes.
async fn achievement_types(app: TestApp) {
    app.create_org("org-t");
    app.create_user("fac@t.fr", "org-t", Role::Facilitator);
    let fac = app.login("fac@t.fr").await;
    let long = format!("ext:{}", "a".repeat(99));
    for accepted in [
        "Competency",
        "ext:MediationNumerique",
        "ext:Atelier-2.v1_b|c",
        &long,
    ] {
        let mut body = badge("Type accepté");
        body["achievement_type"] = json!(accepted);
        let resp = app
            .post("/api/v1/orgs/org-t/achievements", &fac, body)
            .await;
        assert_eq!(resp.status, 201, "{accepted}: {}", resp.text());
        let published = app
            .get(
                &format!(
                    "/achievements/{}",
                    resp.json()["version_id"].as_str().unwrap()
                ),
                &Auth::None,
            )
            .await
            .json();
        assert_eq!(published["achievementType"], accepted);
    }
    let too_long = format!("ext:{}", "a".repeat(100));
    for refused in [
        "ext:with space",
        "ext:",
        "ext:Médiation",
        "ext:a/b",
        "competency",
        "Ext:Badge",
        &too_long,
    ] {
        let mut body = badge("Type refusé");
        body["achievement_type"] = json!(refused);
        let resp = app
            .post("/api/v1/orgs/org-t/achievements", &fac, body)
            .await;
        assert_eq!(resp.status, 400, "{refused}: {}", resp.text());
        assert_eq!(resp.error_code(), "invalid_achievement_type", "{refused}");
    }
}
db_test!(achievement_types_follow_the_schema, achievement_types);

async fn unawarded_edits_in_place(app: TestApp) {
    app.create_org("org-v");
    app.create_user("fac@v.fr", "org-v", Role::Facilitator);
    let fac = app.login("fac@v.fr").await;
    let created = app
        .post("/api/v1/orgs/org-v/achievements", &fac, badge("V1"))
        .await
        .json();
    let id = created["id"].as_str().unwrap();
    let resp = app
        .request(
            Method::PUT,
            &format!("/api/v1/orgs/org-v/achievements/{id}"),
            &fac,
            Some(badge("V1 fixed")),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let edited = resp.json();
    assert_eq!(edited["version"], 1, "never awarded: edited in place");
    assert_eq!(edited["version_id"], created["version_id"]);
    assert_eq!(edited["achievement"]["name"], "V1 fixed");
}
db_test!(edit_in_place, unawarded_edits_in_place);

async fn other_organisation_cannot_touch_achievements(app: TestApp) {
    app.create_org("org-a");
    app.create_org("org-b");
    app.create_user("fac@a.fr", "org-a", Role::Facilitator);
    app.create_user("fac@b.fr", "org-b", Role::Facilitator);
    let a = app.login("fac@a.fr").await;
    let b = app.login("fac@b.fr").await;
    let created = app
        .post("/api/v1/orgs/org-b/achievements", &b, badge("B"))
        .await
        .json();
    let id = created["id"].as_str().unwrap();
    for (method, path, body) in [
        (
            Method::GET,
            "/api/v1/orgs/org-b/achievements".to_owned(),
            None,
        ),
        (
            Method::POST,
            "/api/v1/orgs/org-b/achievements".to_owned(),
            Some(badge("X")),
        ),
        (
            Method::GET,
            format!("/api/v1/orgs/org-b/achievements/{id}"),
            None,
        ),
        (
            Method::PUT,
            format!("/api/v1/orgs/org-b/achievements/{id}"),
            Some(badge("X")),
        ),
    ] {
        let resp = app.request(method.clone(), &path, &a, body).await;
        assert_eq!(resp.status, 404, "{method} {path}");
    }
    // Through their own organisation's path, B's achievement id is unknown too.
    let resp = app
        .get(&format!("/api/v1/orgs/org-a/achievements/{id}"), &a)
        .await;
    assert_eq!(resp.status, 404);
}
db_test!(
    cross_organisation,
    other_organisation_cannot_touch_achievements
);
