//! Workshops through the API and the pages: three sessions, three
//! participants (one without e-mail), one misses a session; awarding gives
//! the badge to the two who came every time, once.

use actix_web::http::StatusCode;
use issuer::users::Role;
use serde_json::{json, Value};

use crate::db_test;
use crate::pages::{hidden, location, Browser};
use crate::support::{Auth, TestApp};

async fn badge_id(app: &TestApp, auth: &Auth, slug: &str) -> String {
    let resp = app
        .post(
            &format!("/api/v1/orgs/{slug}/achievements"),
            auth,
            json!({
                "name": "Faire ses démarches en ligne",
                "description": "Sait faire une démarche en ligne.",
                "criteria_narrative": "A suivi les trois séances.",
            }),
        )
        .await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
    resp.json()["id"].as_str().unwrap().to_owned()
}

async fn awarding_a_workshop_gives_the_badge_to_those_who_came_every_time(app: TestApp) {
    app.create_org("centre");
    app.create_org("autre");
    app.create_user("marie@example.fr", "centre", Role::Facilitator);
    app.create_user("other@example.fr", "autre", Role::Admin);
    let auth = app.login("marie@example.fr").await;
    let badge = badge_id(&app, &auth, "centre").await;
    let created = app
        .post(
            "/api/v1/orgs/centre/workshops",
            &auth,
            json!({"title": "Démarches, groupe du mardi", "achievement_id": badge, "sessions": 3}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let workshop = created.json();
    let id = workshop["workshop"]["id"].as_str().unwrap().to_owned();
    let sessions: Vec<String> = workshop["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(sessions.len(), 3);
    let mut people = Vec::new();
    for (name, email) in [
        ("Awa Diallo", None),
        ("Lea Martin", Some("lea@example.fr")),
        ("Jo Petit", Some("jo@example.fr")),
    ] {
        let resp = app
            .post(
                &format!("/api/v1/orgs/centre/workshops/{id}/participants"),
                &auth,
                json!({"name": name, "email": email}),
            )
            .await;
        assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
        people.push(resp.json()["id"].as_str().unwrap().to_owned());
    }
    // Jo misses the second session.
    let mut present = Vec::new();
    for (p, person) in people.iter().enumerate() {
        for (s, session) in sessions.iter().enumerate() {
            if !(p == 2 && s == 1) {
                present.push(json!({"participant_id": person, "session_id": session}));
            }
        }
    }
    let resp = app
        .request(
            actix_web::http::Method::PUT,
            &format!("/api/v1/orgs/centre/workshops/{id}/attendance"),
            &auth,
            Some(json!({"present": present})),
        )
        .await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.text());

    let award = app
        .post(
            &format!("/api/v1/orgs/centre/workshops/{id}/award"),
            &auth,
            json!({}),
        )
        .await;
    assert_eq!(award.status, StatusCode::OK, "{}", award.text());
    let outcome: Value = award.json();
    assert_eq!(outcome["awarded"].as_array().unwrap().len(), 2);
    assert_eq!(outcome["skipped"][0]["name"], "Jo Petit");
    assert_eq!(outcome["skipped"][0]["missed"], json!([2]));
    let again = app
        .post(
            &format!("/api/v1/orgs/centre/workshops/{id}/award"),
            &auth,
            json!({}),
        )
        .await
        .json();
    assert_eq!(again["awarded"].as_array().unwrap().len(), 0);
    assert_eq!(again["skipped"].as_array().unwrap().len(), 3);
    let listed = app.get("/api/v1/orgs/centre/awards", &auth).await.json();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    // The participant without e-mail gets a claim code.
    let awa = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["recipient_name"] == "Awa Diallo")
        .unwrap();
    assert!(awa["claim_code"].as_str().is_some(), "{awa}");

    // Another organisation sees nothing of it.
    let other = app.login("other@example.fr").await;
    for path in [
        format!("/api/v1/orgs/centre/workshops/{id}"),
        "/api/v1/orgs/centre/workshops".to_owned(),
    ] {
        assert_eq!(app.get(&path, &other).await.status, StatusCode::NOT_FOUND);
    }
    let resp = app
        .post(
            &format!("/api/v1/orgs/autre/workshops/{id}/award"),
            &other,
            json!({}),
        )
        .await;
    assert_eq!(resp.status, StatusCode::NOT_FOUND);
    // Attendance naming another workshop's people is refused.
    let resp = app
        .request(
            actix_web::http::Method::PUT,
            &format!("/api/v1/orgs/centre/workshops/{id}/attendance"),
            &auth,
            Some(json!({"present": [{"participant_id": "nobody", "session_id": sessions[0]}]})),
        )
        .await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST);
}
db_test!(
    api,
    awarding_a_workshop_gives_the_badge_to_those_who_came_every_time
);

