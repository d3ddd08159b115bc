//! Real answers of the service against the schemas of the served OpenAPI
//! document: the unit tests of `issuer::openapi` prove the document follows
//! the types; these prove the types say what the service sends.

use actix_web::http::{header, Method};
use actix_web::test::TestRequest;
use issuer::users::Role;
use serde_json::{json, Map, Value};

use crate::awards::{csv_post, fixture};
use crate::images::png_of;
use crate::support::{Auth, TestApp};

/// The document's schema `name` as JSON Schema: references inlined,
/// `nullable` spelled as a `null` type, and objects that list their
/// properties closed (`additionalProperties: false`), as answers are.
fn json_schema(document: &Value, name: &str) -> Value {
    converted(&document["components"]["schemas"][name], document, true)
}

/// [`json_schema`] with objects left open, as a client's validator reads
/// the document.
fn json_schema_as_served(document: &Value, name: &str) -> Value {
    converted(&document["components"]["schemas"][name], document, false)
}

fn converted(schema: &Value, document: &Value, closed: bool) -> Value {
    match schema {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                let pointer = target.strip_prefix('#').unwrap();
                return converted(document.pointer(pointer).unwrap(), document, closed);
            }
            let mut out: Map<String, Value> = map
                .iter()
                .filter(|(key, _)| *key != "nullable")
                .map(|(key, value)| (key.clone(), converted(value, document, closed)))
                .collect();
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(kind) = out.remove("type") {
                    out.insert("type".into(), json!([kind, "null"]));
                }
            }
            if closed && out.contains_key("properties") {
                out.entry("additionalProperties").or_insert(json!(false));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| converted(v, document, closed))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Fails, naming every difference, unless `answer` is a `name`.
fn assert_conforms(document: &Value, name: &str, answer: &Value) {
    assert_valid(json_schema(document, name), name, answer);
}

/// Fails unless `answer` is valid against `schema`.
fn assert_valid(schema: Value, name: &str, answer: &Value) {
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(answer)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}\n{answer:#}");
}

/// The account answers: login, who am I, a new token.
#[actix_web::test]
async fn account_answers_match_the_document() {
    let app = TestApp::sqlite().await;
    let document = app.get("/openapi.json", &Auth::None).await.json();
    app.create_org("org-a");
    app.create_user("fac@org-a.fr", "org-a", Role::Admin);
    let login = app
        .post(
            "/api/v1/auth/login",
            &Auth::None,
            json!({"email": "fac@org-a.fr", "password": crate::support::PASSWORD}),
        )
        .await;
    assert_eq!(login.status, 200, "{}", login.text());
    assert_conforms(&document, "LoginResponse", &login.json());
    let session = app.login("fac@org-a.fr").await;
    let me = app.get("/api/v1/me", &session).await;
    assert_conforms(&document, "MeResponse", &me.json());
    assert_eq!(me.json()["organisations"][0]["slug"], "org-a");
    let token = app
        .post("/api/v1/tokens", &session, json!({"name": "cli"}))
        .await;
    assert_eq!(token.status, 201, "{}", token.text());
    assert_conforms(&document, "CreatedToken", &token.json());
}

/// An award in both formats, as created, listed, shown, revoked and erased.
#[actix_web::test]
async fn award_answers_match_the_document() {
    let app = TestApp::sqlite().await;
    let document = app.get("/openapi.json", &Auth::None).await.json();
    let fx = fixture(&app, "org-a").await;
    let mut ids = Vec::new();
    for (format, email) in [("di", Some("lea@example.fr")), ("jwt", None)] {
        let created = app
            .post(
                "/api/v1/orgs/org-a/awards",
                &fx.token,
                json!({
                    "achievement_id": fx.achievement_id,
                    "recipient_name": "Léa Martin",
                    "recipient_email": email,
                    "format": format,
                    "narrative": "A suivi l'atelier",
                    "evidence_url": "https://example.org/evidence",
                }),
            )
            .await;
        assert_eq!(created.status, 201, "{}", created.text());
        assert_conforms(&document, "Award", &created.json());
        ids.push(created.json()["id"].as_str().unwrap().to_owned());
    }
    let listed = app.get("/api/v1/orgs/org-a/awards", &fx.token).await.json();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    for award in listed.as_array().unwrap() {
        assert_conforms(&document, "Award", award);
    }
    let path = format!("/api/v1/orgs/org-a/awards/{}", ids[1]);
    let shown = app.get(&path, &fx.token).await.json();
    assert!(shown["jwt"].is_string(), "{shown}");
    assert_conforms(&document, "Award", &shown);
    let revoked = app
        .post(
            &format!("{path}/revoke"),
            &fx.token,
            json!({"reason": "erreur"}),
        )
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.text());
    assert_conforms(&document, "Award", &revoked.json());
    let erased = app
        .post(&format!("{path}/erase"), &fx.token, json!({}))
        .await;
    assert_eq!(erased.status, 200, "{}", erased.text());
    assert_conforms(&document, "Award", &erased.json());
}

