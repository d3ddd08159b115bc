//! Open Badges 2.0 verification against the 1EdTech validator's OB 2.0
//! fixtures (copied to `tests/fixtures/ob2`), their URLs served by pinned
//! documents: hosted and signed assertions, their revocation, expiry and
//! recipient, the refused algorithms, baked images, a `410 Gone` from a
//! local server, the command line and the service.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use actix_web::http::{header, StatusCode};
use actix_web::test::{self, TestRequest};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use keys::resolver::{ResolveError, Resolver};
use keys::OfflineResolver;
use serde_json::{json, Value};
use verifier::net::{HttpClient, NetConfig, NetworkResolver};
use verifier::ob2::{HostedAnswer, HostedFetch};
use verifier::pipeline::{verify_bytes, verify_bytes_with, VerifyOptions};
use verifier::report::{InputFormat, Outcome, Report};
use verifier::service::{app, AppState, Config};

use crate::samples::{insert_before, png, text_chunk};

/// The id of the fixtures' hosted assertion.
const ASSERTION_URL: &str = "https://example.org/beths-robotics-badge.json";
/// The e-mail address the fixtures' assertions are hashed from (salt `deadsea`).
const RECIPIENT: &str = "nobody@example.org";
const OB2_CONTEXT: &str = "https://w3id.org/openbadges/v2";

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ob2")
        .join(name)
}

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture_path(name)).expect("fixture readable");
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// A signed assertion of `jws-fixtures.json`, by file name.
fn signed(file: &str) -> String {
    let fixtures = fixture("jws-fixtures.json");
    let entry = fixtures["fixtures"]
        .as_array()
        .expect("fixtures")
        .iter()
        .find(|f| f["file"] == file)
        .expect("listed");
    entry["compactJws"].as_str().expect("a JWS").to_owned()
}

/// The payload of a compact JWS.
fn payload(token: &str) -> Value {
    let part = token.split('.').nth(1).expect("three parts");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("JSON")
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
        .expect("date")
        .with_timezone(&Utc)
}

/// Every fixture under its id, plus what the signed fixtures name and the
/// validator's resources lack: two BadgeClasses, an issuer with an empty
/// revocation list, and that list.
pub(crate) fn pinned() -> OfflineResolver {
    let mut resolver = OfflineResolver::new();
    for name in [
        "basic-assertion.json",
        "robotics-badge.json",
        "organization.json",
        "organization-with-revocation-list.json",
        "key1.json",
        "key2.json",
        "key3.json",
        "revocation-list.json",
    ] {
        let document = fixture(name);
        let id = document["id"].as_str().expect("an id").to_owned();
        resolver.insert(id, document);
    }
    for (badge, issuer) in [
        ("with-revocation-list", "organization-with-revocation-list"),
        (
            "with-empty-revocation-list",
            "organization-with-empty-revocation-list",
        ),
    ] {
        let id = format!("https://example.org/badge-from-organization-{badge}.json");
        resolver.insert(
            id.clone(),
            json!({"@context": OB2_CONTEXT, "type": "BadgeClass", "id": id,
                "name": "Robotics", "description": "Robots.",
                "image": "https://example.org/robotics-badge.png",
                "criteria": {"narrative": "Build a robot."},
                "issuer": format!("https://example.org/{issuer}.json")}),
        );
    }
    let id = "https://example.org/organization-with-empty-revocation-list.json";
    resolver.insert(
        id,
        json!({"@context": OB2_CONTEXT, "type": "Issuer", "id": id,
            "name": "An Issuer Revoking Nothing", "url": "https://example.org",
            "revocationList": "http://example.org/empty-revocation-list.json",
            "publicKey": "http://example.org/key2.json"}),
    );
    resolver.insert(
        "http://example.org/empty-revocation-list.json",
        json!({"@context": OB2_CONTEXT, "type": "RevocationList",
            "id": "http://example.org/empty-revocation-list.json", "revokedAssertions": []}),
    );
    resolver
}

fn options<'a>(resolver: &'a dyn Resolver, recipient: Option<&'a str>) -> VerifyOptions<'a> {
    VerifyOptions {
        now: now(),
        resolver,
        recipient,
    }
}

fn verify(bytes: impl AsRef<[u8]>, resolver: &OfflineResolver) -> Report {
    verify_bytes(bytes.as_ref(), &options(resolver, None)).expect("verification runs")
}

