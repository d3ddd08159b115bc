//! Key rotation: credentials signed with the old key keep verifying, the
//! old key stays published.

use issuer::users::Role;
use serde_json::json;

use super::{award, fixture, local_path, published, verify_di, verify_jwt};
use crate::db_test;
use crate::support::{Auth, TestApp};

async fn rotation(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let admin = {
        app.create_user("admin@org-a.fr", "org-a", Role::Admin);
        let session = app.login("admin@org-a.fr").await;
        app.token(&session).await
    };
    let old = award(&app, "org-a", &fx, json!({})).await;
    let old_jwt = award(&app, "org-a", &fx, json!({"format": "jwt"})).await;
    let profile = app.get("/orgs/org-a", &Auth::None).await.json();
    assert_eq!(profile["assertionMethod"].as_array().unwrap().len(), 2);
    for algorithm in ["Ed25519", "RS256"] {
        let resp = app
            .post(
                "/api/v1/orgs/org-a/keys/rotate",
                &admin,
                json!({"algorithm": algorithm}),
            )
            .await;
        assert_eq!(resp.status, 201, "{}", resp.text());
    }
    let profile = app.get("/orgs/org-a", &Auth::None).await.json();
    schemas::validate_profile(&profile).expect("the published Profile is valid");
    let methods = profile["assertionMethod"].as_array().unwrap();
    assert_eq!(methods.len(), 4, "active and retired keys");
    let types: Vec<&str> = profile["verificationMethod"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["type"].as_str().unwrap())
        .collect();
    assert_eq!(types.iter().filter(|t| **t == "Multikey").count(), 2);
    assert_eq!(types.iter().filter(|t| **t == "JsonWebKey").count(), 2);
    for method in profile["verificationMethod"].as_array().unwrap() {
        assert_eq!(method["controller"], profile["id"]);
        assert!(method["id"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}#", profile["id"].as_str().unwrap())));
    }
    // Credentials name the DID: its document lists every key too, under
    // the DID, with the DID as controller.
    let did = issuer::orgs::did(&app.state.base(), &"org-a".into());
    let document = app.get("/orgs/org-a/did.json", &Auth::None).await.json();
    assert_eq!(document["id"], did);
    assert_eq!(
        document["alsoKnownAs"],
        json!([profile["id"]]),
        "DID -> Profile"
    );
    assert_eq!(
        profile["otherIdentifier"][0]["identifier"], did,
        "Profile -> DID"
    );
    let did_methods = document["assertionMethod"].as_array().unwrap();
    assert_eq!(did_methods.len(), 4, "active and retired keys");
    for method in document["verificationMethod"].as_array().unwrap() {
        assert_eq!(method["controller"], did);
    }
    let old_method = old["credential"]["proof"][0]["verificationMethod"]
        .as_str()
        .unwrap();
    assert!(
        did_methods.iter().any(|m| m == old_method),
        "old key still listed"
    );

    let resolver = published(&app, "org-a").await;
    verify_di(&resolver, &old["credential"]);
    verify_jwt(&resolver, old_jwt["jwt"].as_str().unwrap());
    let new = award(&app, "org-a", &fx, json!({})).await;
    assert_ne!(
        new["credential"]["proof"][0]["verificationMethod"],
        old["credential"]["proof"][0]["verificationMethod"]
    );
    verify_di(&resolver, &new["credential"]);
    // The status list is re-signed with the new key, under the DID.
    let list_url = old["credential"]["credentialStatus"]["statusListCredential"]
        .as_str()
        .unwrap();
    let list = app
        .get(local_path(&app, list_url), &Auth::None)
        .await
        .json();
    assert_eq!(list["issuer"], did);
    assert_eq!(
        list["proof"][0]["verificationMethod"],
        new["credential"]["proof"][0]["verificationMethod"]
    );
    verify_di(&resolver, &list);
}
db_test!(rotated_keys_stay_published, rotation);