async fn put(app: &TestApp, path: &str, auth: &Auth, body: Value) -> crate::support::TestResponse {
    app.request(actix_web::http::Method::PUT, path, auth, Some(body))
        .await
}

/// Sessions get a label and a date; attendance is ticked mark by mark (one,
/// or an array), leaving the other marks alone; another organisation can
/// touch neither.
async fn sessions_are_dated_and_marks_ticked_one_at_a_time(app: TestApp) {
    app.create_org("centre");
    app.create_org("autre");
    app.create_user("marie@example.fr", "centre", Role::Facilitator);
    app.create_user("other@example.fr", "autre", Role::Admin);
    let auth = app.login("marie@example.fr").await;
    let badge = badge_id(&app, &auth, "centre").await;
    let created = app
        .post(
            "/api/v1/orgs/centre/workshops",
            &auth,
            json!({"title": "Démarches", "achievement_id": badge, "sessions": 2}),
        )
        .await
        .json();
    let id = created["workshop"]["id"].as_str().unwrap().to_owned();
    let s1 = created["sessions"][0]["id"].as_str().unwrap().to_owned();
    let s2 = created["sessions"][1]["id"].as_str().unwrap().to_owned();
    let base = format!("/api/v1/orgs/centre/workshops/{id}");

    let dated = put(
        &app,
        &format!("{base}/sessions/{s1}"),
        &auth,
        json!({"label": "La messagerie", "held_on": "2025-03-04"}),
    )
    .await;
    assert_eq!(dated.status, StatusCode::OK, "{}", dated.text());
    assert_eq!(dated.json()["label"], "La messagerie");
    assert_eq!(dated.json()["held_on"], "2025-03-04");
    let cleared = put(
        &app,
        &format!("{base}/sessions/{s1}"),
        &auth,
        json!({"held_on": ""}),
    )
    .await;
    assert_eq!(cleared.json()["held_on"], Value::Null);
    assert_eq!(cleared.json()["label"], "La messagerie");
    for bad in [json!({"held_on": "2025-02-30"}), json!({"label": " "})] {
        let resp = put(&app, &format!("{base}/sessions/{s1}"), &auth, bad).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST, "{}", resp.text());
    }
    let resp = put(
        &app,
        &format!("{base}/sessions/nope"),
        &auth,
        json!({"label": "x"}),
    )
    .await;
    assert_eq!(resp.status, StatusCode::NOT_FOUND);

    let awa = app
        .post(
            &format!("{base}/participants"),
            &auth,
            json!({"name": "Awa"}),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let one = json!({"participant_id": awa, "session_id": s1, "present": true});
    let detail = put(&app, &format!("{base}/attendance"), &auth, one.clone()).await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.text());
    assert_eq!(
        detail.json()["participants"][0]["present"],
        json!([true, false])
    );
    // The same mark twice changes nothing; an array sets several.
    put(&app, &format!("{base}/attendance"), &auth, one).await;
    let batch = json!([
        {"participant_id": awa, "session_id": s2, "present": true},
        {"participant_id": awa, "session_id": s1, "present": false},
    ]);
    let detail = put(&app, &format!("{base}/attendance"), &auth, batch)
        .await
        .json();
    assert_eq!(detail["participants"][0]["present"], json!([false, true]));
    let unknown = json!({"participant_id": "nobody", "session_id": s1, "present": true});
    let resp = put(&app, &format!("{base}/attendance"), &auth, unknown).await;
    assert_eq!(resp.error_code(), "unknown_attendance");

    let other = app.login("other@example.fr").await;
    let resp = put(
        &app,
        &format!("{base}/sessions/{s1}"),
        &other,
        json!({"label": "x"}),
    )
    .await;
    assert_eq!(resp.status, StatusCode::NOT_FOUND);
    let mark = json!({"participant_id": awa, "session_id": s2, "present": false});
    let resp = put(&app, &format!("{base}/attendance"), &other, mark.clone()).await;
    assert_eq!(resp.status, StatusCode::NOT_FOUND);
    let resp = put(
        &app,
        &format!("/api/v1/orgs/autre/workshops/{id}/attendance"),
        &other,
        mark,
    )
    .await;
    assert_eq!(resp.status, StatusCode::NOT_FOUND);
    let detail = app.get(&base, &auth).await.json();
    assert_eq!(detail["participants"][0]["present"], json!([false, true]));
}
db_test!(edits, sessions_are_dated_and_marks_ticked_one_at_a_time);

