//! Organisations' published documents, key rotation and profile updates.

use actix_web::http::Method;
use issuer::users::Role;
use serde_json::json;

use crate::db_test;
use crate::support::{Auth, TestApp};

async fn publishes_profile_did_and_jwks(app: TestApp) {
    app.create_org("centre-a");
    let base = app.state.base();

    let profile = app.get("/orgs/centre-a", &Auth::None).await;
    assert_eq!(profile.status, 200);
    assert!(profile.header("cache-control").unwrap().contains("max-age"));
    let profile = profile.json();
    assert_eq!(profile["id"], format!("{base}/orgs/centre-a"));
    assert_eq!(profile["type"], json!(["Profile"]));
    assert_eq!(profile["name"], "Org centre-a");

    let did = app.get("/orgs/centre-a/did.json", &Auth::None).await.json();
    assert_eq!(did["id"], issuer::orgs::did(&base, &"centre-a".into()));
    let methods = did["verificationMethod"].as_array().unwrap();
    assert_eq!(methods.len(), 2);
    assert!(methods.iter().any(|m| m["type"] == "Multikey"));
    assert!(methods.iter().any(|m| m["type"] == "JsonWebKey"));

    let jwks = app
        .get("/orgs/centre-a/jwks.json", &Auth::None)
        .await
        .json();
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    for key in keys {
        for private in ["d", "p", "q", "dp", "dq", "qi"] {
            assert!(
                key.get(private).is_none(),
                "private member {private} published"
            );
        }
    }

    let missing = app.get("/orgs/nope/did.json", &Auth::None).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.error_code(), "not_found");
}
db_test!(public_documents, publishes_profile_did_and_jwks);

async fn rotation_keeps_retired_keys_published(app: TestApp) {
    app.create_org("centre-b");
    app.create_user("admin@b.fr", "centre-b", Role::Admin);
    let admin = app.login("admin@b.fr").await;

    let before = app
        .get("/orgs/centre-b/jwks.json", &Auth::None)
        .await
        .json();
    let resp = app
        .post(
            "/api/v1/orgs/centre-b/keys/rotate",
            &admin,
            json!({"algorithm": "Ed25519"}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text());
    let new_kid = resp.json()["id"].as_str().unwrap().to_owned();

    let after = app
        .get("/orgs/centre-b/jwks.json", &Auth::None)
        .await
        .json();
    assert_eq!(after["keys"].as_array().unwrap().len(), 3);
    for key in before["keys"].as_array().unwrap() {
        assert!(
            after["keys"].as_array().unwrap().contains(key),
            "old key still published"
        );
    }
    let keys = app.get("/api/v1/orgs/centre-b/keys", &admin).await.json();
    let statuses: Vec<_> = keys
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["algorithm"].clone(), k["status"].clone()))
        .collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|(a, s)| a == "Ed25519" && s == "active")
            .count(),
        1
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|(a, s)| a == "Ed25519" && s == "retired")
            .count(),
        1
    );

    let org = app
        .state
        .db
        .run_blocking(|conn| issuer::orgs::by_slug(conn, "centre-b"))
        .unwrap();
    let signing = app
        .state
        .db
        .run_blocking(|conn| {
            issuer::org_keys::active_signing_key(
                conn,
                &app.state.master_key,
                &org.id,
                issuer::org_keys::KeyAlgorithm::Ed25519,
            )
        })
        .unwrap();
    assert_eq!(signing.kid(), new_kid, "the new key signs from now on");

    let audit = app.get("/api/v1/orgs/centre-b/audit", &admin).await.json();
    assert!(audit
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "key.rotate"));
}
db_test!(key_rotation, rotation_keeps_retired_keys_published);

async fn admin_updates_profile_facilitator_cannot(app: TestApp) {
    app.create_org("centre-c");
    app.create_user("admin@c.fr", "centre-c", Role::Admin);
    app.create_user("fac@c.fr", "centre-c", Role::Facilitator);
    let admin = app.login("admin@c.fr").await;
    let facilitator = app.login("fac@c.fr").await;
    let patch = json!({"description": "Ateliers numériques", "url": "https://centre-c.example.org",
                       "address": {"addressLocality": "Lyon", "addressCountry": "FR"}});

    let denied = app
        .request(
            Method::PATCH,
            "/api/v1/orgs/centre-c",
            &facilitator,
            Some(patch.clone()),
        )
        .await;
    assert_eq!(denied.status, 403);
    let ok = app
        .request(Method::PATCH, "/api/v1/orgs/centre-c", &admin, Some(patch))
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text());

    let profile = app.get("/orgs/centre-c", &Auth::None).await.json();
    assert_eq!(profile["description"], "Ateliers numériques");
    assert_eq!(profile["address"]["addressLocality"], "Lyon");

    let bad = app
        .request(
            Method::PATCH,
            "/api/v1/orgs/centre-c",
            &admin,
            Some(json!({"url": "javascript:x"})),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.error_code(), "invalid_url");
    let unknown = app
        .request(
            Method::PATCH,
            "/api/v1/orgs/centre-c",
            &admin,
            Some(json!({"colour": "red"})),
        )
        .await;
    assert_eq!(unknown.status, 400);
    assert_eq!(unknown.error_code(), "invalid_json");
}
db_test!(profile_update, admin_updates_profile_facilitator_cannot);