/// An organisation's profile, keys and audit log, as an admin sees them,
/// and the caller's tokens.
#[actix_web::test]
async fn organisation_answers_match_the_document() {
    let app = TestApp::sqlite().await;
    let document = app.get("/openapi.json", &Auth::None).await.json();
    app.create_org("org-a");
    app.create_user("admin@org-a.fr", "org-a", Role::Admin);
    let admin = app.token(&app.login("admin@org-a.fr").await).await;
    let patch = json!({"url": "https://org-a.example.org", "address": {"addressLocality": "Lyon"}});
    let updated = app
        .request(Method::PATCH, "/api/v1/orgs/org-a", &admin, Some(patch))
        .await;
    assert_eq!(updated.status, 200, "{}", updated.text());
    assert_conforms(&document, "OrganisationView", &updated.json());
    let shown = app.get("/api/v1/orgs/org-a", &admin).await.json();
    assert_conforms(&document, "OrganisationView", &shown);
    let rotated = app
        .post(
            "/api/v1/orgs/org-a/keys/rotate",
            &admin,
            json!({"algorithm": "Ed25519"}),
        )
        .await;
    assert_eq!(rotated.status, 201, "{}", rotated.text());
    assert_conforms(&document, "PublicKeyInfo", &rotated.json());
    let keys = app.get("/api/v1/orgs/org-a/keys", &admin).await.json();
    assert_each_conforms(&document, "PublicKeyInfo", &keys, 3);
    let audit = app.get("/api/v1/orgs/org-a/audit", &admin).await.json();
    assert_each_conforms(&document, "AuditEntry", &audit, 2);
    let tokens = app.get("/api/v1/tokens", &admin).await.json();
    assert_each_conforms(&document, "ApiTokenInfo", &tokens, 1);
}

/// Fails unless `answer` is an array of at least `least` `name`s.
fn assert_each_conforms(document: &Value, name: &str, answer: &Value, least: usize) {
    let items = answer.as_array().unwrap();
    assert!(items.len() >= least, "{name}: {answer:#}");
    for item in items {
        assert_conforms(document, name, item);
    }
}