async fn the_workshop_pages_run_a_three_session_cycle(app: TestApp) {
    app.create_org("centre");
    app.create_user("marie@example.fr", "centre", Role::Facilitator);
    let auth = app.login("marie@example.fr").await;
    let badge = badge_id(&app, &auth, "centre").await;
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let list = browser.get(&app, "/app/centre/workshops").await;
    assert_eq!(list.status, StatusCode::OK);
    let csrf = hidden(&list.text(), "csrf");
    let created = browser
        .post_form(
            &app,
            "/app/centre/workshops",
            &[
                ("csrf", &csrf),
                ("title", "Démarches, groupe du jeudi"),
                ("achievement_id", &badge),
                ("sessions", "3"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
    let path = location(&created);
    for (name, email) in [("Lea Martin", "lea@example.fr"), ("Awa Diallo", "")] {
        let resp = browser
            .post_form(
                &app,
                &format!("{path}/participants"),
                &[("csrf", &csrf), ("name", name), ("email", email)],
            )
            .await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.text());
    }
    let page = browser.get(&app, &path).await.text();
    assert!(page.contains("Séance 3"));
    // Participants are listed by name, whatever the order they were added in.
    assert!(page.find("Awa Diallo").unwrap() < page.find("Lea Martin").unwrap());
    // Sessions get their dates from the page; a wrong date changes nothing.
    let first_day = page
        .split("name=\"day:")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let field = format!("day:{first_day}");
    let wrong = browser
        .post_form(
            &app,
            &format!("{path}/sessions"),
            &[("csrf", &csrf), (&field, "2027-02-30")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(
        wrong.text().contains("Une date n&#39;est pas valable")
            || wrong.text().contains("Une date n'est pas valable"),
        "{}",
        wrong.text()
    );
    let dated = browser
        .post_form(
            &app,
            &format!("{path}/sessions"),
            &[("csrf", &csrf), (&field, "2027-01-12")],
        )
        .await;
    assert_eq!(dated.status, StatusCode::SEE_OTHER, "{}", dated.text());
    let page = browser.get(&app, &location(&dated)).await.text();
    assert!(page.contains("Les dates sont enregistrées."));
    assert!(page.contains("12 janvier 2027"), "{page}");
    assert!(page.contains("Awa Diallo présent(e) à la séance 1"));
    // Tick every box.
    let marks: Vec<String> = page
        .split("name=\"present\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect();
    assert_eq!(marks.len(), 6);
    // Tick the first two sessions only, and save.
    let first_two: Vec<&String> = marks
        .iter()
        .filter(|m| !m.ends_with(&session_of(&marks[2])))
        .collect();
    let mut fields = vec![("csrf", csrf.as_str()), ("then", "save")];
    fields.extend(first_two.iter().map(|m| ("present", m.as_str())));
    let saved = browser
        .post_multipart(&app, &format!("{path}/attendance"), &fields, None)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = browser.get(&app, &location(&saved)).await.text();
    assert!(page.contains("Les présences sont enregistrées."));
    assert!(page.contains("0 personne(s) ont participé à toutes les séances"));
    // Tick every box and press the award button without saving first: the
    // ticks on screen are what counts.
    let mut fields = vec![("csrf", csrf.as_str()), ("then", "award")];
    fields.extend(marks.iter().map(|m| ("present", m.as_str())));
    let awarded = browser
        .post_multipart(&app, &format!("{path}/attendance"), &fields, None)
        .await;
    assert_eq!(awarded.status, StatusCode::OK, "{}", awarded.text());
    let html = awarded.text();
    assert!(html.contains("2 badge(s) délivré(s)."), "{html}");
    assert!(html.contains("/app/centre/awards/"));
    assert!(!html.contains("absent(e)"), "{html}");
    let page = browser.get(&app, &path).await.text();
    assert_eq!(page.matches(" checked").count(), 6, "{page}");
    // Nobody left: the outcome says so, not a green "0 awarded".
    let awarded = browser
        .post_multipart(&app, &format!("{path}/award"), &fields, None)
        .await;
    let html = awarded.text();
    assert!(html.contains("Aucun badge délivré cette fois."), "{html}");
    assert!(html.contains("a déjà reçu le badge"), "{html}");
}

/// The session id of an attendance mark `participant:session`.
fn session_of(mark: &str) -> String {
    mark.split_once(':').unwrap().1.to_owned()
}
db_test!(pages, the_workshop_pages_run_a_three_session_cycle);

/// Duplicates are flagged before awarding: the same person twice in a
/// workshop, a badge already held from a single award (skipped unless
/// "award them too"), and a single award to someone who holds it already.
async fn duplicates_are_flagged_before_awarding(app: TestApp) {
    app.create_org("centre");
    app.create_user("marie@example.fr", "centre", Role::Facilitator);
    let auth = app.login("marie@example.fr").await;
    let badge = badge_id(&app, &auth, "centre").await;
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    // Léa already holds the badge from a single award on the badge page.
    let badge_path = format!("/app/centre/badges/{badge}");
    let html = browser.get(&app, &badge_path).await.text();
    let csrf = hidden(&html, "csrf");
    let single = |key: String| {
        vec![
            ("csrf".to_owned(), csrf.clone()),
            ("idempotency_key".to_owned(), key),
            ("name".to_owned(), "Léa Martin".to_owned()),
            ("email".to_owned(), "LEA@example.fr".to_owned()),
        ]
    };
    let fields = single(hidden(&html, "idempotency_key"));
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let first = browser
        .post_form(&app, &format!("{badge_path}/award"), &fields)
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.text());
    // Again, from a fresh form: flagged, nothing awarded, the input kept.
    let html = browser.get(&app, &badge_path).await.text();
    let fields = single(hidden(&html, "idempotency_key"));
    let mut fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields[3].1 = "lea@example.fr";
    let again = browser
        .post_form(&app, &format!("{badge_path}/award"), &fields)
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text());
    let html = again.text();
    assert!(html.contains("Cette personne a déjà ce badge"), "{html}");
    assert!(html.contains("value=\"Léa Martin\""), "{html}");
    assert!(html.contains("name=\"anyway\""));
    let key = hidden(&html, "idempotency_key");
    fields[1].1 = &key;
    fields.push(("anyway", "yes"));
    let anyway = browser
        .post_form(&app, &format!("{badge_path}/award"), &fields)
        .await;
    assert_eq!(anyway.status, StatusCode::SEE_OTHER, "{}", anyway.text());

    // A workshop: the same participant twice is flagged.
    let page = browser.get(&app, "/app/centre/workshops").await.text();
    let created = browser
        .post_form(
            &app,
            "/app/centre/workshops",
            &[
                ("csrf", &csrf),
                ("title", "Mardi"),
                ("achievement_id", &badge),
                ("sessions", "1"),
            ],
        )
        .await;
    assert!(page.contains("Mardi") || created.status == StatusCode::SEE_OTHER);
    let path = location(&created);
    let add = |name: &'static str, email: &'static str, anyway: bool| {
        let mut fields = vec![
            ("csrf", csrf.clone()),
            ("name", name.to_owned()),
            ("email", email.to_owned()),
        ];
        if anyway {
            fields.push(("anyway", "yes".to_owned()));
        }
        fields
    };
    for (name, email) in [("Léa Martin", "lea@example.fr"), ("Jo Petit", "")] {
        let fields = add(name, email, false);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let resp = browser
            .post_form(&app, &format!("{path}/participants"), &fields)
            .await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.text());
    }
    let fields = add("  jo   PETIT ", "", false);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let twice = browser
        .post_form(&app, &format!("{path}/participants"), &fields)
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.text());
    assert!(
        twice.text().contains("est déjà dans cet atelier"),
        "{}",
        twice.text()
    );
    assert!(
        twice.text().contains("value=\"  jo   PETIT \""),
        "{}",
        twice.text()
    );
    let fields = add("Jo Petit", "", true);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let anyway = browser
        .post_form(&app, &format!("{path}/participants"), &fields)
        .await;
    assert_eq!(anyway.status, StatusCode::SEE_OTHER, "{}", anyway.text());

    // Awarding the workshop skips Léa, who holds the badge already.
    let page = browser.get(&app, &path).await.text();
    let marks: Vec<String> = page
        .split("name=\"present\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect();
    let mut fields = vec![("csrf", csrf.as_str()), ("then", "award")];
    fields.extend(marks.iter().map(|m| ("present", m.as_str())));
    let awarded = browser
        .post_multipart(&app, &format!("{path}/attendance"), &fields, None)
        .await;
    let html = awarded.text();
    assert!(html.contains("2 badge(s) délivré(s)."), "{html}");
    assert!(
        html.contains("Léa Martin n&#39;a pas reçu le badge : cette personne l&#39;a déjà")
            || html.contains("Léa Martin n'a pas reçu le badge : cette personne l'a déjà"),
        "{html}"
    );
    assert!(html.contains("name=\"anyway\""));
    fields.push(("anyway", "yes"));
    let awarded = browser
        .post_multipart(&app, &format!("{path}/attendance"), &fields, None)
        .await;
    assert!(
        awarded.text().contains("1 badge(s) délivré(s)."),
        "{}",
        awarded.text()
    );
}
db_test!(duplicates, duplicates_are_flagged_before_awarding);
