//! Error bodies of `/api/v1/orgs/{slug}/workshops*`: creating a workshop,
//! adding participants, dating sessions, marking attendance, awarding.

use serde_json::{json, Value};

use super::{org_path, put};
use crate::awards::fixture;
use crate::db_test;
use crate::support::TestApp;

async fn workshop_errors(app: TestApp) {
    let fx = fixture(&app, super::SLUG).await;
    let create = |body: Value| {
        let (app, token) = (&app, &fx.token);
        async move { app.post(&org_path("/workshops"), token, body).await }
    };
    let workshop = |title: &str, sessions: i32| json!({"title": title, "achievement_id": fx.achievement_id, "sessions": sessions});
    assert_error!("create_empty_title", &create(workshop(" ", 2)).await);
    assert_error!("create_no_session", &create(workshop("Mardi", 0)).await);
    assert_error!(
        "create_unknown_achievement",
        &create(json!({"title": "Mardi", "achievement_id": "unknown", "sessions": 2})).await,
    );
    let created = create(workshop("Mardi", 2)).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let created = created.json();
    let id = created["workshop"]["id"].as_str().unwrap().to_owned();
    let session = created["sessions"][0]["id"].as_str().unwrap().to_owned();
    let path = |rest: &str| org_path(&format!("/workshops/{id}{rest}"));
    let add = |body: Value| {
        let (app, token, path) = (&app, &fx.token, path("/participants"));
        async move { app.post(&path, token, body).await }
    };
    for (name, body) in [
        ("participant_empty_name", json!({"name": ""})),
        (
            "participant_invalid_email",
            json!({"name": "Awa", "email": "awa"}),
        ),
        (
            "participant_invalid_language",
            json!({"name": "Awa", "language": "de"}),
        ),
        ("participant_control_character", json!({"name": "A\u{7}wa"})),
    ] {
        assert_error!(name, &add(body).await);
    }
    let attendance = path("/attendance");
    let unknown = json!({"present": [{"participant_id": "someone", "session_id": session}]});
    assert_error!(
        "attendance_unknown",
        &put(&app, &attendance, &fx.token, unknown).await,
    );
    // Short ids keep 4,001 marks under the JSON body limit.
    let mark = json!({"participant_id": "p", "session_id": "s", "present": true});
    assert_error!(
        "attendance_too_many_marks",
        &put(&app, &attendance, &fx.token, json!(vec![mark; 4001])).await,
    );
    let dated = path(&format!("/sessions/{session}"));
    assert_error!(
        "session_invalid_date",
        &put(&app, &dated, &fx.token, json!({"held_on": "31/12/2026"})).await,
    );
    assert_error!(
        "session_not_found",
        &put(
            &app,
            &path("/sessions/unknown"),
            &fx.token,
            json!({"label": "Un"})
        )
        .await,
    );
    assert_error!(
        "show_not_found",
        &app.get(&org_path("/workshops/unknown"), &fx.token).await,
    );
    assert_error!(
        "award_not_found",
        &app.post(&org_path("/workshops/unknown/award"), &fx.token, json!({}))
            .await,
    );
    assert_error!(
        "award_invalid_query",
        &app.post(&path("/award?anyway=perhaps"), &fx.token, json!({}))
            .await,
    );
    for n in 0..200 {
        let added = add(json!({"name": format!("Personne {n}")})).await;
        assert_eq!(added.status, 201, "{}", added.text());
    }
    assert_error!(
        "participant_too_many",
        &add(json!({"name": "Une de trop"})).await,
    );
}
db_test!(workshops, workshop_errors);