/// Asserts that `code` was reported with `outcome`.
fn assert_check(report: &Report, code: &str, outcome: Outcome) {
    let found = report.find(code).map(|c| c.outcome);
    assert_eq!(found, Some(outcome), "{code} in {:#?}", report.checks);
}

fn assert_verified(report: &Report) {
    assert!(report.verified, "{:#?}", report.checks);
    assert!(report.authentic);
    assert_check(report, "input.open_badges_2", Outcome::Warning);
}

/// The basic assertion as another copy, pinned at `id` (same origin).
fn variant(resolver: &mut OfflineResolver, id: &str, extra: Value) -> Value {
    let mut assertion = fixture("basic-assertion.json");
    assertion["id"] = id.into();
    for (name, value) in extra.as_object().expect("an object") {
        assertion[name] = value.clone();
    }
    resolver.insert(id, assertion.clone());
    assertion
}

#[test]
fn a_hosted_assertion_verifies_and_is_summarised() {
    let resolver = pinned();
    let text = fixture("basic-assertion.json").to_string();
    let report = verify(&text, &resolver);
    assert_verified(&report);
    assert_eq!(report.format, Some(InputFormat::Json));
    for code in [
        "ob2.schema_valid",
        "ob2.hosted_fetched",
        "ob2.origin_match",
        "status.not_revoked",
        "validity.current",
    ] {
        assert_check(&report, code, Outcome::Passed);
    }
    let summary = &report.credential;
    assert_eq!(summary.id.as_deref(), Some(ASSERTION_URL));
    assert_eq!(
        summary.achievement_name.as_deref(),
        Some("Awesome Robotics Badge")
    );
    assert!(summary
        .description
        .as_deref()
        .is_some_and(|d| d.starts_with("For doing awesome things")));
    assert_eq!(
        summary.criteria.as_deref(),
        Some("https://example.org/badgecriteria.json")
    );
    assert_eq!(
        summary.image.as_deref(),
        Some("https://example.org/robotics-badge.png")
    );
    assert_eq!(
        summary.issuer_name.as_deref(),
        Some("An Example Badge Issuer")
    );
    assert_eq!(
        summary.issuer_id.as_deref(),
        Some("https://example.org/organization.json")
    );
    assert_eq!(summary.issuer_url.as_deref(), Some("https://example.org"));
    assert_eq!(summary.valid_from.as_deref(), Some("2016-12-31T23:59:59Z"));
    assert_eq!(summary.valid_until, None);

    let with = |recipient| {
        verify_bytes(text.as_bytes(), &options(&resolver, Some(recipient))).expect("runs")
    };
    assert_check(
        &with(" Nobody@Example.org"),
        "recipient.match",
        Outcome::Passed,
    );
    let other = with("somebody@example.org");
    assert_check(&other, "recipient.mismatch", Outcome::Failed);
    assert!(other.authentic && !other.verified);
}

#[test]
fn a_tampered_hosted_copy_fails() {
    let resolver = pinned();
    let mut copy = fixture("basic-assertion.json");
    copy["issuedOn"] = "2015-06-01T00:00:00Z".into();
    let report = verify(copy.to_string(), &resolver);
    assert_check(&report, "ob2.hosted_mismatch", Outcome::Failed);
    assert!(!report.authentic && !report.verified);
}

#[test]
fn a_hosted_assertion_away_from_its_issuer_fails() {
    let mut resolver = pinned();
    let elsewhere = variant(
        &mut resolver,
        "https://evil.example/robotics.json",
        json!({}),
    );
    let report = verify(elsewhere.to_string(), &resolver);
    assert_check(&report, "ob2.hosted_fetched", Outcome::Passed);
    assert_check(&report, "ob2.origin_mismatch", Outcome::Failed);
    assert!(!report.authentic);
}

#[test]
fn a_hosted_assertion_marked_revoked_is_revoked_with_its_reason() {
    let mut resolver = pinned();
    let revoked = variant(
        &mut resolver,
        "https://example.org/revoked.json",
        json!({"revoked": true, "revocationReason": "Issued by mistake"}),
    );
    let report = verify(revoked.to_string(), &resolver);
    assert_check(&report, "status.revoked", Outcome::Failed);
    let message = &report.find("status.revoked").expect("revoked").message;
    assert!(message.ends_with("Issued by mistake"), "{message}");
    assert!(report.authentic && !report.verified);
}