/// Achievements and workshops as created, listed, shown and edited.
#[actix_web::test]
async fn achievement_and_workshop_answers_match_the_document() {
    let app = TestApp::sqlite().await;
    let document = app.get("/openapi.json", &Auth::None).await.json();
    let fx = fixture(&app, "org-a").await;
    let achievements = app
        .get("/api/v1/orgs/org-a/achievements", &fx.token)
        .await
        .json();
    assert_each_conforms(&document, "AchievementView", &achievements, 1);
    let base = "/api/v1/orgs/org-a/workshops";
    let body = json!({"title": "Atelier", "achievement_id": fx.achievement_id, "sessions": 2});
    let created = app.post(base, &fx.token, body).await;
    assert_eq!(created.status, 201, "{}", created.text());
    assert_conforms(&document, "WorkshopDetail", &created.json());
    let id = created.json()["workshop"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let session = created.json()["sessions"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let added = app
        .post(
            &format!("{base}/{id}/participants"),
            &fx.token,
            json!({"name": "Awa"}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text());
    assert_conforms(&document, "Participant", &added.json());
    let mark =
        json!({"participant_id": added.json()["id"], "session_id": session, "present": true});
    let marked = app
        .request(
            Method::PUT,
            &format!("{base}/{id}/attendance"),
            &fx.token,
            Some(mark),
        )
        .await;
    assert_eq!(marked.status, 200, "{}", marked.text());
    assert_conforms(&document, "WorkshopDetail", &marked.json());
    let dated = app
        .request(
            Method::PUT,
            &format!("{base}/{id}/sessions/{session}"),
            &fx.token,
            Some(json!({"held_on": "2026-03-02"})),
        )
        .await;
    assert_eq!(dated.status, 200, "{}", dated.text());
    assert_conforms(&document, "Session", &dated.json());
    let listed = app.get(base, &fx.token).await.json();
    assert_each_conforms(&document, "Workshop", &listed, 1);
    let shown = app.get(&format!("{base}/{id}"), &fx.token).await.json();
    assert_conforms(&document, "WorkshopDetail", &shown);
    let other = app
        .post(
            &format!("{base}/{id}/participants"),
            &fx.token,
            json!({"name": "Léo"}),
        )
        .await;
    assert_eq!(other.status, 201, "{}", other.text());
    let mark = json!({"participant_id": added.json()["id"], "session_id": shown["sessions"][1]["id"], "present": true});
    let marked = app
        .request(
            Method::PUT,
            &format!("{base}/{id}/attendance"),
            &fx.token,
            Some(mark),
        )
        .await;
    assert_eq!(marked.status, 200, "{}", marked.text());
    let awarded = app
        .post(&format!("{base}/{id}/award"), &fx.token, json!({}))
        .await;
    assert_eq!(awarded.status, 200, "{}", awarded.text());
    let awarded = awarded.json();
    assert_eq!(awarded["awarded"].as_array().unwrap().len(), 1, "{awarded}");
    assert_eq!(
        awarded["skipped"][0]["reason"], "missed_sessions",
        "{awarded}"
    );
    assert_conforms(&document, "WorkshopAwarded", &awarded);
}

/// A stored image.
#[actix_web::test]
async fn image_answer_matches_the_document() {
    let app = TestApp::sqlite().await;
    let document = app.get("/openapi.json", &Auth::None).await.json();
    let fx = fixture(&app, "org-a").await;
    let Auth::Token(token) = &fx.token else {
        panic!("a token")
    };
    let req = TestRequest::post()
        .uri("/api/v1/orgs/org-a/images")
        .insert_header((header::CONTENT_TYPE, "image/png"))
        .insert_header((header::AUTHORIZATION, format!("Bearer {token}")))
        .set_payload(png_of(10, 10));
    let stored = app.send(req).await;
    assert_eq!(stored.status, 201, "{}", stored.text());
    assert_conforms(&document, "StoredImage", &stored.json());
}

/// The converted schemas do refuse what the document does not allow, so
/// that the tests above can fail.
#[actix_web::test]
async fn a_field_the_document_lacks_is_refused() {
    let app = TestApp::sqlite().await;
    let document = app.get("/openapi.json", &Auth::None).await.json();
    let schema = json_schema(&document, "CreatedToken");
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&json!({"id": "a", "token": "b"})));
    assert!(!validator.is_valid(&json!({"id": "a", "token": "b", "secret": "c"})));
    assert!(!validator.is_valid(&json!({"id": "a", "token": null})));
    let award = jsonschema::validator_for(&json_schema(&document, "Award")).unwrap();
    let mut answer = json!({
        "id": "a", "achievement_version_id": "v", "recipient_name": "n",
        "recipient_language": "fr", "name_consent": false, "format": "di",
        "credential_url": "u", "json_url": "u", "awarded_by": "b", "revoked": false,
        "delivery": null, "delivery_reason": null,
    });
    assert!(award.is_valid(&answer), "{answer}");
    answer["delivery"] = json!("lost");
    assert!(!award.is_valid(&answer));
}

/// The error bodies that carry more than a code and a message: a revoked
/// credential asked as JSON (410, with the reason and the credential) and a
/// CSV file with problems (400, with every problem and how it was read).
#[actix_web::test]
async fn detailed_error_answers_match_the_document() {
    let app = TestApp::sqlite().await;
    let document = app.get("/openapi.json", &Auth::None).await.json();
    let fx = fixture(&app, "org-a").await;
    let awarded = app
        .post(
            "/api/v1/orgs/org-a/awards",
            &fx.token,
            json!({"achievement_id": fx.achievement_id, "recipient_name": "Awa Diallo"}),
        )
        .await
        .json();
    let id = awarded["id"].as_str().unwrap();
    let revoke = format!("/api/v1/orgs/org-a/awards/{id}/revoke");
    let reason = json!({"reason": "Délivré par erreur"});
    assert_eq!(app.post(&revoke, &fx.token, reason).await.status, 200);
    let url = awarded["credential_url"].as_str().unwrap();
    let page = &url[url.find("/credentials/").unwrap()..];
    let req = TestRequest::get()
        .uri(page)
        .insert_header((header::ACCEPT, "application/json"));
    let revoked = app.send(req).await;
    assert_eq!(revoked.status, 410, "{}", revoked.text());
    assert!(
        revoked.json()["credential"].is_object(),
        "{}",
        revoked.text()
    );
    assert_conforms(&document, "Error", &revoked.json());

    let Auth::Token(token) = &fx.token else {
        panic!("a token")
    };
    let req = TestRequest::post()
        .uri(&format!(
            "/api/v1/orgs/org-a/awards/csv?achievement_id={}",
            fx.achievement_id
        ))
        .insert_header((header::CONTENT_TYPE, "text/csv"))
        .insert_header((header::AUTHORIZATION, format!("Bearer {token}")))
        .set_payload("name,email\n,nobody@example.fr\nJo Petit,not-an-email\n");
    let invalid = app.send(req).await;
    assert_eq!(invalid.status, 400, "{}", invalid.text());
    assert_eq!(invalid.json()["errors"].as_array().unwrap().len(), 2);
    assert_conforms(&document, "Error", &invalid.json());
}

/// The answers of the CSV import: a dry run of a file with problems, a dry
/// run flagging duplicates (a holder of the badge, the same person twice),
/// and the import that skips them; each is its own schema and the one
/// `CsvAnswer` the route names.
#[actix_web::test]
async fn csv_import_answers_match_the_document() {
    let app = TestApp::sqlite().await;
    let document = app.get("/openapi.json", &Auth::None).await.json();
    let fx = fixture(&app, "org-a").await;
    let single = app
        .post(
            "/api/v1/orgs/org-a/awards",
            &fx.token,
            json!({"achievement_id": fx.achievement_id, "recipient_name": "Ana Lopes",
                   "recipient_email": "ana@example.fr"}),
        )
        .await;
    assert_eq!(single.status, 201, "{}", single.text());
    let bad = "name,email\n,x@example.fr\nJo Petit,not-an-email\n";
    let refused = csv_post(&app, &fx, "dry_run=true", bad, None).await;
    assert_eq!(refused.status, 200, "{}", refused.text());
    assert_eq!(refused.json()["errors"].as_array().unwrap().len(), 2);
    let file = "Nom complet;Courriel;Téléphone\n\
                Ana Lopes;ANA@example.fr;0600000000\n\
                Jo Petit;jo@example.fr;\n\
                jo  petit;;\n\
                Sam Bernard;;\n";
    let preview = csv_post(&app, &fx, "dry_run=true", file, None).await;
    assert_eq!(preview.status, 200, "{}", preview.text());
    let imported = csv_post(&app, &fx, "dry_run=false", file, None).await;
    assert_eq!(imported.status, 200, "{}", imported.text());
    let (preview, imported) = (preview.json(), imported.json());
    for answer in [&preview, &imported] {
        assert_eq!(answer["skipped_by_reason"]["holds_badge"], 1, "{answer}");
        assert_eq!(answer["flagged"][1]["same_as_line"], 3, "{answer}");
        assert!(answer["flagged"][0]["award_id"].is_string(), "{answer}");
    }
    assert!(preview["read_as"]["columns"][2]["field"].is_null());
    assert_eq!(imported["award_ids"].as_array().unwrap().len(), 2);
    for (name, answer) in [
        ("CsvRefused", refused.json()),
        ("CsvPreview", preview),
        ("CsvImported", imported),
    ] {
        assert_conforms(&document, name, &answer);
        assert_conforms(&document, "CsvAnswer", &answer);
        // A client's validator leaves objects open: each answer must still
        // match exactly one of the `oneOf`.
        assert_valid(json_schema_as_served(&document, "CsvAnswer"), name, &answer);
    }
}
