//! Awards: issuing (Data Integrity and VC-JWT), idempotency, CSV imports,
//! revocation through the status list, public credential documents, claim
//! QR codes, isolation between organisations, key rotation.

use std::io::Read as _;

use actix_web::http::{header, Method};
use actix_web::test::TestRequest;
use actix_web::App;
use base64::Engine as _;
use issuer::awards::{self, IssueContext};
use issuer::users::Role;
use keys::{OfflineResolver, PublicKey, Resolver};
use serde_json::{json, Value};

use crate::db_test;
use crate::support::{Auth, TestApp, TestResponse};

/// An organisation with a facilitator (API token) and one achievement.
pub(crate) struct Fixture {
    pub(crate) token: Auth,
    pub(crate) achievement_id: String,
}

pub(crate) async fn fixture(app: &TestApp, slug: &str) -> Fixture {
    app.create_org(slug);
    let email = format!("fac@{slug}.fr");
    app.create_user(&email, slug, Role::Facilitator);
    let session = app.login(&email).await;
    let token = app.token(&session).await;
    let resp = app
        .post(
            &format!("/api/v1/orgs/{slug}/achievements"),
            &token,
            json!({
                "name": "Démarches en ligne",
                "description": "Faire ses démarches administratives en ligne",
                "criteria_narrative": "A suivi les trois séances de l'atelier",
                "alignments": [{"framework": "digcomp-2.2", "code": "1.1"}]
            }),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text());
    Fixture {
        token,
        achievement_id: resp.json()["id"].as_str().unwrap().to_owned(),
    }
}

/// Sends a request with a raw body and extra headers.
pub(crate) async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    auth: &Auth,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> TestResponse {
    let service = actix_web::test::init_service(App::new().configure({
        let state = app.state.clone();
        move |cfg| issuer::app::configure(cfg, state)
    }))
    .await;
    let mut req = TestRequest::default()
        .method(method)
        .uri(path)
        .set_payload(body);
    if let Auth::Token(token) = auth {
        req = req.insert_header((header::AUTHORIZATION, format!("Bearer {token}")));
    }
    for (name, value) in headers {
        req = req.insert_header((*name, *value));
    }
    let resp = actix_web::test::call_service(&service, req.to_request()).await;
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = actix_web::test::read_body(resp).await;
    TestResponse {
        status,
        headers,
        body,
    }
}

async fn award(app: &TestApp, slug: &str, fx: &Fixture, extra: Value) -> Value {
    let mut body =
        json!({"achievement_id": fx.achievement_id, "recipient_name": "Marie-Hélène Dupont"});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let resp = app
        .post(&format!("/api/v1/orgs/{slug}/awards"), &fx.token, body)
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text());
    resp.json()
}

pub(crate) fn local_path<'a>(app: &TestApp, url: &'a str) -> &'a str {
    let base = app.state.base();
    &url[base.len()..]
}

/// A resolver holding the documents the issuer publishes for `slug`, fetched
/// through its HTTP interface: its Profile (the issuer of credentials issued
/// before the DID) and its did:web DID document (the issuer since).
pub(crate) async fn published(app: &TestApp, slug: &str) -> OfflineResolver {
    let profile = app.get(&format!("/orgs/{slug}"), &Auth::None).await;
    assert_eq!(profile.status, 200);
    let did_document = app
        .get(&format!("/orgs/{slug}/did.json"), &Auth::None)
        .await;
    assert_eq!(did_document.status, 200);
    let mut resolver = OfflineResolver::new();
    resolver.insert(format!("{}/orgs/{slug}", app.state.base()), profile.json());
    resolver.insert(
        issuer::orgs::did(&app.state.base(), slug),
        did_document.json(),
    );
    resolver
}

/// Verifies a Data Integrity credential's proof with a key bound to its issuer.
pub(crate) fn verify_di(resolver: &dyn Resolver, credential: &Value) {
    let proof = &keys::di::proofs(credential)[0];
    let method = keys::di::proof_verification_method(proof).unwrap();
    let issuer = credential["issuer"]
        .as_str()
        .or_else(|| credential["issuer"]["id"].as_str())
        .unwrap();
    let PublicKey::Ed25519(key) =
        keys::resolve_verification_key(resolver, issuer, method).expect("key bound to issuer")
    else {
        panic!("Ed25519 expected")
    };
    assert!(keys::di::verify_proof(credential, proof, &key)
        .unwrap()
        .is_valid());
}

