//! The verifier service through its real HTTP interface (in-process with
//! `actix_web::test`), against credentials signed here with did:key and a
//! small local issuer (actix on port 0) serving hosted credentials, a
//! revoked one (410) and a status list.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::test::{self, TestRequest};
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use chrono::{Duration, SecondsFormat, Utc};
use keys::di::{sign_eddsa_rdfc_2022, ProofOptions};
use keys::did::{did_key, did_key_verification_method};
use keys::{KeyAlgorithm, OfflineResolver, SigningKey};
use serde_json::{json, Value};
use verifier::net::{HttpClient, NetConfig, NetworkResolver};
use verifier::pipeline::{verify_bytes, VerifyOptions};
use verifier::service::{app, AppState, Config, TrustRegistry, CONTENT_SECURITY_POLICY};

const HOLDER_EMAIL: &str = "marie.dupont@example.fr";
const HOLDER_NAME: &str = "Marie Dupont";
const REASON: &str = "Délivré par erreur";

/// An issuer with an Ed25519 did:key.
pub(crate) struct Issuer {
    key: SigningKey,
    pub(crate) did: String,
    pub(crate) method: String,
}

impl Issuer {
    pub(crate) fn new() -> Self {
        let key = SigningKey::generate(KeyAlgorithm::Ed25519).expect("generates");
        let SigningKey::Ed25519(ed25519) = &key else {
            unreachable!("an Ed25519 key")
        };
        let public = ed25519.verifying_key();
        Issuer {
            did: did_key(&public),
            method: did_key_verification_method(&public),
            key,
        }
    }

    pub(crate) fn sign(&self, document: &Value) -> Value {
        let SigningKey::Ed25519(ed25519) = &self.key else {
            unreachable!("an Ed25519 key")
        };
        let options = ProofOptions::new(&self.method, Utc::now() - Duration::minutes(5));
        sign_eddsa_rdfc_2022(document, ed25519, options).expect("signs")
    }
}

pub(crate) fn rfc3339(offset: Duration) -> String {
    (Utc::now() + offset).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An unsigned credential of `issuer`, awarded to Marie Dupont (hashed
/// e-mail address, name in clear).
pub(crate) fn credential(issuer: &Issuer, id: &str) -> Value {
    let email = schemas::IdentityObject::hashed_email(HOLDER_EMAIL, "sel-de-test");
    json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "id": id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Faire ses démarches en ligne",
        "issuer": {"id": issuer.did, "type": ["Profile"], "name": "Maison des Solidarités",
            "url": "https://mds.example.fr"},
        "validFrom": rfc3339(-Duration::days(1)),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                serde_json::to_value(email).expect("serialises"),
                {"type": "IdentityObject", "hashed": false, "identityType": "name",
                    "identityHash": HOLDER_NAME}
            ],
            "achievement": {
                "id": "https://mds.example.fr/badges/demarches",
                "type": ["Achievement"],
                "name": "Faire ses démarches en ligne",
                "description": "Sait créer un compte et déposer un justificatif.",
                "criteria": {"narrative": "Trois séances et une démarche complète."},
                "alignment": [{"type": ["Alignment"], "targetName": "1.1 Naviguer",
                    "targetUrl": "https://jrc.example.eu/digcomp/1.1",
                    "targetFramework": "DigComp 2.2", "targetCode": "1.1"}]
            }
        }
    })
}

/// A signed credential with no status and a `urn:uuid` id: verifies offline.
pub(crate) fn offline_credential(issuer: &Issuer) -> Value {
    issuer.sign(&credential(
        issuer,
        "urn:uuid:5b0f3d4e-2a51-4c8e-9a3f-6c1d2e7f8a90",
    ))
}

pub(crate) fn config(allow_private: bool) -> Config {
    let mut config = Config::new("127.0.0.1:8081".parse().expect("address"));
    config.public_url = "https://verifier.example.fr".to_owned();
    config.allow_private = allow_private;
    config
}

