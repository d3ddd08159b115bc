//! Data Integrity: published known-answer vectors reproduced byte for byte, the
//! 1EdTech validator fixtures with their expected verdicts, and negatives.

use chrono::{DateTime, Utc};
use ed25519_dalek::{SigningKey, VerifyingKey};
use keys::di::{
    canonicalize, proof_verification_method, proofs, sign_eddsa_rdfc_2022, verify_proof,
    DataIntegrityError, InvalidProofReason, ProofOptions, ProofVerdict,
};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::support::{fixture, MISMATCH};

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is a string"))
}

fn seed(hex_seed: &str) -> SigningKey {
    let bytes: [u8; 32] = hex::decode(hex_seed)
        .expect("hex")
        .try_into()
        .expect("32 bytes");
    SigningKey::from_bytes(&bytes)
}

/// Test-only Ed25519 multikey decoding: the multibase after `#` (or after the last `:`
/// of a did:key), base58btc, multicodec 0xed 0x01 + 32 bytes. The production decoder
/// lives in `keys::did`.
fn key_from_verification_method(method: &str) -> Option<VerifyingKey> {
    let multibase = match method.rsplit_once('#') {
        Some((_, fragment)) => fragment,
        None => method.rsplit(':').next()?,
    };
    let bytes = bs58::decode(multibase.strip_prefix('z')?).into_vec().ok()?;
    let key: [u8; 32] = bytes.strip_prefix(&[0xed, 0x01])?.try_into().ok()?;
    VerifyingKey::from_bytes(&key).ok()
}

fn without_proof(secured: &Value) -> Value {
    let mut unsecured = secured.clone();
    unsecured.as_object_mut().expect("object").remove("proof");
    unsecured
}

fn with_context(proof_options: &Value, context: &Value) -> Value {
    let mut config = proof_options.clone();
    config["@context"] = context.clone();
    config
}

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Checks every intermediate value of an eddsa-rdfc-2022 vector, then signs and verifies.
fn check_eddsa_rdfc_2022_vector(vector: &Value, proof_options: &Value, key: &SigningKey) {
    let unsigned = &vector["unsignedCredential"];
    let proof_config = with_context(proof_options, &unsigned["@context"]);

    let document_nquads = canonicalize(unsigned).expect("document canonicalises");
    assert_eq!(document_nquads, text(vector, "canonicalDocumentNQuads"));
    let config_nquads = canonicalize(&proof_config).expect("proof config canonicalises");
    assert_eq!(config_nquads, text(vector, "canonicalProofConfigNQuads"));
    assert_eq!(
        sha256_hex(&config_nquads),
        text(vector, "proofConfigHashHex")
    );
    assert_eq!(
        sha256_hex(&document_nquads),
        text(vector, "documentHashHex")
    );

    let created: DateTime<Utc> = text(proof_options, "created").parse().expect("created");
    let options = ProofOptions::new(text(proof_options, "verificationMethod"), created);
    let secured = sign_eddsa_rdfc_2022(unsigned, key, options).expect("signs");
    let proof = &secured["proof"];
    assert_eq!(text(proof, "proofValue"), text(vector, "proofValue"));
    let signature = bs58::decode(&text(proof, "proofValue")[1..])
        .into_vec()
        .expect("base58");
    assert_eq!(hex::encode(signature), text(vector, "signatureHex"));
    assert_eq!(proof, &vector["signedCredential"]["proof"]);
    assert_eq!(without_proof(&secured), *unsigned);

    let public = key.verifying_key();
    assert_eq!(
        verify_proof(&secured, proof, &public).expect("runs"),
        ProofVerdict::Valid
    );
    let published = &vector["signedCredential"];
    assert_eq!(
        verify_proof(published, &published["proof"], &public).expect("runs"),
        ProofVerdict::Valid
    );
}

#[test]
fn open_badges_eddsa_rdfc_2022_vector_is_reproduced() {
    let vector = fixture("test-vectors/ob3-impl-guide/ob3-eddsa-rdfc-2022-test-vector.json");
    let key = seed(text(&vector["keyPair"], "privateKeySeedHex"));
    assert_eq!(
        hex::encode(key.verifying_key().as_bytes()),
        text(&vector["keyPair"], "publicKeyHex")
    );
    check_eddsa_rdfc_2022_vector(&vector, &vector["proofOptions"], &key);
}

#[test]
fn w3c_eddsa_rdfc_2022_vector_is_reproduced() {
    let vector = fixture("test-vectors/w3c-vc-di-eddsa/eddsa-rdfc-2022-test-vector.json");
    let key = seed(text(&vector["keyPair_decoded"], "privateKeySeedHex"));
    let mut options = vector["proofConfig"].clone();
    options.as_object_mut().expect("object").remove("@context");
    check_eddsa_rdfc_2022_vector(&vector, &options, &key);
}