/// Answers `410 Gone` for one URL, the pinned documents otherwise.
struct GoneAt<'a> {
    url: &'a str,
    body: Option<Value>,
    resolver: &'a OfflineResolver,
}

impl HostedFetch for GoneAt<'_> {
    fn fetch_hosted(&self, url: &str) -> Result<HostedAnswer, ResolveError> {
        if url == self.url {
            return Ok(HostedAnswer::Gone {
                body: self.body.clone(),
            });
        }
        self.resolver.resolve(url).map(HostedAnswer::Document)
    }
}

#[test]
fn a_hosted_assertion_answering_410_is_revoked() {
    let resolver = pinned();
    let text = fixture("basic-assertion.json").to_string();
    let stub = json!({"id": ASSERTION_URL, "revoked": true, "revocationReason": "Fraude"});
    let gone = GoneAt {
        url: ASSERTION_URL,
        body: Some(stub),
        resolver: &resolver,
    };
    let report = verify_bytes_with(text.as_bytes(), &options(&resolver, None), &gone)
        .expect("verification runs");
    assert_check(&report, "status.revoked", Outcome::Failed);
    assert!(report
        .find("status.revoked")
        .expect("revoked")
        .message
        .ends_with("Fraude"));
    assert!(!report.verified);
    // Given only its URL in a baked image, the 410 is the answer too.
    let gone = GoneAt { body: None, ..gone };
    let baked = insert_before(
        &png(8, 8),
        b"IDAT",
        b"tEXt",
        &text_chunk("openbadges", ASSERTION_URL),
    );
    let report =
        verify_bytes_with(&baked, &options(&resolver, None), &gone).expect("verification runs");
    assert_check(&report, "status.revoked", Outcome::Failed);
    assert!(!report.verified);
    // A bare URL could lead to anything: a 410 without a body is no badge.
    assert!(verify_bytes_with(ASSERTION_URL.as_bytes(), &options(&resolver, None), &gone).is_err());
}

/// A local server answering every request `410 Gone` with `body`; its base URL.
fn serve_gone(body: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut request = Vec::new();
            let mut buffer = [0_u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buffer[..n]),
                }
            }
            let response = format!(
                "HTTP/1.1 410 Gone\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes());
        }
    });
    format!("http://{address}")
}

#[test]
fn the_network_resolver_reads_410_gone_as_revoked() {
    let mut offline = OfflineResolver::new();
    let base = serve_gone(json!({"revoked": true, "revocationReason": "Doublon"}).to_string());
    let id = format!("{base}/assertions/1");
    let issuer = format!("{base}/issuer");
    offline.insert(
        format!("{base}/badge"),
        json!({"id": format!("{base}/badge"), "name": "B", "issuer": issuer}),
    );
    offline.insert(issuer.clone(), json!({"id": issuer, "name": "I"}));
    let mut assertion = fixture("basic-assertion.json");
    assertion["id"] = id.clone().into();
    assertion["badge"] = format!("{base}/badge").into();
    let config = NetConfig {
        allow_private: true,
        allow_http: true,
        ..NetConfig::default()
    };
    let resolver = NetworkResolver::new(offline, Arc::new(HttpClient::new(config)));
    let options = VerifyOptions {
        now: now(),
        resolver: &resolver,
        recipient: None,
    };
    let bytes = assertion.to_string();
    let report = verify_bytes_with(bytes.as_bytes(), &options, &resolver).expect("runs");
    assert_check(&report, "status.revoked", Outcome::Failed);
    assert!(report
        .find("status.revoked")
        .expect("revoked")
        .message
        .ends_with("Doublon"));
    assert!(!report.verified);
    // Through the resolver alone, a 410 is no answer: never "not revoked".
    let report = verify_bytes(bytes.as_bytes(), &options).expect("runs");
    assert_check(&report, "ob2.hosted_unavailable", Outcome::Failed);
    assert!(report.find("status.not_revoked").is_none() && !report.verified);
}

