//! Fuzz targets of the verifier's parsers (see `fuzz_harness` and
//! `tests/fixtures/fuzz/README.md`): JSON-LD expansion and canonicalisation,
//! baked PNG and SVG extraction with image decoding, VC-JWT decoding, and the
//! Open Badges 2.0 reader. Each must answer, never panic.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{TimeZone, Utc};
use keys::di::{canonicalize, canonicalize_direct, canonicalize_general_path};
use keys::OfflineResolver;
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use verifier::bake::{bake_svg, unbake_png, unbake_svg};
use verifier::input::detect;
use verifier::pipeline::{verify_bytes, VerifyOptions};

use crate::fuzz_harness::{corpus_mutations, fuzz};
use crate::samples::{jws, JSON_CREDENTIAL};

const VC2: &str = "https://www.w3.org/ns/credentials/v2";
const OB3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

/// Keys that JSON-LD processing treats specially, and a few terms.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("@id"),
        Just("@type"),
        Just("id"),
        Just("type"),
        Just("@graph"),
        Just("@list"),
        Just("@set"),
        Just("@value"),
        Just("@language"),
        Just("@reverse"),
        Just("@included"),
        Just("@nest"),
        Just("@context"),
        Just("name"),
        Just("p"),
        Just("q"),
        Just("l"),
        Just("credentialSubject"),
        Just("achievement"),
        Just("evidence"),
        Just("issuer"),
        Just("description"),
        Just("undefinedTerm"),
    ]
    .prop_map(str::to_owned)
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("https://example.org/a")),
        Just(json!("_:b0")),
        Just(json!("_:b1")),
        Just(json!("_:b2")),
        Just(json!("did:example:1")),
        Just(json!("Achievement")),
        Just(json!("a\nb\"c")),
        Just(json!("relative/path")),
        Just(json!(1)),
        Just(json!(1.5)),
        Just(json!(-0.0)),
        Just(json!(1e300)),
        Just(json!(true)),
        Just(Value::Null),
        Just(json!({"@value": "x", "@language": "fr-FR"})),
        Just(json!({"@id": "_:b0"})),
        Just(json!({"@value": "1", "@type": "xsd:integer"})),
    ]
}

/// A small JSON-LD document: a chosen `@context` and nested nodes whose blank
/// node labels repeat, so that blank nodes often look alike to RDFC-1.0.
fn jsonld_document() -> impl Strategy<Value = Vec<u8>> {
    let value = leaf().prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::vec((key(), inner), 0..5)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    });
    let context = prop_oneof![
        Just(json!([VC2])),
        Just(json!([VC2, OB3])),
        Just(json!(VC2)),
        Just(
            json!([VC2, {"p": "https://example.org/p", "q": {"@id": "https://example.org/q", "@type": "@id"}}])
        ),
        Just(json!([VC2, {"l": {"@id": "https://example.org/l", "@container": "@list"}}])),
        Just(json!([{"@vocab": "https://example.org/v#"}])),
        Just(json!(["https://evil.example/context"])),
        Just(json!([VC2, OB3, OB3])),
    ];
    (context, proptest::collection::vec((key(), value), 0..6)).prop_map(|(context, entries)| {
        let mut document = Map::new();
        document.insert("@context".into(), context);
        for (key, value) in entries {
            document.insert(key, value);
        }
        Value::Object(document).to_string().into_bytes()
    })
}

#[test]
fn fuzz_jsonld_canonicalisation() {
    let strategy = prop_oneof![
        jsonld_document(),
        corpus_mutations("jsonld", vec![JSON_CREDENTIAL.as_bytes().to_vec()]),
    ];
    fuzz("jsonld", strategy, |bytes| {
        let Ok(document) = serde_json::from_slice::<Value>(bytes) else {
            return;
        };
        let _ = canonicalize(&document);
        // Where the direct path answers, the general path must agree.
        if let Some(direct) = canonicalize_direct(&document) {
            let general = canonicalize_general_path(&document);
            assert_eq!(Some(&direct), general.as_ref().ok(), "{general:?}");
        }
    });
}

#[test]
fn fuzz_png_extraction_and_image_decoding() {
    let seeds = vec![
        crate::samples::png(5, 5),
        verifier::bake::bake_png(&crate::samples::png(4, 3), JSON_CREDENTIAL).expect("bakes"),
    ];
    fuzz("png", corpus_mutations("png", seeds), |bytes| {
        let _ = detect(bytes);
        let _ = unbake_png(bytes);
        if let Ok(image) = verifier::render::decode_badge_image(bytes, 64) {
            assert!(image.width().max(image.height()) < 2 * 64 || image.width() <= 64);
        }
    });
}

#[test]
fn fuzz_svg_extraction() {
    let seeds = vec![bake_svg(crate::samples::SVG, &jws())
        .expect("bakes")
        .into_bytes()];
    fuzz("svg", corpus_mutations("svg", seeds), |bytes| {
        let _ = detect(bytes);
        let _ = unbake_svg(bytes);
        if let Ok(text) = std::str::from_utf8(bytes) {
            let _ = bake_svg(text, JSON_CREDENTIAL);
        }
    });
}