/// A response read in full.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: header::HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8")
    }

    /// The page's text with askama's escapes of quotes and ampersands undone,
    /// to compare with the messages.
    pub(crate) fn readable(&self) -> String {
        self.text()
            .replace("&#39;", "'")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    }

    pub(crate) fn header(&self, name: header::HeaderName) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    /// A JSON problem body with this code and a message.
    pub(crate) fn assert_problem(&self, status: StatusCode, code: &str) {
        assert_eq!(
            self.status,
            status,
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        let body = self.json();
        assert_eq!(body["error"], code, "{body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

/// Sends a request built with `TestRequest::to_request`.
pub(crate) async fn send<S, R, B>(service: &S, request: R) -> Answer
where
    S: Service<R, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let response = test::call_service(service, request).await;
    let status = response.status();
    let headers = response.headers().clone();
    let body = test::read_body(response).await.to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

pub(crate) fn json_post(path: &str, body: impl Into<Vec<u8>>) -> TestRequest {
    TestRequest::post()
        .uri(path)
        .insert_header((header::ACCEPT, "application/json"))
        .set_payload(body.into())
}

/// A multipart form body and its content type.
fn multipart(fields: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----verifier-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let filename = if *name == "file" {
            "; filename=\"badge.json\""
        } else {
            ""
        };
        body.extend_from_slice(
            format!("Content-Disposition: form-data; name=\"{name}\"{filename}\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn form_post(path: &str, fields: &[(&str, &[u8])]) -> TestRequest {
    let (content_type, body) = multipart(fields);
    TestRequest::post()
        .uri(path)
        .insert_header((header::CONTENT_TYPE, content_type))
        .set_payload(body)
}

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The local issuer: hosted credentials and their status list, on
/// 127.0.0.1, port 0.
struct LocalIssuer {
    base: String,
    /// Clear in the status list.
    valid: Value,
    /// Revoked in the status list; its URL answers 410 with a reason.
    revoked: Value,
}

impl LocalIssuer {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

fn status_entry(base: &str, index: u32) -> Value {
    json!({
        "id": format!("{base}/status/1#{index}"),
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": index.to_string(),
        "statusListCredential": format!("{base}/status/1")
    })
}

async fn local_issuer() -> LocalIssuer {
    local_issuer_with_list_from(-Duration::days(1)).await
}

/// [`local_issuer`] whose status list is valid from `now + list_from`.
async fn local_issuer_with_list_from(list_from: Duration) -> LocalIssuer {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let issuer = Issuer::new();
    let mut bits = vec![0u8; 16 * 1024];
    bits[0] = 0x80 >> 2;
    let list = issuer.sign(&json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": format!("{base}/status/1"),
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.did,
        "validFrom": rfc3339(list_from),
        "credentialSubject": {
            "id": format!("{base}/status/1#list"),
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": verifier::status::encode_bitstring(&bits)
        }
    }));
    let hosted = |index: u32| {
        let mut document = credential(&issuer, &format!("{base}/credentials/{index}"));
        document["credentialStatus"] = status_entry(&base, index);
        issuer.sign(&document)
    };
    let (valid, revoked) = (hosted(1), hosted(2));
    let gone = json!({"error": "revoked", "revocationReason": REASON, "credential": revoked});
    let routes: HashMap<String, (u16, String)> = [
        ("/credentials/1", (200, valid.to_string())),
        ("/credentials/2", (410, gone.to_string())),
        ("/status/1", (200, list.to_string())),
    ]
    .into_iter()
    .map(|(path, answer)| (path.to_owned(), answer))
    .collect();
    let routes = Arc::new(routes);
    let server = HttpServer::new(move || {
        let routes = Arc::clone(&routes);
        App::new().default_service(web::to(move |req: HttpRequest| {
            let answer = routes.get(req.path()).cloned();
            async move {
                match answer {
                    Some((status, body)) => {
                        HttpResponse::build(StatusCode::from_u16(status).expect("status"))
                            .content_type("application/json")
                            .body(body)
                    }
                    None => HttpResponse::NotFound().finish(),
                }
            }
        }))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)
    .expect("listens")
    .run();
    actix_web::rt::spawn(server);
    LocalIssuer {
        base,
        valid,
        revoked,
    }
}

#[actix_web::test]
async fn a_status_list_signed_a_moment_ahead_of_our_clock_is_read_and_a_future_one_is_not() {
    let service = test::init_service(app(AppState::new(config(true)))).await;
    for (list_from, believed) in [(Duration::seconds(90), true), (Duration::hours(1), false)] {
        let issuer = local_issuer_with_list_from(list_from).await;
        let request = TestRequest::get()
            .uri(&format!(
                "/verify?url={}",
                encode(&issuer.url("/credentials/1"))
            ))
            .insert_header((header::ACCEPT, "application/json"));
        let report = send(&service, request.to_request()).await.json();
        let codes = report["checks"].to_string();
        assert_eq!(report["verified"], believed, "{list_from}: {report}");
        let expected = if believed {
            "status.not_revoked"
        } else {
            "status.unavailable"
        };
        assert!(codes.contains(expected), "{list_from}: {codes}");
    }
}

#[actix_web::test]
async fn healthz_answers_ok() {
    let service = test::init_service(app(AppState::new(config(false)))).await;
    let answer = send(&service, TestRequest::get().uri("/healthz").to_request()).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json(), json!({"status": "ok"}));
}

#[actix_web::test]
async fn a_signed_credential_verifies_as_raw_body_multipart_file_and_pasted_text() {
    let service = test::init_service(app(AppState::new(config(false)))).await;
    let signed = offline_credential(&Issuer::new()).to_string();
    let raw = send(&service, json_post("/verify", signed.clone()).to_request()).await;
    assert_eq!(raw.status, StatusCode::OK);
    let report = raw.json();
    assert_eq!(report["verified"], true, "{report}");
    assert!(report["checks"].as_array().is_some_and(|c| !c.is_empty()));
    assert!(report.get("revocationReason").is_none());
    for field in ["file", "text"] {
        let request = form_post("/verify", &[(field, signed.as_bytes())])
            .insert_header((header::ACCEPT, "application/json"));
        let answer = send(&service, request.to_request()).await;
        assert_eq!(answer.status, StatusCode::OK, "{field}");
        assert_eq!(answer.json()["verified"], true, "{field}");
    }
}

#[actix_web::test]
async fn a_tampered_credential_is_not_verified() {
    let service = test::init_service(app(AppState::new(config(false)))).await;
    let mut tampered = offline_credential(&Issuer::new());
    tampered["credentialSubject"]["achievement"]["name"] = "Pilote de ligne".into();
    let answer = send(
        &service,
        json_post("/verify", tampered.to_string()).to_request(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    let report = answer.json();
    assert_eq!(report["verified"], false);
    let codes: Vec<&str> = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter_map(|c| c["code"].as_str())
        .collect();
    assert!(codes.contains(&"proof.signature_invalid"), "{codes:?}");
    let page = send(
        &service,
        TestRequest::post()
            .uri("/verify")
            .set_payload(tampered.to_string())
            .to_request(),
    )
    .await;
    assert!(page.text().contains("Attention : ce badge a été modifié."));
}

#[actix_web::test]
async fn the_result_page_is_french_by_default_and_english_on_request() {
    let service = test::init_service(app(AppState::new(config(false)))).await;
    let signed = offline_credential(&Issuer::new()).to_string();
    let french = send(
        &service,
        TestRequest::post()
            .uri("/verify")
            .set_payload(signed.clone())
            .to_request(),
    )
    .await;
    assert_eq!(french.status, StatusCode::OK);
    assert!(french.header(header::CONTENT_TYPE).starts_with("text/html"));
    let html = french.text();
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(html.contains("Ce badge est authentique et valide."));
    assert!(html.contains("Maison des Solidarités"));
    assert!(html.contains(HOLDER_NAME));
    assert!(html.contains("1.1 Naviguer"));
    assert!(html.contains("<details>"));
    // The date in words: issued yesterday.
    let yesterday = ::i18n::long_date(Utc::now() - Duration::days(1), ::i18n::Lang::Fr);
    assert!(html.contains(&yesterday), "{yesterday}");
    assert!(html.contains("lang=\"en\""), "a switch to English");
    assert!(html.len() < 100 * 1024);
    for request in [
        TestRequest::post()
            .uri("/verify")
            .insert_header((header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9")),
        TestRequest::post().uri("/verify?lang=en"),
    ] {
        let english = send(&service, request.set_payload(signed.clone()).to_request()).await;
        let html = english.text();
        assert!(html.contains("<html lang=\"en\">"));
        assert!(html.contains("This badge is genuine and valid."));
    }
}

#[actix_web::test]
async fn the_home_page_is_a_form_that_works_without_javascript() {
    let service = test::init_service(app(AppState::new(config(false)))).await;
    let home = send(&service, TestRequest::get().uri("/").to_request()).await;
    assert_eq!(home.status, StatusCode::OK);
    let html = home.text();
    for needle in [
        "<html lang=\"fr\">",
        "enctype=\"multipart/form-data\"",
        "action=\"/verify?lang=fr\"",
        "<label for=\"file\">",
        "name=\"file\"",
        "<label for=\"text\">",
        "name=\"text\"",
        "<label for=\"url\">",
        "name=\"url\"",
        "<label for=\"holder\">",
        "name=\"holder\"",
        "href=\"#content\"",
        "/static/app.css",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    assert!(!html.contains("style=") && !html.contains("<style"));
    let css = send(
        &service,
        TestRequest::get().uri("/static/app.css").to_request(),
    )
    .await;
    assert!(css.text().contains("@page{size:A4"));
    assert!(css.text().contains(":focus-visible"));
    let js = send(
        &service,
        TestRequest::get().uri("/static/app.js").to_request(),
    )
    .await;
    assert!(js
        .header(header::CONTENT_TYPE)
        .starts_with("text/javascript"));
    assert!(html.len() + css.body.len() + js.body.len() < 100 * 1024);
}

#[actix_web::test]
async fn security_headers_are_on_every_response() {
    let service = test::init_service(app(AppState::new(config(false)))).await;
    let requests = [
        TestRequest::get().uri("/"),
        TestRequest::get().uri("/healthz"),
        TestRequest::get().uri("/static/app.css"),
        TestRequest::get().uri("/no-such-page"),
        json_post("/verify", "not a badge"),
        json_post("/verify", vec![b'x'; 3 * 1024 * 1024]),
    ];
    for request in requests {
        let answer = send(&service, request.to_request()).await;
        assert_eq!(
            answer.header(header::CONTENT_SECURITY_POLICY),
            CONTENT_SECURITY_POLICY
        );
        assert!(CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
        assert_eq!(answer.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert_eq!(answer.header(header::REFERRER_POLICY), "no-referrer");
        assert_eq!(answer.header(header::X_FRAME_OPTIONS), "DENY");
    }
}

#[actix_web::test]
async fn hostile_bodies_get_a_problem_or_a_not_verified_report() {
    let service = test::init_service(app(AppState::new(config(false)))).await;
    let signed = offline_credential(&Issuer::new()).to_string();
    let deep = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
    let entity = r#"<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">&b;</svg>"#;
    let none_jwt = "eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.";
    let mut hostile: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"   \n".to_vec(),
        b"\xff\xfe\x00garbage".to_vec(),
        b"{".to_vec(),
        b"[1, 2]".to_vec(),
        b"null".to_vec(),
        deep.into_bytes(),
        entity.as_bytes().to_vec(),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec(),
        b"GIF89a....".to_vec(),
        b"ftp://example.org/badge".to_vec(),
        b"https://".to_vec(),
        b"http://127.0.0.1:1/credential".to_vec(),
        none_jwt.as_bytes().to_vec(),
        br#"{"@context": "https://w3id.org/openbadges/v2", "type": "Assertion"}"#.to_vec(),
        br#"{"@context": ["https://evil.example/context"], "type": "VerifiableCredential"}"#
            .to_vec(),
    ];
    // Deterministic mutants of the signed credential.
    let mut seed = 0x5EED_u64;
    for round in 0..24 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut bytes = signed.as_bytes().to_vec();
        let at = (seed as usize) % bytes.len();
        match round % 3 {
            0 => bytes.truncate(at),
            1 => bytes[at] ^= 1 << (seed % 8),
            _ => {
                bytes.splice(at..at, *b"\"}]{");
            }
        };
        hostile.push(bytes);
    }
    for body in hostile {
        let shown = String::from_utf8_lossy(&body[..body.len().min(60)]).into_owned();
        let answer = send(&service, json_post("/verify", body).to_request()).await;
        let json = answer.json();
        if answer.status == StatusCode::OK {
            assert!(json["checks"].is_array(), "{shown}: {json}");
        } else {
            assert!(
                answer.status.is_client_error(),
                "{shown}: {}",
                answer.status
            );
            assert!(json["error"].is_string() && json["message"].is_string());
        }
        // Browsers get a page, never a stack trace.
        let page = send(
            &service,
            TestRequest::post()
                .uri("/verify")
                .set_payload(shown.clone())
                .to_request(),
        )
        .await;
        assert!(page.status.is_success() || page.status.is_client_error());
        assert!(page.text().contains("<html lang=\"fr\">"), "{shown}");
    }
    let health = send(&service, TestRequest::get().uri("/healthz").to_request()).await;
    assert_eq!(health.status, StatusCode::OK);
    // A few problems named precisely.
    send(&service, json_post("/verify", "").to_request())
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "empty_input");
    // Something that is not a badge is a verdict, not an error.
    let answer = send(&service, json_post("/verify", "hello").to_request()).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json()["verified"], false);
    assert_eq!(answer.json()["checks"][0]["code"], "input.not_a_badge");
}

/// Every warning a third-party badge gets is told in plain words on the
/// result page, in French and in English, and the badge stays verified.
#[actix_web::test]
async fn every_warning_of_a_third_party_badge_is_told_in_plain_words() {
    let mut config = config(false);
    config.pinned = crate::third_party::resolver();
    let service = test::init_service(app(AppState::new(config))).await;
    let dcc = "dcc-vc-test-fixtures/verifiableCredentials";
    for file in [
        "v1/dataIntegrityProof/didKey/legacy-noStatus-noExpiry.json",
        "v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-credName.json",
        "v1/dataIntegrityProof/didWeb/legacy-validStatus-noExpiry.json",
    ] {
        let path = crate::third_party::third_party(&format!("{dcc}/{file}"));
        let bytes = std::fs::read(path).expect("fixture");
        let report = send(&service, json_post("/verify", bytes.clone()).to_request())
            .await
            .json();
        assert_eq!(report["verified"], true, "{file}: {report}");
        let warnings: Vec<&Value> = report["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .filter(|c| c["outcome"] == "warning")
            .collect();
        assert!(!warnings.is_empty(), "{file}");
        for lang in verifier::i18n::Lang::ALL {
            let page = send(
                &service,
                form_post(
                    &format!("/verify?lang={}", lang.code()),
                    &[("file", &bytes)],
                )
                .to_request(),
            )
            .await
            .readable();
            assert!(page.contains(&verifier::i18n::message(lang, "notices-heading")));
            for warning in &warnings {
                let code = warning["code"].as_str().expect("a code");
                let expected = match warning["detail"].as_str() {
                    Some(signer) => verifier::i18n::message_with(
                        lang,
                        "notice-status-list-other-issuer",
                        &[("signer", signer)],
                    ),
                    None => verifier::i18n::check_message(lang, code).expect(code),
                };
                assert!(page.contains(&expected), "{file} {code} {lang:?}");
            }
        }
    }
}

#[actix_web::test]
async fn a_file_without_a_badge_gets_a_not_a_badge_verdict() {
    let service = test::init_service(app(AppState::new(config(false)))).await;
    for file in crate::third_party::NOT_BADGES {
        let bytes = std::fs::read(crate::third_party::third_party(file)).expect("fixture");
        let answer = send(&service, json_post("/verify", bytes.clone()).to_request()).await;
        assert_eq!(answer.status, StatusCode::OK, "{file}");
        let report = answer.json();
        assert_eq!(report["verified"], false, "{file}");
        assert_eq!(report["checks"][0]["code"], "input.not_a_badge", "{file}");
        for lang in ["fr", "en"] {
            let page = send(
                &service,
                form_post(&format!("/verify?lang={lang}"), &[("file", &bytes)]).to_request(),
            )
            .await;
            assert_eq!(page.status, StatusCode::OK, "{file}");
            let expected = verifier::i18n::message(
                if lang == "fr" {
                    verifier::i18n::Lang::Fr
                } else {
                    verifier::i18n::Lang::En
                },
                "verdict-not-openbadge",
            );
            assert!(page.readable().contains(&expected), "{file} {lang}");
        }
    }
}

#[actix_web::test]
async fn oversized_bodies_get_413() {
    let service = test::init_service(app(AppState::new(config(false)))).await;
    let big = vec![b'{'; 3 * 1024 * 1024];
    send(&service, json_post("/verify", big.clone()).to_request())
        .await
        .assert_problem(StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    send(
        &service,
        json_post("/bake?format=png", big.clone()).to_request(),
    )
    .await
    .assert_problem(StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    let form =
        form_post("/verify", &[("file", &big)]).insert_header((header::ACCEPT, "application/json"));
    send(&service, form.to_request())
        .await
        .assert_problem(StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    let page = send(
        &service,
        TestRequest::post()
            .uri("/verify")
            .set_payload(big)
            .to_request(),
    )
    .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page
        .text()
        .contains("Le fichier est trop gros. La taille maximale est 2 Mo."));
}

#[actix_web::test]
async fn a_hosted_credential_verifies_when_private_addresses_are_allowed_only() {
    let issuer = local_issuer().await;
    let url = issuer.url("/credentials/1");
    let allowed = test::init_service(app(AppState::new(config(true)))).await;
    let request = TestRequest::get()
        .uri(&format!("/verify?url={}", encode(&url)))
        .insert_header((header::ACCEPT, "application/json"));
    let answer = send(&allowed, request.to_request()).await;
    assert_eq!(answer.status, StatusCode::OK);
    let report = answer.json();
    assert_eq!(report["verified"], true, "{report}");
    let codes = report["checks"].to_string();
    assert!(codes.contains("status.not_revoked"), "{codes}");
    // The page offers the downloads.
    let page = send(
        &allowed,
        TestRequest::get()
            .uri(&format!("/verify?url={}", encode(&url)))
            .to_request(),
    )
    .await
    .text();
    assert!(page.contains("/bake?url="), "{page}");
    assert!(page.contains("/certificate?url="));
    // The same URL, with the safe network rules.
    let strict = test::init_service(app(AppState::new(config(false)))).await;
    let request = TestRequest::get()
        .uri(&format!("/verify?url={}", encode(&url)))
        .insert_header((header::ACCEPT, "application/json"));
    send(&strict, request.to_request())
        .await
        .assert_problem(StatusCode::FORBIDDEN, "private_address");
    let form = form_post("/verify", &[("url", url.as_bytes())]);
    let page = send(&strict, form.to_request()).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.text().contains("adresse privée"));
}

#[actix_web::test]
async fn a_revoked_credential_shows_the_reason_its_issuer_gives() {
    let issuer = local_issuer().await;
    let service = test::init_service(app(AppState::new(config(true)))).await;
    // (a) Its URL answers 410 with the credential and the reason.
    let url = issuer.url("/credentials/2");
    let request = TestRequest::get()
        .uri(&format!("/verify?url={}", encode(&url)))
        .insert_header((header::ACCEPT, "application/json"));
    let report = send(&service, request.to_request()).await.json();
    assert_eq!(report["verified"], false);
    assert!(report["checks"].to_string().contains("status.revoked"));
    assert_eq!(report["revocationReason"], REASON);
    let page = send(
        &service,
        TestRequest::get()
            .uri(&format!("/verify?url={}", encode(&url)))
            .to_request(),
    )
    .await
    .readable();
    assert!(page.contains("Ce badge a été retiré par l'organisme qui l'a délivré."));
    assert!(page.contains(&format!("Raison donnée par l'organisme : {REASON}")));
    // (b) Posted directly: the status list says revoked, the id gives the reason.
    let report = send(
        &service,
        json_post("/verify", issuer.revoked.to_string()).to_request(),
    )
    .await
    .json();
    assert_eq!(report["verified"], false);
    assert_eq!(report["revocationReason"], REASON, "{report}");
    // Nothing to bake nor to certify.
    let request = TestRequest::get().uri(&format!("/bake?url={}&format=png", encode(&url)));
    send(&service, request.to_request())
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "not_verified");
}

#[actix_web::test]
async fn bake_png_returns_an_image_that_decodes_and_verifies() {
    let service = test::init_service(app(AppState::new(config(false)))).await;
    let signed = offline_credential(&Issuer::new()).to_string();
    let answer = send(
        &service,
        TestRequest::post()
            .uri("/bake?format=png")
            .set_payload(signed)
            .to_request(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header(header::CONTENT_TYPE), "image/png");
    assert_eq!(
        answer.header(header::CONTENT_DISPOSITION),
        "attachment; filename=\"badge-faire-ses-demarches-en-ligne.png\""
    );
    let image = image::load_from_memory(&answer.body).expect("decodes");
    assert_eq!((image.width(), image.height()), (600, 600));
    let resolver = OfflineResolver::new();
    let options = VerifyOptions {
        now: Utc::now(),
        resolver: &resolver,
        recipient: None,
    };
    let report = verify_bytes(&answer.body, &options).expect("reads");
    assert!(report.verified, "{:#?}", report.checks);
    // A urn:uuid credential has no page of its own: the QR code leads home.
    let luma = image.to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        luma.width() as usize,
        luma.height() as usize,
        |x, y| luma.get_pixel(x as u32, y as u32)[0],
    );
    let texts: Vec<String> = prepared
        .detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect();
    assert_eq!(texts, vec!["https://verifier.example.fr/".to_owned()]);
}

#[actix_web::test]
async fn bake_svg_of_a_hosted_credential_verifies_and_leads_to_its_page() {
    let issuer = local_issuer().await;
    let service = test::init_service(app(AppState::new(config(true)))).await;
    let url = issuer.url("/credentials/1");
    let request = TestRequest::get().uri(&format!("/bake?url={}&format=svg", encode(&url)));
    let answer = send(&service, request.to_request()).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(answer.header(header::CONTENT_TYPE), "image/svg+xml");
    assert!(answer
        .header(header::CONTENT_DISPOSITION)
        .ends_with(".svg\""));
    let svg = answer.text();
    assert!(svg.starts_with("<svg") && svg.contains("openbadges:credential"));
    let network = NetConfig {
        allow_private: true,
        allow_http: true,
        ..NetConfig::default()
    };
    let resolver = NetworkResolver::new(OfflineResolver::new(), Arc::new(HttpClient::new(network)));
    let options = VerifyOptions {
        now: Utc::now(),
        resolver: &resolver,
        recipient: None,
    };
    let report = verify_bytes(svg.as_bytes(), &options).expect("reads");
    assert!(report.verified, "{:#?}", report.checks);
    assert_eq!(report.credential.id.as_deref(), Some(url.as_str()));
    // A credential that does not verify is not baked.
    let mut tampered = issuer.valid.clone();
    tampered["name"] = "Autre".into();
    let request = TestRequest::post()
        .uri("/bake?format=svg")
        .set_payload(tampered.to_string());
    send(&service, request.to_request())
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "not_verified");
    send(
        &service,
        TestRequest::get()
            .uri("/bake?url=x&format=gif")
            .to_request(),
    )
    .await
    .assert_problem(StatusCode::BAD_REQUEST, "invalid_format");
}

#[actix_web::test]
async fn the_certificate_shows_the_holder_and_a_qr_code() {
    let issuer = local_issuer().await;
    let service = test::init_service(app(AppState::new(config(true)))).await;
    let url = issuer.url("/credentials/1");
    let answer = send(
        &service,
        TestRequest::get()
            .uri(&format!("/certificate?url={}", encode(&url)))
            .to_request(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let html = answer.text();
    assert!(html.contains("Attestation de badge numérique"));
    assert!(html.contains(&format!("Ce badge a été délivré à {HOLDER_NAME}.")));
    assert!(html.contains("Faire ses démarches en ligne"));
    assert!(html.contains("Maison des Solidarités"));
    assert!(html.contains("aria-label=\"Scannez ce QR code pour vérifier ce badge.\""));
    assert!(html.contains("<path fill=\"#000000\""), "the QR code");
    assert!(html.contains(&format!(
        "https://verifier.example.fr/verify?url={}",
        encode(&url)
    )));
    assert!(!html.contains("style="));
}

#[actix_web::test]
async fn the_trust_registry_names_known_issuers_and_flags_unknown_ones() {
    let known = Issuer::new();
    let mut config = config(false);
    config.trust_registry = Some(
        TrustRegistry::from_json(
            &json!({"name": "Réseau Inclusion 42", "issuers": [
                {"id": known.did, "name": "Maison des Solidarités de Lyon"}]})
            .to_string(),
        )
        .expect("registry"),
    );
    let service = test::init_service(app(AppState::new(config))).await;
    let page = |credential: Value| {
        TestRequest::post()
            .uri("/verify")
            .set_payload(credential.to_string())
    };
    let html = send(&service, page(offline_credential(&known)).to_request())
        .await
        .text();
    assert!(html.contains("Émetteur reconnu"));
    assert!(html.contains("Réseau Inclusion 42"));
    assert!(html.contains("Maison des Solidarités de Lyon"));
    let html = send(
        &service,
        page(offline_credential(&Issuer::new())).to_request(),
    )
    .await
    .text();
    assert!(html.contains("Authentique, émetteur non référencé"));
    assert!(!html.contains("Émetteur reconnu"));
}

#[actix_web::test]
async fn the_holder_check_answers_yes_no_or_not_possible() {
    let service = test::init_service(app(AppState::new(config(false)))).await;
    let issuer = Issuer::new();
    let signed = offline_credential(&issuer).to_string();
    let ask = |holder: &str, credential: &str| {
        form_post(
            "/verify",
            &[
                ("text", credential.as_bytes()),
                ("holder", holder.as_bytes()),
            ],
        )
    };
    let yes = send(
        &service,
        ask(" Marie.Dupont@Example.fr ", &signed).to_request(),
    )
    .await
    .text();
    assert!(yes.contains("Oui, ce badge a été délivré à Marie.Dupont@Example.fr."));
    assert!(yes.contains("Ce badge est authentique et valide."));
    let by_name = send(&service, ask("marie  DUPONT", &signed).to_request())
        .await
        .text();
    assert!(by_name.contains("Oui, ce badge a été délivré à marie  DUPONT."));
    let no = send(
        &service,
        ask("jean.martin@example.fr", &signed).to_request(),
    )
    .await
    .readable();
    assert!(no.contains("Non, ce badge n'a pas été délivré à jean.martin@example.fr."));
    // No identity at all in the credential.
    let mut anonymous = credential(&issuer, "urn:uuid:0193f1c2-7a8b-7c9d-8e0f-123456789abc");
    anonymous["credentialSubject"]
        .as_object_mut()
        .expect("subject")
        .remove("identifier");
    let anonymous = issuer.sign(&anonymous).to_string();
    let impossible = send(&service, ask(HOLDER_EMAIL, &anonymous).to_request())
        .await
        .readable();
    assert!(impossible.contains("Ce badge ne permet pas de vérifier le nom de la personne."));
    assert!(impossible.contains("Le nom de la personne n'est pas écrit dans le badge"));
    // JSON clients get the pipeline's recipient check.
    let request =
        ask("jean.martin@example.fr", &signed).insert_header((header::ACCEPT, "application/json"));
    let report = send(&service, request.to_request()).await.json();
    assert!(report["checks"].to_string().contains("recipient.mismatch"));
    let raw = json_post(&format!("/verify?holder={}", encode(HOLDER_EMAIL)), signed);
    let report = send(&service, raw.to_request()).await.json();
    assert_eq!(report["verified"], true);
    assert!(report["checks"].to_string().contains("recipient.match"));
}

#[actix_web::test]
async fn expired_and_not_yet_valid_credentials_are_named_as_such() {
    let service = test::init_service(app(AppState::new(config(false)))).await;
    let issuer = Issuer::new();
    let mut expired = credential(&issuer, "urn:uuid:1");
    expired["validFrom"] = rfc3339(-Duration::days(30)).into();
    expired["validUntil"] = rfc3339(-Duration::days(2)).into();
    let html = send(
        &service,
        TestRequest::post()
            .uri("/verify")
            .set_payload(issuer.sign(&expired).to_string())
            .to_request(),
    )
    .await
    .text();
    let date = ::i18n::long_date(Utc::now() - Duration::days(2), ::i18n::Lang::Fr);
    assert!(html.contains(&format!(
        "Ce badge est authentique, mais il a expiré le {date}."
    )));
    let mut future = credential(&issuer, "urn:uuid:2");
    future["validFrom"] = rfc3339(Duration::days(40)).into();
    let html = send(
        &service,
        TestRequest::post()
            .uri("/verify?lang=en")
            .set_payload(issuer.sign(&future).to_string())
            .to_request(),
    )
    .await
    .text();
    assert!(html.contains("This badge is genuine, but it is only valid from"));
}

#[actix_web::test]
async fn a_posted_credential_is_checked_against_its_status_list_cold_then_cached() {
    let issuer = local_issuer().await;
    let service = test::init_service(app(AppState::new(config(true)))).await;
    // Cold: the status list must be fetched (on the blocking pool); warm: it
    // is cached and the request is answered on its own thread. Both answers
    // are the same.
    for round in ["cold", "warm"] {
        let report = send(
            &service,
            json_post("/verify", issuer.valid.to_string()).to_request(),
        )
        .await
        .json();
        assert_eq!(report["verified"], true, "{round}: {report}");
        assert!(
            report["checks"].to_string().contains("status.not_revoked"),
            "{round}: {report}"
        );
    }
    // The list is cached; the reason is not (a 410 is never cached), so it
    // is fetched, whatever the path.
    for round in ["first", "second"] {
        let report = send(
            &service,
            json_post("/verify", issuer.revoked.to_string()).to_request(),
        )
        .await
        .json();
        assert_eq!(report["verified"], false, "{round}");
        assert_eq!(report["revocationReason"], REASON, "{round}: {report}");
    }
}

/// `verifier serve` as a process, its standard error captured.
pub(crate) struct ServeProcess {
    child: std::process::Child,
    pub(crate) base: String,
}

impl ServeProcess {
    pub(crate) fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_verifier"))
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .env("RUST_LOG", "info")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("verifier serve starts");
        let base = format!("http://127.0.0.1:{port}");
        let ready = (0..100).any(|_| {
            std::thread::sleep(std::time::Duration::from_millis(50));
            ureq::get(&format!("{base}/healthz")).call().is_ok()
        });
        assert!(ready, "verifier serve answers /healthz");
        ServeProcess { child, base }
    }

    /// Stops the process and returns what it wrote on standard error.
    pub(crate) fn stop(mut self) -> String {
        let _ = self.child.kill();
        let output = self.child.wait_with_output().expect("waited");
        String::from_utf8_lossy(&output.stderr).into_owned()
    }
}

#[test]
fn the_log_has_one_line_per_request_and_nothing_the_visitor_gave() {
    let server = ServeProcess::start();
    let issuer = Issuer::new();
    let credential = offline_credential(&issuer);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let answer = agent
        .post(&format!("{}/verify?holder=Marie%20Dupont", server.base))
        .header("Accept", "application/json")
        .header("Content-Type", "application/json")
        .send(credential.to_string())
        .expect("answered")
        .into_body()
        .read_to_string()
        .expect("read");
    let report: Value = serde_json::from_str(&answer).expect("JSON");
    assert_eq!(report["verified"], true, "{report}");
    let refused = agent
        .get(&format!(
            "{}/verify?url=http%3A%2F%2F127.0.0.1%3A9%2Fsecret-path",
            server.base
        ))
        .header("Accept", "application/json")
        .call()
        .expect("answered");
    assert_eq!(refused.status().as_u16(), 403);
    let log = server.stop();
    let lines: Vec<&str> = log.lines().filter(|l| l.contains("path=/verify")).collect();
    assert_eq!(lines.len(), 2, "one line per request:\n{log}");
    assert!(lines[0].contains("status=200") && lines[0].contains("verified=true"));
    assert!(lines[0].contains("authentic=true"), "{}", lines[0]);
    assert!(lines[1].contains("status=403") && !lines[1].contains("verified="));
    for secret in [
        "Marie",
        "secret-path",
        "5b0f3d4e",
        "Maison des Solidarités",
        "démarches",
        issuer.did.as_str(),
    ] {
        assert!(!log.contains(secret), "{secret:?} is in the log:\n{log}");
    }
    assert!(!log.contains('\u{1b}'), "no colours in a log file:\n{log}");
}

/// Status lists verified once are kept (by URL and content) and not checked
/// again while they are the same document; a changed list, a list whose
/// issuer no longer binds the key, or a list gone out of date is judged
/// anew: a revocation shows at the very next verification.
#[test]
fn a_kept_status_list_never_hides_a_change() {
    let issuer = Issuer::new();
    let base = format!("https://lists.example/{}", &issuer.did[8..24]);
    let list_url = format!("{base}/status/1");
    let list_issuer = format!("{base}/issuer");
    let list = |revoked: &[usize], valid_until: Option<Duration>| {
        let mut bits = vec![0u8; 16 * 1024];
        for index in revoked {
            bits[index / 8] |= 0x80 >> (index % 8);
        }
        let mut list = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": list_url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": list_issuer,
            "validFrom": rfc3339(-Duration::days(1)),
            "credentialSubject": {
                "id": format!("{list_url}#list"),
                "type": "BitstringStatusList",
                "statusPurpose": "revocation",
                "encodedList": verifier::status::encode_bitstring(&bits)
            }
        });
        if let Some(offset) = valid_until {
            list["validUntil"] = json!(rfc3339(offset));
        }
        let SigningKey::Ed25519(ed25519) = &issuer.key else {
            unreachable!("an Ed25519 key")
        };
        let method = format!("{list_issuer}#key-1");
        let options = ProofOptions::new(&method, Utc::now() - Duration::minutes(5));
        sign_eddsa_rdfc_2022(&list, ed25519, options).expect("signs")
    };
    let controller = |with_key: bool| {
        let SigningKey::Ed25519(ed25519) = &issuer.key else {
            unreachable!("an Ed25519 key")
        };
        let multibase = keys::did::ed25519_multibase(&ed25519.verifying_key());
        let method = format!("{list_issuer}#key-1");
        json!({
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": list_issuer,
            "verificationMethod": [{"id": method, "type": "Multikey",
                "controller": list_issuer, "publicKeyMultibase": multibase}],
            "assertionMethod": if with_key { json!([method]) } else { json!([]) }
        })
    };
    let mut document = credential(&issuer, &format!("{base}/credentials/1"));
    document["credentialStatus"] = status_entry(&base, 1);
    let signed = issuer.sign(&document).to_string();
    let verify = |list: &Value, bound: bool, at: chrono::DateTime<Utc>| {
        let mut resolver = OfflineResolver::new();
        resolver.insert(list_url.clone(), list.clone());
        resolver.insert(list_issuer.clone(), controller(bound));
        let options = VerifyOptions {
            now: at,
            resolver: &resolver,
            recipient: None,
        };
        let report = verify_bytes(signed.as_bytes(), &options).expect("a report");
        let status: Vec<&str> = report
            .checks
            .iter()
            .filter(|c| c.check == "status" && c.code != "status.list_other_issuer")
            .map(|c| c.code)
            .collect();
        status.join(",")
    };
    let now = Utc::now();
    let clear = list(&[2], Some(Duration::days(2)));
    assert_eq!(verify(&clear, true, now), "status.not_revoked");
    assert_eq!(verify(&clear, true, now), "status.not_revoked", "kept");
    // The issuer revoked index 1: a new list at the same URL.
    let revoked = list(&[1, 2], Some(Duration::days(2)));
    assert_eq!(verify(&revoked, true, now), "status.revoked");
    assert_eq!(verify(&revoked, true, now), "status.revoked", "kept");
    // The kept list is not believed once its issuer no longer binds the key.
    assert_eq!(verify(&clear, true, now), "status.not_revoked");
    assert_eq!(verify(&clear, false, now), "status.unavailable");
    // Nor once it is out of date.
    assert_eq!(verify(&clear, true, now), "status.not_revoked");
    let later = now + Duration::days(3);
    assert_eq!(verify(&clear, true, later), "status.unavailable");
}