#[test]
fn an_expired_assertion_is_authentic_but_expired() {
    let mut resolver = pinned();
    let expired = variant(
        &mut resolver,
        "https://example.org/expired.json",
        json!({"expires": "2020-01-01T00:00:00Z"}),
    );
    let report = verify(expired.to_string(), &resolver);
    assert_check(&report, "validity.expired", Outcome::Failed);
    assert!(report.authentic && !report.verified);
    assert_eq!(
        report.credential.valid_until.as_deref(),
        Some("2020-01-01T00:00:00Z")
    );
    let future = variant(
        &mut resolver,
        "https://example.org/future.json",
        json!({"issuedOn": "2030-01-01T00:00:00Z"}),
    );
    let report = verify(future.to_string(), &resolver);
    assert_check(&report, "validity.not_yet_valid", Outcome::Failed);
}

#[test]
fn a_signed_assertion_verifies_with_the_fixture_key() {
    let resolver = pinned();
    let report = verify(signed("simple.jwt"), &resolver);
    assert_verified(&report);
    assert_eq!(report.format, Some(InputFormat::Jwt));
    assert_check(&report, "proof.signature_valid", Outcome::Passed);
    assert_check(&report, "issuer.key_bound", Outcome::Passed);
    assert_check(&report, "status.none", Outcome::Skipped);
    assert_eq!(
        report.credential.issuer_name.as_deref(),
        Some("An Example Badge Issuer")
    );
    let report = verify_bytes(
        signed("simple.jwt").as_bytes(),
        &options(&resolver, Some(RECIPIENT)),
    )
    .expect("runs");
    assert_check(&report, "recipient.match", Outcome::Passed);
    // An issuer with an empty revocation list: not revoked.
    let report = verify(signed("simple-not-revoked.jwt"), &resolver);
    assert_verified(&report);
    assert_check(&report, "status.not_revoked", Outcome::Passed);
}

#[test]
fn a_signature_with_another_key_is_invalid() {
    let mut resolver = pinned();
    let mut key = fixture("key1.json");
    key["publicKeyPem"] = fixture("key2.json")["publicKeyPem"].clone();
    resolver.insert("http://example.org/key1.json", key);
    let report = verify(signed("simple.jwt"), &resolver);
    assert_check(&report, "proof.signature_invalid", Outcome::Failed);
    assert!(!report.authentic);
}

#[test]
fn a_key_the_issuer_does_not_list_is_not_bound() {
    let mut resolver = pinned();
    let mut issuer = fixture("organization.json");
    issuer["publicKey"] = "http://example.org/key3.json".into();
    resolver.insert("https://example.org/organization.json", issuer);
    let report = verify(signed("simple.jwt"), &resolver);
    assert_check(&report, "proof.signature_valid", Outcome::Passed);
    assert_check(&report, "issuer.key_not_bound", Outcome::Failed);
    assert!(!report.authentic);

    let mut resolver = pinned();
    let mut key = fixture("key1.json");
    key["owner"] = "https://evil.example/issuer.json".into();
    resolver.insert("http://example.org/key1.json", key);
    let report = verify(signed("simple.jwt"), &resolver);
    assert_check(&report, "issuer.key_not_bound", Outcome::Failed);
}

#[test]
fn a_signed_assertion_in_the_revocation_list_is_revoked_with_its_reason() {
    let resolver = pinned();
    let report = verify(signed("simple-revoked.jwt"), &resolver);
    assert!(report.authentic, "{:#?}", report.checks);
    assert_check(&report, "status.revoked", Outcome::Failed);
    let message = &report.find("status.revoked").expect("revoked").message;
    assert!(message.ends_with("A good reason, for sure"), "{message}");
    assert!(!report.verified);
}

#[test]
fn an_unreachable_revocation_list_is_status_unavailable() {
    let mut pinned = pinned();
    let mut issuer = fixture("organization-with-revocation-list.json");
    issuer["revocationList"] = "http://example.org/gone-revocation-list.json".into();
    pinned.insert(
        "https://example.org/organization-with-revocation-list.json",
        issuer,
    );
    let report = verify(signed("simple-revoked.jwt"), &pinned);
    assert_check(&report, "status.unavailable", Outcome::Failed);
    assert!(report.find("status.not_revoked").is_none());
    assert!(report.authentic && !report.verified);
}

