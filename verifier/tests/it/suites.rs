//! The proof suites besides `eddsa-rdfc-2022`, through the whole pipeline with
//! an offline resolver: credentials signed by other implementations
//! (`Ed25519Signature2018`: the JFF x VC-EDU PlugFest 3 badge; `ecdsa-sd-2023`:
//! the 1EdTech validator's derived badge), an `ecdsa-rdfc-2019` badge signed
//! here with the W3C vectors' P-256 key (no third-party Open Badge of that
//! suite was found), a base proof, and keys of the wrong kind. Each gets the
//! same key binding and verdict codes as `eddsa-rdfc-2022`.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use keys::di::canonicalize;
use keys::{OfflineResolver, Resolver};
use p256::ecdsa::signature::Signer as _;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use verifier::pipeline::{verify_bytes, VerifyOptions};
use verifier::report::{Outcome, Report};

/// The P-256 key of the W3C vc-di-ecdsa vectors (`TestVectors/p256KeyPair.json`).
const P256_DID: &str = "did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP";
const P256_SECRET: &str = "z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN";

fn now() -> DateTime<Utc> {
    "2025-06-01T00:00:00Z".parse().expect("date")
}

fn read(relative: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

fn verify(credential: &Value, resolver: &dyn Resolver) -> Report {
    let options = VerifyOptions {
        now: now(),
        resolver,
        recipient: None,
    };
    verify_bytes(credential.to_string().as_bytes(), &options).expect("runs")
}

fn outcome(report: &Report, code: &str) -> Option<Outcome> {
    report.find(code).map(|check| check.outcome)
}

fn codes(report: &Report) -> Vec<String> {
    report
        .checks
        .iter()
        .map(|check| format!("{} {:?}", check.code, check.outcome))
        .collect()
}

#[test]
fn plugfest_3_ed25519_signature_2018_badge_is_authentic() {
    let badge =
        read("../keys/tests/fixtures/w3c-ccg-vc-ed/plugfest-3-2023/signed_badge_example-p3.json");
    let report = verify(&badge, &OfflineResolver::new());
    assert!(report.authentic, "{:?}", codes(&report));
    assert_eq!(outcome(&report, "issuer.key_bound"), Some(Outcome::Passed));
    assert_eq!(
        outcome(&report, "proof.signature_valid"),
        Some(Outcome::Passed)
    );
    assert_eq!(
        outcome(&report, "proof.legacy_cryptosuite"),
        Some(Outcome::Warning)
    );

    let mut tampered = badge;
    tampered["credentialSubject"]["achievement"]["name"] = json!("Another badge");
    let report = verify(&tampered, &OfflineResolver::new());
    assert!(!report.authentic);
    assert_eq!(
        outcome(&report, "proof.signature_invalid"),
        Some(Outcome::Failed)
    );
}

/// The issuer document the 1EdTech derived badge's issuer would publish: its
/// P-256 key as a Multikey under `assertionMethod`.
fn one_edtech_issuer() -> OfflineResolver {
    let issuer = "https://1edtech.edu/issuers/565049";
    let key = "zDnaekGZTbQBerwcehBSXLqAg6s55hVEBms1zFy89VHXtJSa9";
    let mut resolver = OfflineResolver::new();
    resolver.insert(
        issuer,
        json!({
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": issuer,
            "verificationMethod": [{
                "id": format!("{issuer}#{key}"),
                "type": "Multikey",
                "controller": issuer,
                "publicKeyMultibase": key,
            }],
            "assertionMethod": [format!("{issuer}#{key}")],
        }),
    );
    resolver
}

#[test]
fn one_edtech_ecdsa_sd_2023_derived_badge_verifies() {
    let badge =
        read("../tests/fixtures/fixtures/1edtech-validator/ob30/sd__derivedcredential.json");
    let report = verify(&badge, &one_edtech_issuer());
    assert!(report.verified, "{:?}", codes(&report));
    assert_eq!(outcome(&report, "issuer.key_bound"), Some(Outcome::Passed));
    assert_eq!(outcome(&report, "proof.legacy_cryptosuite"), None);

    // Without the issuer's document the key in the URL fragment is not trusted.
    let report = verify(&badge, &OfflineResolver::new());
    assert_eq!(
        outcome(&report, "issuer.key_unresolvable"),
        Some(Outcome::Failed)
    );

    // A disclosed statement changed after the holder derived the proof.
    let mut tampered = badge;
    tampered["credentialSubject"]["achievement"]["name"] = json!("Leadership");
    let report = verify(&tampered, &one_edtech_issuer());
    assert!(!report.authentic);
    assert_eq!(
        outcome(&report, "proof.signature_invalid"),
        Some(Outcome::Failed)
    );
}

#[test]
fn an_ecdsa_sd_2023_base_proof_is_reported_as_not_verifiable() {
    let base = read(
        "../keys/tests/fixtures/w3c-vc-di-ecdsa/TestVectors/ecdsa-sd-2023/prc/addSignedSDBase.json",
    );
    let report = verify(&base, &OfflineResolver::new());
    assert!(!report.authentic);
    assert_eq!(
        outcome(&report, "proof.sd_base_proof"),
        Some(Outcome::Failed),
        "{:?}",
        codes(&report)
    );
    assert_eq!(outcome(&report, "proof.signature_valid"), None);
}

/// An Open Badge (the OB 3.0 implementation guide's) issued by a P-256
/// did:key and signed `ecdsa-rdfc-2019` the way vc-di-ecdsa says.
fn ecdsa_badge(issuer: &str, method: &str) -> Value {
    let vector =
        read("../tests/fixtures/test-vectors/ob3-impl-guide/ob3-eddsa-rdfc-2022-test-vector.json");
    let mut credential = vector["unsignedCredential"].clone();
    credential["issuer"]["id"] = json!(issuer);
    let proof = json!({
        "type": "DataIntegrityProof",
        "cryptosuite": "ecdsa-rdfc-2019",
        "created": "2025-01-01T00:00:00Z",
        "verificationMethod": method,
        "proofPurpose": "assertionMethod",
    });
    let mut config = proof.clone();
    config["@context"] = credential["@context"].clone();
    let hash_data = [
        Sha256::digest(canonicalize(&config).expect("config").as_bytes()),
        Sha256::digest(canonicalize(&credential).expect("document").as_bytes()),
    ]
    .concat();
    let secret = bs58::decode(&P256_SECRET[1..]).into_vec().expect("base58");
    let secret = p256::ecdsa::SigningKey::from_slice(&secret[2..]).expect("P-256 scalar");
    let signature: p256::ecdsa::Signature = secret.sign(&hash_data);
    let mut signed = proof;
    signed["proofValue"] = json!(format!(
        "z{}",
        bs58::encode(signature.to_bytes()).into_string()
    ));
    credential["proof"] = signed;
    credential
}

#[test]
fn ecdsa_rdfc_2019_badge_of_a_p256_did_key_verifies() {
    let fragment = &P256_DID["did:key:".len()..];
    let badge = ecdsa_badge(P256_DID, &format!("{P256_DID}#{fragment}"));
    let report = verify(&badge, &OfflineResolver::new());
    assert!(report.authentic, "{:?}", codes(&report));
    assert_eq!(outcome(&report, "issuer.key_bound"), Some(Outcome::Passed));
    assert_eq!(outcome(&report, "proof.legacy_cryptosuite"), None);

    let mut tampered = badge;
    tampered["credentialSubject"]["achievement"]["name"] = json!("Leadership");
    let report = verify(&tampered, &OfflineResolver::new());
    assert_eq!(
        outcome(&report, "proof.signature_invalid"),
        Some(Outcome::Failed)
    );
}

#[test]
fn ecdsa_rdfc_2019_badge_of_a_did_web_with_a_p256_json_web_key_verifies() {
    let issuer = "did:web:badges.example.org";
    let method = format!("{issuer}#key-p256");
    let badge = ecdsa_badge(issuer, &method);
    let key = keys::did::decode_did_key_public(P256_DID).expect("P-256");
    let mut resolver = OfflineResolver::new();
    resolver.insert(
        issuer,
        json!({
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
            "id": issuer,
            "verificationMethod": [{
                "id": method,
                "type": "JsonWebKey",
                "controller": issuer,
                "publicKeyJwk": key.to_jwk(),
            }],
            "assertionMethod": [method],
        }),
    );
    let report = verify(&badge, &resolver);
    assert!(report.authentic, "{:?}", codes(&report));

    // The same proof from an issuer whose document lists another key.
    let other = ecdsa_badge(
        "did:web:other.example.org",
        "did:web:other.example.org#key-p256",
    );
    let report = verify(&other, &resolver);
    assert!(!report.authentic);
}

#[test]
fn a_key_of_the_wrong_kind_is_unsupported_for_the_suite() {
    // An ecdsa-rdfc-2019 proof naming an Ed25519 did:key as its key.
    let ed25519 = "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi";
    let fragment = &ed25519["did:key:".len()..];
    let badge = ecdsa_badge(ed25519, &format!("{ed25519}#{fragment}"));
    let report = verify(&badge, &OfflineResolver::new());
    assert!(!report.authentic);
    let check = report.find("issuer.key_unsupported").expect("refused");
    assert_eq!(check.outcome, Outcome::Failed);
    assert!(check.message.contains("needs P-256"), "{}", check.message);
}