fn segment(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

/// A compact JWS of a chosen header and a generated payload.
fn vc_jwt() -> impl Strategy<Value = Vec<u8>> {
    let header = prop_oneof![
        Just(json!({"alg": "EdDSA", "typ": "JWT", "kid": "did:example:1#k"})),
        Just(json!({"alg": "none"})),
        Just(json!({"alg": "HS256"})),
        Just(json!({"alg": "RS256", "jwk": {"kty": "RSA", "n": "AQAB", "e": "AQAB"}})),
        Just(json!({"alg": "ES256", "crit": ["b64"], "b64": false})),
        Just(json!([1, 2])),
    ];
    let claim = leaf().prop_recursive(3, 24, 4, |inner| {
        proptest::collection::vec((key(), inner), 0..4)
            .prop_map(|entries| Value::Object(entries.into_iter().collect()))
    });
    let payload = (
        proptest::collection::vec(
            (
                prop_oneof![
                    Just("iss"),
                    Just("sub"),
                    Just("nbf"),
                    Just("exp"),
                    Just("jti"),
                    Just("vc"),
                    Just("@context"),
                    Just("credentialSubject"),
                    Just("issuer"),
                ],
                claim,
            ),
            0..6,
        ),
        any::<bool>(),
    )
        .prop_map(|(claims, wrap)| {
            let object: Map<String, Value> =
                claims.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            if wrap {
                json!({"iss": "did:example:1", "vc": object})
            } else {
                Value::Object(object)
            }
        });
    (
        header,
        payload,
        proptest::collection::vec(any::<u8>(), 0..80),
    )
        .prop_map(|(header, payload, signature)| {
            format!(
                "{}.{}.{}",
                segment(&header),
                segment(&payload),
                URL_SAFE_NO_PAD.encode(signature)
            )
            .into_bytes()
        })
}

fn offline_check(bytes: &[u8]) {
    let resolver = OfflineResolver::new();
    let options = VerifyOptions {
        now: Utc
            .with_ymd_and_hms(2026, 6, 1, 0, 0, 0)
            .single()
            .unwrap_or_default(),
        resolver: &resolver,
        recipient: Some("marie@example.fr"),
    };
    if let Ok(report) = verify_bytes(bytes, &options) {
        assert!(!report.checks.is_empty() || !report.verified);
        assert!(!report.verified || report.authentic);
    }
}

#[test]
fn fuzz_vc_jwt_decoding() {
    let strategy = prop_oneof![
        vc_jwt(),
        corpus_mutations("vc_jwt", vec![jws().into_bytes()])
    ];
    fuzz("vc_jwt", strategy, |bytes| {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return;
        };
        let _ = keys::decode_unverified(text.trim());
        let _ = verifier::proof::read_jwt(text.trim());
        offline_check(bytes);
    });
}

/// An Open Badges 2.0 assertion with chosen shapes of its members.
fn ob2_assertion() -> impl Strategy<Value = Vec<u8>> {
    let recipient = prop_oneof![
        Just(json!({"type": "email", "hashed": false, "identity": "marie@example.fr"})),
        Just(json!({"type": "email", "hashed": true, "salt": "s", "identity": "sha256$00"})),
        Just(json!({"type": "email", "hashed": true, "identity": "md5$abc"})),
        Just(json!("marie@example.fr")),
        Just(Value::Null),
    ];
    let badge = prop_oneof![
        Just(json!("https://badges.example.org/badges/1")),
        Just(json!({"type": "BadgeClass", "name": "B", "issuer": "https://badges.example.org/i"})),
        Just(
            json!({"type": "BadgeClass", "issuer": {"type": "Profile", "verification": {"allowedOrigins": 3}}})
        ),
        Just(json!([1])),
    ];
    let verification = prop_oneof![
        Just(json!({"type": "hosted"})),
        Just(json!({"type": "HostedBadge"})),
        Just(json!({"type": "signed", "creator": "https://badges.example.org/k"})),
        Just(json!({"type": "SignedBadge"})),
        Just(json!("hosted")),
    ];
    let date = prop_oneof![
        Just(json!("2026-01-01T00:00:00Z")),
        Just(json!("2026-01-01")),
        Just(json!(1_767_225_600)),
        Just(json!("not a date")),
    ];
    (recipient, badge, verification, date, any::<bool>()).prop_map(
        |(recipient, badge, verification, date, signed)| {
            let assertion = json!({
                "@context": "https://w3id.org/openbadges/v2",
                "type": "Assertion",
                "id": "https://badges.example.org/assertions/42",
                "recipient": recipient,
                "badge": badge,
                "verification": verification,
                "issuedOn": date,
                "expires": date,
            });
            if signed {
                format!(
                    "{}.{}.AAAA",
                    segment(&json!({"alg": "RS256"})),
                    segment(&assertion)
                )
                .into_bytes()
            } else {
                assertion.to_string().into_bytes()
            }
        },
    )
}

#[test]
fn fuzz_open_badges_2_reader() {
    let strategy = prop_oneof![ob2_assertion(), corpus_mutations("ob2", Vec::new())];
    fuzz("ob2", strategy, offline_check);
}