#[test]
fn w3c_ed25519_signature_2020_vector_verifies() {
    let vector = fixture("test-vectors/w3c-vc-di-eddsa/ed25519signature2020-test-vector.json");
    let document_nquads = canonicalize(&vector["unsignedCredential"]).expect("canonicalises");
    assert_eq!(document_nquads, text(&vector, "canonicalDocumentNQuads"));
    let config_nquads = canonicalize(&vector["proofConfig"]).expect("canonicalises");
    assert_eq!(config_nquads, text(&vector, "canonicalProofConfigNQuads"));

    let secured = &vector["signedCredential"];
    let proof = &secured["proof"];
    let key = key_from_verification_method(proof_verification_method(proof).expect("vm"))
        .expect("did:key");
    assert_eq!(
        verify_proof(secured, proof, &key).expect("runs"),
        ProofVerdict::Valid
    );
    let mut tampered = secured.clone();
    tampered["credentialSubject"]["alumniOf"] = json!("Another School");
    assert_eq!(
        verify_proof(&tampered, proof, &key).expect("runs"),
        ProofVerdict::Invalid {
            reason: InvalidProofReason::SignatureMismatch
        }
    );
}

/// What `expectations.json` says the independent eddsa-rdfc-2022 check found.
enum Expected {
    Valid,
    /// The signature does not match.
    InvalidSignature,
    /// The verificationMethod does not hold a decodable key.
    InvalidKey,
}

fn expected_eddsa_verdicts() -> Vec<(String, Expected)> {
    let expectations = fixture("fixtures/1edtech-validator/expectations.json");
    let mut cases = Vec::new();
    for (name, entry) in expectations["ob30"].as_object().expect("ob30") {
        let Some(checks) = entry["local_signature_check"].as_array() else {
            continue;
        };
        for check in checks.iter().filter_map(Value::as_str) {
            let expected = match check.strip_prefix("DataIntegrityProof/eddsa-rdfc-2022/") {
                Some("VALID") => Expected::Valid,
                Some("INVALID InvalidSignature") => Expected::InvalidSignature,
                Some("INVALID ValueError") => Expected::InvalidKey,
                Some(other) => panic!("{name}: unknown expectation {other}"),
                None => continue,
            };
            cases.push((name.clone(), expected));
        }
    }
    cases
}

#[test]
fn validator_fixtures_give_their_expected_verdicts() {
    let cases = expected_eddsa_verdicts();
    assert!(cases.len() >= 25, "only {} cases", cases.len());
    for (name, expected) in cases {
        let secured = fixture(&format!("fixtures/1edtech-validator/ob30/{name}"));
        let proof = proofs(&secured)
            .into_iter()
            .find(|p| p["cryptosuite"] == "eddsa-rdfc-2022")
            .unwrap_or_else(|| panic!("{name}: no eddsa-rdfc-2022 proof"));
        let key = proof_verification_method(proof).and_then(key_from_verification_method);
        match (expected, key) {
            (Expected::InvalidKey, key) => assert!(key.is_none(), "{name}: key decodes"),
            (_, None) => panic!("{name}: no key in the verificationMethod"),
            (Expected::Valid, Some(key)) => assert_eq!(
                verify_proof(&secured, proof, &key).unwrap_or_else(|e| panic!("{name}: {e}")),
                ProofVerdict::Valid,
                "{name}"
            ),
            (Expected::InvalidSignature, Some(key)) => {
                let verdict = verify_proof(&secured, proof, &key);
                assert!(
                    matches!(verdict, Ok(ProofVerdict::Invalid { .. })),
                    "{name}: {verdict:?}"
                );
            }
        }
    }
}

/// The legacy suites the independent check skipped, where the key is in the method URL.
#[test]
fn legacy_eddsa_2022_and_ed25519_signature_2020_fixtures_verify() {
    for name in [
        "simple-eddsa-2022.json",
        "simple_v1.json",
        "credential-status-revoked.json",
    ] {
        let secured = fixture(&format!("fixtures/1edtech-validator/ob30/{name}"));
        let proof = proofs(&secured)[0];
        let key = proof_verification_method(proof)
            .and_then(key_from_verification_method)
            .unwrap_or_else(|| panic!("{name}: key"));
        let verdict = verify_proof(&secured, proof, &key);
        assert!(
            matches!(verdict, Ok(ProofVerdict::Valid)),
            "{name}: {verdict:?}"
        );
    }
}

fn signed_open_badge() -> (Value, SigningKey) {
    let vector = fixture("test-vectors/ob3-impl-guide/ob3-eddsa-rdfc-2022-test-vector.json");
    let key = seed(text(&vector["keyPair"], "privateKeySeedHex"));
    (vector["signedCredential"].clone(), key)
}

fn verdict_of(secured: &Value, key: &VerifyingKey) -> Result<ProofVerdict, DataIntegrityError> {
    verify_proof(secured, &secured["proof"], key)
}

#[test]
fn tampered_credential_is_invalid() {
    let (mut secured, key) = signed_open_badge();
    secured["credentialSubject"]["achievement"]["name"] = json!("Leadership");
    assert_eq!(
        verdict_of(&secured, &key.verifying_key()).expect("runs"),
        MISMATCH
    );
}