#[test]
fn alg_none_and_hmac_are_refused() {
    let resolver = pinned();
    let token = signed("simple.jwt");
    let body = token.split('.').nth(1).expect("payload");
    let none = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    for forged in [format!("{none}.{body}."), format!("{none}.{body}.c2ln")] {
        let report = verify(&forged, &resolver);
        assert_check(&report, "proof.algorithm_refused", Outcome::Failed);
        assert!(!report.authentic);
    }
    // HMAC keyed with the issuer's public key: the key-confusion attack.
    let pem = fixture("key1.json")["publicKeyPem"]
        .as_str()
        .expect("PEM")
        .to_owned();
    let hmac = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &payload(&token),
        &jsonwebtoken::EncodingKey::from_secret(pem.as_bytes()),
    )
    .expect("signs");
    let report = verify(&hmac, &resolver);
    assert_check(&report, "proof.algorithm_refused", Outcome::Failed);
    assert!(!report.authentic);
}

#[test]
fn baked_png_and_svg_reach_verification() {
    let resolver = pinned();
    let baked = insert_before(
        &png(8, 8),
        b"IDAT",
        b"tEXt",
        &text_chunk("openbadges", ASSERTION_URL),
    );
    let report = verify(&baked, &resolver);
    assert_verified(&report);
    assert_eq!(report.format, Some(InputFormat::Png));

    let by_url = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"http://openbadges.org\">\
         <openbadges:assertion verify=\"{ASSERTION_URL}\"/><circle r=\"4\"/></svg>"
    );
    let embedded = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"http://openbadges.org\">\
         <openbadges:assertion verify=\"{ASSERTION_URL}\"><![CDATA[{}]]></openbadges:assertion>\
         </svg>",
        fixture("basic-assertion.json")
    );
    for svg in [by_url, embedded] {
        let report = verify(&svg, &resolver);
        assert_verified(&report);
        assert_eq!(report.format, Some(InputFormat::Svg));
    }
}

#[test]
fn the_cli_exits_0_for_a_hosted_fixture_and_1_for_a_tampered_copy() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let mut map = serde_json::Map::new();
    for name in [
        "basic-assertion.json",
        "robotics-badge.json",
        "organization.json",
    ] {
        let document = fixture(name);
        map.insert(document["id"].as_str().expect("id").to_owned(), document);
    }
    let map_path = directory.path().join("map.json");
    std::fs::write(&map_path, Value::Object(map).to_string()).expect("writes");
    let mut tampered = fixture("basic-assertion.json");
    tampered["recipient"]["identity"] = "sha256$00".into();
    let tampered_path = directory.path().join("tampered.json");
    std::fs::write(&tampered_path, tampered.to_string()).expect("writes");
    for (input, code, verified) in [
        (fixture_path("basic-assertion.json"), 0, true),
        (tampered_path, 1, false),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_verifier"))
            .args([
                "verify",
                "--json",
                "--now",
                "2026-01-01T00:00:00Z",
                "--resolver-map",
            ])
            .arg(&map_path)
            .arg(&input)
            .output()
            .expect("runs");
        assert_eq!(
            output.status.code(),
            Some(code),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
        assert_eq!(report["verified"], verified, "{report}");
        assert_eq!(
            report["credential"]["achievement_name"],
            "Awesome Robotics Badge"
        );
    }
}

#[actix_web::test]
async fn the_service_shows_an_authentic_ob2_badge_as_verified_with_a_notice() {
    let mut config = Config::new("127.0.0.1:8081".parse().expect("address"));
    config.pinned = pinned();
    let service = test::init_service(app(AppState::new(config))).await;
    let body = fixture("basic-assertion.json").to_string();
    let request = TestRequest::post()
        .uri("/verify")
        .insert_header((header::ACCEPT, "application/json"))
        .set_payload(body.clone())
        .to_request();
    let response = test::call_service(&service, request).await;
    assert_eq!(response.status(), StatusCode::OK);
    let json: Value = test::read_body_json(response).await;
    assert_eq!(json["verified"], true, "{json}");
    assert_eq!(json["credential"]["issuer_name"], "An Example Badge Issuer");

    let request = TestRequest::post()
        .uri("/verify?lang=en")
        .set_payload(body)
        .to_request();
    let response = test::call_service(&service, request).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = String::from_utf8(test::read_body(response).await.to_vec()).expect("UTF-8");
    assert!(page.contains("This badge is genuine and valid."), "{page}");
    assert!(page.contains("older Open Badges 2.0 version"));
    assert!(page.contains("Awesome Robotics Badge"));
    assert!(!page.contains("/bake?"), "OB 2.0 badges are not baked");
}
