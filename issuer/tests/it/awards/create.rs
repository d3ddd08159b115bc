//! `POST /api/v1/orgs/{slug}/awards`: Data Integrity and VC-JWT credentials
//! that verify with the published keys, idempotent repeats, and the routes
//! in the OpenAPI document.

use actix_web::http::Method;
use issuer::awards;
use serde_json::json;

use super::{award, fixture, local_path, published, raw, verify_di, verify_jwt};
use crate::db_test;
use crate::support::{Auth, TestApp};

async fn award_di_and_jwt(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let view = award(
        &app,
        "org-a",
        &fx,
        json!({"recipient_email": " Marie@Example.FR ", "narrative": "Trois séances", "evidence_url": "https://example.fr/preuve"}),
    )
    .await;
    let credential = &view["credential"];
    schemas::validate_credential(credential).expect("valid OB 3.0");
    assert_eq!(
        credential["type"],
        json!(["VerifiableCredential", "OpenBadgeCredential"])
    );
    let base = app.state.base();
    assert_eq!(
        credential["issuer"]["id"],
        issuer::orgs::did(&base, &"org-a".into())
    );
    assert!(
        credential["proof"].is_array(),
        "a proof set, as the 1EdTech JSON Schema requires"
    );
    assert!(credential["proof"][0]["verificationMethod"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{}#", issuer::orgs::did(&base, &"org-a".into()))));
    let subject_id = credential["credentialSubject"]["id"].as_str().unwrap();
    assert!(
        subject_id.starts_with("urn:uuid:") && subject_id.len() == 45,
        "a random subject id that reveals nothing: {subject_id}"
    );
    assert_eq!(credential["issuer"]["name"], "Org org-a");
    assert_eq!(credential["id"], view["credential_url"]);
    let token = view["credential_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap();
    assert!(token.len() >= 22, "128-bit token: {token}");
    let subject = &credential["credentialSubject"];
    assert_eq!(subject["narrative"], "Trois séances");
    assert_eq!(credential["evidence"][0]["id"], "https://example.fr/preuve");
    let identities: Vec<schemas::IdentityObject> =
        serde_json::from_value(subject["identifier"].clone()).unwrap();
    assert_eq!(identities.len(), 2, "hashed e-mail and name, no plain name");
    assert!(identities.iter().all(|i| i.hashed));
    assert!(identities[0].matches("marie@example.fr"));
    assert!(identities[1].matches("marie-hélène  DUPONT"));
    assert!(!credential.to_string().contains("Dupont"));
    assert_eq!(
        subject["achievement"]["name"], "Démarches en ligne",
        "the achievement version"
    );
    let status = &credential["credentialStatus"];
    assert_eq!(status["type"], "BitstringStatusListEntry");
    assert!(status["statusListCredential"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{base}/orgs/org-a/status/")));
    // E-mail earners get a code too: it is in their e-mail, and printed
    // when the e-mail cannot go out.
    assert!(view["claim_code"].is_string());
    assert_eq!(view["delivery"], "no_smtp");

    let resolver = published(&app, "org-a").await;
    verify_di(&resolver, credential);

    // The public documents.
    let path = local_path(&app, view["credential_url"].as_str().unwrap()).to_owned();
    let json_doc = app.get(&format!("{path}.json"), &Auth::None).await;
    assert_eq!(json_doc.status, 200);
    assert_eq!(
        json_doc.header("content-type").unwrap(),
        "application/ld+json"
    );
    assert_eq!(&json_doc.json(), credential);
    assert_eq!(
        app.get(&format!("{path}.jwt"), &Auth::None).await.status,
        404
    );
    let negotiated = raw(
        &app,
        Method::GET,
        &path,
        &Auth::None,
        &[("accept", "application/ld+json")],
        Vec::new(),
    )
    .await;
    assert_eq!(negotiated.status, 200);
    assert_eq!(&negotiated.json(), credential);
    let page = raw(
        &app,
        Method::GET,
        &path,
        &Auth::None,
        &[("accept", "text/html,application/xhtml+xml,*/*;q=0.8")],
        Vec::new(),
    )
    .await;
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));

    // VC-JWT, with the plain name by consent.
    let view = award(
        &app,
        "org-a",
        &fx,
        json!({"format": "jwt", "name_consent": true}),
    )
    .await;
    assert_eq!(view["format"], "jwt");
    let jwt = view["jwt"].as_str().unwrap();
    let verified = verify_jwt(&resolver, jwt);
    // OB 3.0 §8.2: absolute kid; iss, jti, nbf and sub from the credential.
    let unverified = keys::decode_unverified(jwt).unwrap();
    let did = issuer::orgs::did(&base, &"org-a".into());
    assert!(unverified
        .header
        .kid
        .as_deref()
        .unwrap()
        .starts_with(&format!("{did}#")));
    assert_eq!(unverified.claims.iss.as_deref(), Some(did.as_str()));
    assert_eq!(
        unverified.claims.jti.as_ref(),
        verified["id"].as_str().map(String::from).as_ref()
    );
    assert_eq!(
        unverified.claims.sub.as_deref(),
        verified["credentialSubject"]["id"].as_str()
    );
    assert!(unverified.claims.nbf.is_some());
    assert_eq!(verified["id"], view["credential_url"]);
    assert_eq!(
        awards::credential::plain_name(&serde_json::from_value(verified.clone()).unwrap()),
        Some("Marie-Hélène Dupont")
    );
    assert!(view["claim_code"].as_str().is_some());
    let path = local_path(&app, view["credential_url"].as_str().unwrap()).to_owned();
    let jwt_doc = app.get(&format!("{path}.jwt"), &Auth::None).await;
    assert_eq!(
        jwt_doc.header("content-type").unwrap(),
        "application/vc+jwt"
    );
    assert_eq!(jwt_doc.text(), jwt);
    let negotiated = raw(
        &app,
        Method::GET,
        &path,
        &Auth::None,
        &[("accept", "application/json")],
        Vec::new(),
    )
    .await;
    assert_eq!(negotiated.text(), jwt);

    // Bad requests.
    for (body, code) in [
        (json!({"recipient_name": " "}), "invalid_recipient_name"),
        (
            json!({"recipient_email": "not-an-email"}),
            "invalid_recipient_email",
        ),
        (
            json!({"evidence_url": "javascript:alert(1)"}),
            "invalid_evidence_url",
        ),
        (json!({"format": "pdf"}), "invalid_json"),
    ] {
        let mut request = json!({"achievement_id": fx.achievement_id, "recipient_name": "A"});
        for (k, v) in body.as_object().unwrap() {
            request[k] = v.clone();
        }
        let resp = app
            .post("/api/v1/orgs/org-a/awards", &fx.token, request)
            .await;
        assert_eq!(resp.status, 400, "{}", resp.text());
        assert_eq!(resp.error_code(), code);
    }
    let unknown = app
        .post(
            "/api/v1/orgs/org-a/awards",
            &fx.token,
            json!({"achievement_id": "nope", "recipient_name": "A"}),
        )
        .await;
    assert_eq!(unknown.status, 404);
}
db_test!(award_di_and_jwt_formats, award_di_and_jwt);

async fn idempotent_repeat(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let body = json!({"achievement_id": fx.achievement_id, "recipient_name": "Ali"});
    let send = || {
        raw(
            &app,
            Method::POST,
            "/api/v1/orgs/org-a/awards",
            &fx.token,
            &[
                ("content-type", "application/json"),
                ("idempotency-key", "atelier-42-ali"),
            ],
            body.to_string().into_bytes(),
        )
    };
    let first = send().await;
    assert_eq!(first.status, 201, "{}", first.text());
    let second = send().await;
    assert_eq!(second.status, 200, "{}", second.text());
    assert_eq!(first.json()["id"], second.json()["id"]);
    assert_eq!(first.json()["credential"], second.json()["credential"]);
    // The same key in the body is the same request.
    let mut in_body = body.clone();
    in_body["idempotency_key"] = "atelier-42-ali".into();
    let third = app
        .post("/api/v1/orgs/org-a/awards", &fx.token, in_body)
        .await;
    assert_eq!(third.status, 200);
    let list = app.get("/api/v1/orgs/org-a/awards", &fx.token).await.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(list[0].get("credential").is_none(), "lists stay light");
    let audit = app.get("/api/v1/orgs/org-a/audit", &Auth::None).await;
    assert_eq!(audit.status, 401);
}
db_test!(idempotent_award, idempotent_repeat);

/// The award routes are documented.
#[actix_web::test]
async fn openapi_lists_the_award_routes() {
    let app = TestApp::sqlite().await;
    let doc = app.get("/openapi.json", &Auth::None).await.json();
    for (method, path) in [
        ("get", "/api/v1/orgs/{slug}/awards"),
        ("post", "/api/v1/orgs/{slug}/awards"),
        ("post", "/api/v1/orgs/{slug}/awards/csv"),
        ("get", "/api/v1/orgs/{slug}/awards/{id}"),
        ("post", "/api/v1/orgs/{slug}/awards/{id}/revoke"),
        ("get", "/api/v1/orgs/{slug}/awards/{id}/claim-qr.png"),
        ("get", "/credentials/{token}"),
        ("get", "/credentials/{token}.json"),
        ("get", "/credentials/{token}.jwt"),
        ("get", "/orgs/{slug}/status/{list_id}"),
    ] {
        assert!(
            doc["paths"][path].get(method).is_some(),
            "{method} {path} missing"
        );
    }
}