#[test]
fn tampered_proof_is_invalid() {
    let (mut secured, key) = signed_open_badge();
    secured["proof"]["created"] = json!("2011-01-01T19:23:24Z");
    assert_eq!(
        verdict_of(&secured, &key.verifying_key()).expect("runs"),
        MISMATCH
    );
}

#[test]
fn wrong_key_is_invalid() {
    let (secured, _) = signed_open_badge();
    let other = SigningKey::from_bytes(&[9; 32]).verifying_key();
    assert_eq!(verdict_of(&secured, &other).expect("runs"), MISMATCH);
}

#[test]
fn unknown_context_is_an_error() {
    let (mut secured, key) = signed_open_badge();
    secured["@context"]
        .as_array_mut()
        .expect("array")
        .push(json!("https://example.com/evil-context.jsonld"));
    let result = verdict_of(&secured, &key.verifying_key());
    assert!(
        matches!(&result, Err(DataIntegrityError::UnknownContext { url }) if url.contains("evil")),
        "{result:?}"
    );
    let signing = sign_eddsa_rdfc_2022(
        &without_proof(&secured),
        &key,
        ProofOptions::new("did:example:1#key", Utc::now()),
    );
    assert!(matches!(
        signing,
        Err(DataIntegrityError::UnknownContext { .. })
    ));
}

#[test]
fn unknown_cryptosuite_is_an_error() {
    let (mut secured, key) = signed_open_badge();
    secured["proof"]["cryptosuite"] = json!("bbs-2023");
    let result = verdict_of(&secured, &key.verifying_key());
    assert!(
        matches!(
            result,
            Err(DataIntegrityError::UnsupportedCryptosuite { .. })
        ),
        "{result:?}"
    );
}

#[test]
fn malformed_proof_value_is_an_error() {
    let (mut secured, key) = signed_open_badge();
    secured["proof"]["proofValue"] = json!("not-multibase");
    let result = verdict_of(&secured, &key.verifying_key());
    assert!(
        matches!(result, Err(DataIntegrityError::MalformedProof(_))),
        "{result:?}"
    );
}

#[test]
fn undefined_term_is_refused_when_signing_and_invalid_when_verifying() {
    let (secured, key) = signed_open_badge();
    let mut unsigned = without_proof(&secured);
    unsigned["favouriteColour"] = json!("blue");
    let signing = sign_eddsa_rdfc_2022(
        &unsigned,
        &key,
        ProofOptions::new("did:example:1#key", Utc::now()),
    );
    assert!(
        matches!(&signing, Err(DataIntegrityError::UndefinedTerm(term)) if term == "favouriteColour"),
        "{signing:?}"
    );
    let mut smuggled = secured.clone();
    smuggled["favouriteColour"] = json!("blue");
    assert_eq!(
        verdict_of(&smuggled, &key.verifying_key()).expect("runs"),
        ProofVerdict::Invalid {
            reason: InvalidProofReason::UndefinedTerm("favouriteColour".into())
        }
    );
}

#[test]
fn proof_context_must_prefix_the_document_context() {
    let (mut secured, key) = signed_open_badge();
    secured["proof"]["@context"] = json!(["https://w3id.org/security/data-integrity/v2"]);
    assert_eq!(
        verdict_of(&secured, &key.verifying_key()).expect("runs"),
        ProofVerdict::Invalid {
            reason: InvalidProofReason::ContextMismatch
        }
    );
    secured["proof"]["@context"] = secured["@context"].clone();
    assert_eq!(
        verdict_of(&secured, &key.verifying_key()).expect("runs"),
        ProofVerdict::Valid
    );
}

#[test]
fn a_second_proof_makes_a_proof_set_and_each_verifies() {
    let (secured, first_key) = signed_open_badge();
    let second_key = SigningKey::from_bytes(&[3; 32]);
    let created = "2024-05-01T10:00:00Z".parse().expect("date");
    let both = sign_eddsa_rdfc_2022(
        &secured,
        &second_key,
        ProofOptions::new("did:example:second#key", created),
    )
    .expect("signs");
    let listed = proofs(&both);
    assert_eq!(listed.len(), 2);
    assert_eq!(
        proof_verification_method(listed[1]),
        Some("did:example:second#key")
    );
    let keys = [first_key.verifying_key(), second_key.verifying_key()];
    for (proof, key) in listed.into_iter().zip(keys) {
        assert_eq!(
            verify_proof(&both, proof, &key).expect("runs"),
            ProofVerdict::Valid
        );
    }
}

#[test]
fn canonical_form_does_not_depend_on_key_order() {
    let (secured, _) = signed_open_badge();
    let unsigned = without_proof(&secured);
    let mut reversed = serde_json::Map::new();
    for (key, value) in unsigned.as_object().expect("object").iter().rev() {
        reversed.insert(key.clone(), value.clone());
    }
    assert_eq!(
        canonicalize(&Value::Object(reversed)).expect("canonicalises"),
        canonicalize(&unsigned).expect("canonicalises")
    );
}
