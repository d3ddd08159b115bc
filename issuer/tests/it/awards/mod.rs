//! Awards through the API, one file per route family: issuing (Data
//! Integrity and VC-JWT) and idempotency, CSV imports, revocation through
//! the status list, claim QR codes, isolation between organisations, key
//! rotation, name consent. The helpers every file (and other test modules)
//! share are here.

use std::io::Read as _;

use actix_web::http::{header, Method};
use actix_web::test::TestRequest;
use actix_web::App;
use base64::Engine as _;
use issuer::users::Role;
use keys::{OfflineResolver, PublicKey, Resolver};
use serde_json::{json, Value};

use crate::support::{Auth, TestApp, TestResponse};

mod claim;
mod consent;
mod create;
mod csv;
mod isolation;
mod revoke;
mod rotation;

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
        issuer::orgs::did(&app.state.base(), &slug.into()),
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