pub(crate) fn verify_jwt(resolver: &dyn Resolver, jwt: &str) -> Value {
    let unverified = keys::decode_unverified(jwt).unwrap();
    let issuer = unverified.credential["issuer"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let key = keys::resolve_jwt_key(
        resolver,
        &issuer,
        unverified.header.kid.as_deref(),
        unverified.header.jwk.as_ref(),
    )
    .expect("JWT key bound to issuer");
    unverified.verify(&key).expect("JWT verifies").credential
}

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
        issuer::orgs::did(&base, "org-a")
    );
    assert!(
        credential["proof"].is_array(),
        "a proof set, as the 1EdTech JSON Schema requires"
    );
    assert!(credential["proof"][0]["verificationMethod"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{}#", issuer::orgs::did(&base, "org-a"))));
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
    let did = issuer::orgs::did(&base, "org-a");
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

/// What Excel in France writes: Windows-1252, `;`, French headers, first
/// and last names apart, a column nobody asked for.
async fn french_excel_csv(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let file: &[u8] = b"Nom;Pr\xe9nom;Courriel;T\xe9l\xe9phone\r\n\
                        Roux;Zo\xe9;zoe@example.fr;0600000000\r\n\
                        Diallo;Awa;;\r\n";
    let resp = raw(
        &app,
        Method::POST,
        &format!(
            "/api/v1/orgs/org-a/awards/csv?achievement_id={}&dry_run=true",
            fx.achievement_id
        ),
        &fx.token,
        &[("content-type", "text/csv")],
        file.to_vec(),
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let dry = resp.json();
    assert_eq!(dry["valid"], true, "{dry}");
    assert_eq!(dry["awarded"], 2);
    assert_eq!(dry["read_as"]["encoding"], "windows1252");
    assert_eq!(dry["read_as"]["separator"], ";");
    let uses: Vec<&Value> = dry["read_as"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["field"])
        .collect();
    assert_eq!(
        uses,
        [
            &json!("last_name"),
            &json!("first_name"),
            &json!("email"),
            &Value::Null
        ]
    );
    let rows = issuer::awards::csv::parse(file).unwrap();
    assert_eq!(rows[0].name, "Zoé Roux");
    assert_eq!(rows[1].name, "Awa Diallo");
    assert_eq!(rows[0].email.as_deref(), Some("zoe@example.fr"));
}
db_test!(french_excel_csv_is_read, french_excel_csv);

pub(crate) async fn csv_post(
    app: &TestApp,
    fx: &Fixture,
    query: &str,
    file: &str,
    key: Option<&str>,
) -> TestResponse {
    let mut headers = vec![("content-type", "text/csv")];
    if let Some(key) = key {
        headers.push(("idempotency-key", key));
    }
    raw(
        app,
        Method::POST,
        &format!(
            "/api/v1/orgs/org-a/awards/csv?achievement_id={}&{query}",
            fx.achievement_id
        ),
        &fx.token,
        &headers,
        file.as_bytes().to_vec(),
    )
    .await
}

async fn csv_imports(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let bad = "name,email,narrative,evidence_url\n\
               Ana,ana@example.fr,,\n\
               ,b@example.fr,,\n\
               Léa,lea@,,\n\
               Jo,,,ftp://example.fr\n";
    let dry = csv_post(&app, &fx, "dry_run=true", bad, None).await;
    assert_eq!(dry.status, 200, "{}", dry.text());
    let dry = dry.json();
    assert_eq!(dry["valid"], false);
    let errors: Vec<(u64, String)> = dry["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert!(!e["reason"].as_str().unwrap().is_empty());
            (
                e["line"].as_u64().unwrap(),
                e["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (3, "name".to_owned()),
            (4, "email".to_owned()),
            (5, "evidence_url".to_owned())
        ]
    );
    let refused = csv_post(&app, &fx, "dry_run=false", bad, None).await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.error_code(), "invalid_csv");
    assert_eq!(refused.json()["errors"].as_array().unwrap().len(), 3);
    let list = app.get("/api/v1/orgs/org-a/awards", &fx.token).await.json();
    assert!(list.as_array().unwrap().is_empty(), "nothing written");

    let good = "name;email\nAna;ana@example.fr\nJo;\nLéa;LEA@example.fr\n";
    let dry = csv_post(&app, &fx, "dry_run=true", good, None).await.json();
    assert_eq!(
        (dry["valid"].clone(), dry["awarded"].clone()),
        (json!(true), json!(3))
    );
    let commit = csv_post(&app, &fx, "dry_run=false", good, None).await;
    assert_eq!(commit.status, 200, "{}", commit.text());
    assert_eq!(commit.json()["awarded"], 3);
    assert_eq!(commit.json()["skipped"], 0);

    // Resubmitted, with one more row and e-mails in another case: only the new row.
    let again = "name;email\nAna;ANA@example.fr\nJo;\nLéa;lea@example.fr\nZoé;\n";
    let dry = csv_post(&app, &fx, "dry_run=true", again, None)
        .await
        .json();
    assert_eq!(
        (dry["awarded"].clone(), dry["skipped"].clone()),
        (json!(1), json!(3))
    );
    let commit = csv_post(&app, &fx, "dry_run=false", again, None)
        .await
        .json();
    assert_eq!(
        (commit["awarded"].clone(), commit["skipped"].clone()),
        (json!(1), json!(3))
    );
    let list = app.get("/api/v1/orgs/org-a/awards", &fx.token).await.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 4);
    let with_codes = list.iter().filter(|a| a["claim_code"].is_string()).count();
    assert_eq!(with_codes, 4, "everyone has a code, with or without e-mail");
    // A new file key is a new session: everyone holds the badge already,
    // so they are skipped and said so, unless awarded anyway.
    let session = csv_post(
        &app,
        &fx,
        "dry_run=false&format=jwt",
        good,
        Some("session-2"),
    )
    .await
    .json();
    assert_eq!(session["awarded"], 0);
    assert_eq!(session["skipped_by_reason"]["holds_badge"], 3);
    let session = csv_post(
        &app,
        &fx,
        "dry_run=false&format=jwt&duplicates=award",
        good,
        Some("session-2"),
    )
    .await
    .json();
    assert_eq!(session["awarded"], 3);

    let too_big = format!("name\n{}", "x\n".repeat(600_000));
    let resp = csv_post(&app, &fx, "dry_run=true", &too_big, None).await;
    assert_eq!(resp.status, 413);
    let too_many = format!(
        "name\n{}",
        (0..2001).map(|i| format!("p{i}\n")).collect::<String>()
    );
    let resp = csv_post(&app, &fx, "dry_run=true", &too_many, None)
        .await
        .json();
    assert!(resp["errors"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("2000"));
}
db_test!(csv_dry_run_commit_resubmit, csv_imports);

/// The bits of a BitstringStatusListCredential.
pub(crate) fn decode_list(list: &Value) -> Vec<u8> {
    let encoded = list["credentialSubject"]["encodedList"].as_str().unwrap();
    let gz = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(encoded.strip_prefix('u').unwrap())
        .unwrap();
    let mut bits = Vec::new();
    flate2::read::GzDecoder::new(gz.as_slice())
        .read_to_end(&mut bits)
        .unwrap();
    bits
}

pub(crate) fn bit(bits: &[u8], index: u64) -> bool {
    bits[(index / 8) as usize] & (0x80 >> (index % 8)) != 0
}

async fn revocation(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let kept = award(&app, "org-a", &fx, json!({})).await;
    let revoked = award(&app, "org-a", &fx, json!({"recipient_name": "Paul"})).await;
    let entry = &revoked["credential"]["credentialStatus"];
    let list_url = entry["statusListCredential"].as_str().unwrap().to_owned();
    assert_eq!(
        kept["credential"]["credentialStatus"]["statusListCredential"], list_url,
        "one list per organisation"
    );
    let index: u64 = entry["statusListIndex"].as_str().unwrap().parse().unwrap();
    let kept_index: u64 = kept["credential"]["credentialStatus"]["statusListIndex"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();

    let list_path = local_path(&app, &list_url).to_owned();
    let before = app.get(&list_path, &Auth::None).await;
    assert_eq!(before.status, 200);
    assert_eq!(before.header("cache-control").unwrap(), "public, no-cache");
    let etag = before.header("etag").unwrap();
    assert!(!bit(&decode_list(&before.json()), index));
    let not_modified = raw(
        &app,
        Method::GET,
        &list_path,
        &Auth::None,
        &[("if-none-match", etag.as_str())],
        Vec::new(),
    )
    .await;
    assert_eq!(not_modified.status, 304);
    assert_eq!(not_modified.header("etag").unwrap(), etag);
    assert_eq!(
        not_modified.header("cache-control").unwrap(),
        "public, no-cache"
    );

    let revoke_path = format!(
        "/api/v1/orgs/org-a/awards/{}/revoke",
        revoked["id"].as_str().unwrap()
    );
    for body in [
        json!({"reason": "  "}),
        json!({"reason": "x".repeat(501)}),
        json!({}),
    ] {
        let resp = app.post(&revoke_path, &fx.token, body).await;
        assert_eq!(resp.status, 400, "{}", resp.text());
    }
    let resp = app
        .post(
            &revoke_path,
            &fx.token,
            json!({"reason": "Décerné par erreur"}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.json()["revoked"], true);
    assert_eq!(
        app.post(&revoke_path, &fx.token, json!({"reason": "again"}))
            .await
            .error_code(),
        "already_revoked"
    );

    // The very next revalidation, with the ETag of the list before the
    // revocation, gets the new list (not a 304).
    let revalidated = raw(
        &app,
        Method::GET,
        &list_path,
        &Auth::None,
        &[("if-none-match", etag.as_str())],
        Vec::new(),
    )
    .await;
    assert_eq!(revalidated.status, 200);
    assert!(bit(&decode_list(&revalidated.json()), index));
    assert_ne!(revalidated.header("etag").unwrap(), etag);
    let after = app.get(&list_path, &Auth::None).await;
    assert_ne!(after.header("etag").unwrap(), etag);
    let list = after.json();
    assert_eq!(
        list["type"],
        json!(["VerifiableCredential", "BitstringStatusListCredential"])
    );
    assert_eq!(
        list["issuer"],
        issuer::orgs::did(&app.state.base(), "org-a"),
        "the list is signed under the identity its credentials name"
    );
    let bits = decode_list(&list);
    assert_eq!(bits.len() * 8, 131_072);
    assert!(bit(&bits, index));
    assert!(!bit(&bits, kept_index));
    assert_eq!(bits.iter().map(|b| b.count_ones()).sum::<u32>(), 1);
    verify_di(&published(&app, "org-a").await, &list);

    let path = local_path(&app, revoked["credential_url"].as_str().unwrap()).to_owned();
    let gone = raw(
        &app,
        Method::GET,
        &path,
        &Auth::None,
        &[("accept", "application/json")],
        Vec::new(),
    )
    .await;
    assert_eq!(gone.status, 410);
    let gone = gone.json();
    assert_eq!(gone["error"], "revoked");
    assert_eq!(gone["revocationReason"], "Décerné par erreur");
    assert_eq!(gone["credential"], revoked["credential"]);
    assert_eq!(
        app.get(&format!("{path}.json"), &Auth::None).await.status,
        200,
        "the document as issued stays readable"
    );
    let audit = app_audit(&app, &fx).await;
    assert!(audit.contains(&"award.revoke".to_owned()));
    assert_eq!(audit.iter().filter(|a| *a == "award.create").count(), 2);
}
db_test!(revoke_sets_status_bit_and_answers_gone, revocation);

async fn app_audit(app: &TestApp, fx: &Fixture) -> Vec<String> {
    // The facilitator is not an admin: read the audit log as the CLI would.
    let _ = fx;
    app.state
        .db
        .run_blocking(|conn| {
            let org = issuer::orgs::by_slug(conn, "org-a")?;
            Ok::<_, issuer::error::ApiError>(issuer::audit::list(conn, &org.id, 100)?)
        })
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

async fn isolation(app: TestApp) {
    let a = fixture(&app, "org-a").await;
    let b = fixture(&app, "org-b").await;
    let award_a = award(&app, "org-a", &a, json!({})).await;
    let id = award_a["id"].as_str().unwrap();
    for (method, path, body) in [
        (Method::GET, "/api/v1/orgs/org-a/awards".to_owned(), None),
        (
            Method::POST,
            "/api/v1/orgs/org-a/awards".to_owned(),
            Some(json!({"achievement_id": a.achievement_id, "recipient_name": "X"})),
        ),
        (Method::GET, format!("/api/v1/orgs/org-a/awards/{id}"), None),
        (
            Method::POST,
            format!("/api/v1/orgs/org-a/awards/{id}/revoke"),
            Some(json!({"reason": "x"})),
        ),
        (
            Method::GET,
            format!("/api/v1/orgs/org-a/awards/{id}/claim-qr.png"),
            None,
        ),
        // Org B's own routes with org A's ids.
        (Method::GET, format!("/api/v1/orgs/org-b/awards/{id}"), None),
        (
            Method::POST,
            format!("/api/v1/orgs/org-b/awards/{id}/revoke"),
            Some(json!({"reason": "x"})),
        ),
        (
            Method::GET,
            format!("/api/v1/orgs/org-b/awards/{id}/claim-qr.png"),
            None,
        ),
        (
            Method::POST,
            "/api/v1/orgs/org-b/awards".to_owned(),
            Some(json!({"achievement_id": a.achievement_id, "recipient_name": "X"})),
        ),
    ] {
        let resp = app.request(method.clone(), &path, &b.token, body).await;
        assert_eq!(resp.status, 404, "{method} {path}: {}", resp.text());
    }
    let csv = csv_post(&app, &b, "dry_run=false", "name\nX\n", None).await;
    assert_eq!(csv.status, 404, "org B posting to org A: {}", csv.text());
    let resp = raw(
        &app,
        Method::POST,
        &format!(
            "/api/v1/orgs/org-b/awards/csv?achievement_id={}&dry_run=true",
            a.achievement_id
        ),
        &b.token,
        &[],
        b"name\nX\n".to_vec(),
    )
    .await;
    assert_eq!(resp.status, 404, "org A's achievement via org B");
    // A status list is only served under its own organisation.
    let list_url = award_a["credential"]["credentialStatus"]["statusListCredential"]
        .as_str()
        .unwrap();
    let other = local_path(&app, list_url).replace("/orgs/org-a/", "/orgs/org-b/");
    assert_eq!(app.get(&other, &Auth::None).await.status, 404);
    // Without authentication: 401.
    assert_eq!(
        app.get("/api/v1/orgs/org-a/awards", &Auth::None)
            .await
            .status,
        401
    );
    let after = app.get("/api/v1/orgs/org-a/awards", &a.token).await.json();
    assert_eq!(after.as_array().unwrap().len(), 1);
    assert_eq!(after[0]["revoked"], false);
}
db_test!(cross_organisation_access_is_404, isolation);

async fn claim_qr(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let view = award(&app, "org-a", &fx, json!({})).await;
    let code = view["claim_code"].as_str().unwrap();
    assert!(regex_like_code(code), "{code}");
    let resp = app
        .get(
            &format!(
                "/api/v1/orgs/org-a/awards/{}/claim-qr.png",
                view["id"].as_str().unwrap()
            ),
            &fx.token,
        )
        .await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("content-type").unwrap(), "image/png");
    let image = image::load_from_memory(&resp.body).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        image.width() as usize,
        image.height() as usize,
        |x, y| image.get_pixel(x as u32, y as u32)[0],
    );
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, text) = grids[0].decode().unwrap();
    assert_eq!(text, format!("{}/claim/{code}", app.state.base()));
    assert_eq!(view["claim_url"], text);

    let found = app
        .state
        .db
        .run_blocking(|conn| awards::by_claim_code(conn, &code.to_lowercase().replace('-', " ")))
        .unwrap();
    assert_eq!(found.id, view["id"].as_str().unwrap());

    // A participant with an e-mail has a code and QR code too, for when
    // the e-mail does not arrive.
    let with_email = award(&app, "org-a", &fx, json!({"recipient_email": "a@b.fr"})).await;
    let resp = app
        .get(
            &format!(
                "/api/v1/orgs/org-a/awards/{}/claim-qr.png",
                with_email["id"].as_str().unwrap()
            ),
            &fx.token,
        )
        .await;
    assert_eq!(resp.status, 200);
}
db_test!(claim_code_qr_decodes_to_claim_url, claim_qr);

fn regex_like_code(code: &str) -> bool {
    code.len() == 9
        && code.chars().enumerate().all(|(i, c)| {
            if i == 4 {
                c == '-'
            } else {
                c.is_ascii_uppercase() || c.is_ascii_digit()
            }
        })
}

async fn random_indices(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let file: String = std::iter::once("name\n".to_owned())
        .chain((0..50).map(|i| format!("Participant {i}\n")))
        .collect();
    let resp = csv_post(&app, &fx, "dry_run=false", &file, None).await;
    assert_eq!(resp.json()["awarded"], 50, "{}", resp.text());
    // In creation (file) order.
    let mut indices: Vec<i64> = Vec::new();
    for id in resp.json()["award_ids"].as_array().unwrap() {
        let award = app
            .get(
                &format!("/api/v1/orgs/org-a/awards/{}", id.as_str().unwrap()),
                &fx.token,
            )
            .await
            .json();
        let index = award["credential"]["credentialStatus"]["statusListIndex"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        indices.push(index);
    }
    let mut sorted = indices.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), 50, "no index reused");
    assert_ne!(indices, sorted, "not in increasing order");
    let consecutive = sorted.windows(2).filter(|w| w[1] - w[0] == 1).count();
    assert!(consecutive < 5, "not sequential: {sorted:?}");
    assert!(
        sorted[49] - sorted[0] > 131_072 / 4,
        "spread over the list: {sorted:?}"
    );
}
db_test!(status_indices_are_random, random_indices);

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
    let did = issuer::orgs::did(&app.state.base(), "org-a");
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

async fn name_consent(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let view = award(&app, "org-a", &fx, json!({})).await;
    let award_row = app
        .state
        .db
        .run_blocking(|conn| {
            awards::by_public_token(
                conn,
                view["credential_url"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap(),
            )
        })
        .unwrap();
    let updated = app
        .state
        .db
        .run_blocking(|conn| {
            let ctx = IssueContext::new(app.state.base(), &app.state.master_key);
            awards::set_name_consent(conn, &ctx, &award_row, true)
        })
        .unwrap();
    let credential = updated.credential_json().unwrap();
    assert_eq!(
        awards::credential::plain_name(&updated.stored_credential().unwrap()),
        Some("Marie-Hélène Dupont")
    );
    assert_eq!(credential["id"], view["credential"]["id"]);
    assert_eq!(
        credential["credentialStatus"],
        view["credential"]["credentialStatus"]
    );
    schemas::validate_credential(&credential).unwrap();
    verify_di(&published(&app, "org-a").await, &credential);
    let withdrawn = app
        .state
        .db
        .run_blocking(|conn| {
            let ctx = IssueContext::new(app.state.base(), &app.state.master_key);
            awards::set_name_consent(conn, &ctx, &updated, false)
        })
        .unwrap();
    assert_eq!(
        awards::credential::plain_name(&withdrawn.stored_credential().unwrap()),
        None
    );
}
db_test!(name_consent_re_signs, name_consent);

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

/// `issuer award --csv`: bad rows refuse the file, a dry run writes nothing,
/// a commit awards once however often it is run.
#[actix_web::test]
async fn cli_awards_a_csv_file_once() {
    use clap::Parser as _;
    let app = TestApp::sqlite().await;
    let fx = fixture(&app, "org-a").await;
    let dir = tempfile::tempdir().unwrap();
    let data_dir = app.state.config.data_dir.to_str().unwrap().to_owned();
    let run = |file: &str, content: &str, extra: &[&str]| {
        let path = dir.path().join(file);
        std::fs::write(&path, content).unwrap();
        let mut args = vec![
            "issuer",
            "award",
            "--org",
            "org-a",
            "--achievement",
            &fx.achievement_id,
            "--csv",
            path.to_str().unwrap(),
            "--data-dir",
            &data_dir,
        ];
        args.extend_from_slice(extra);
        let cli = issuer::cli::Cli::try_parse_from(args).unwrap();
        issuer::cli::run(cli).unwrap()
    };
    let count = || {
        app.state
            .db
            .run_blocking(|conn| {
                let org = issuer::orgs::by_slug(conn, "org-a")?;
                Ok::<_, issuer::error::ApiError>(awards::list(conn, &org.id, 100, 0)?.len())
            })
            .unwrap()
    };
    let failure = std::process::ExitCode::from(1);
    assert_eq!(run("bad.csv", "name,email\n,x@y.fr\n", &[]), failure);
    let good = "name,email\nAna,ana@example.fr\nJo,\n";
    assert_eq!(
        run("good.csv", good, &["--dry-run"]),
        std::process::ExitCode::SUCCESS
    );
    assert_eq!(count(), 0);
    for _ in 0..2 {
        assert_eq!(
            run("good.csv", good, &["--format", "jwt"]),
            std::process::ExitCode::SUCCESS
        );
        assert_eq!(count(), 2);
    }
}
