//! `Ed25519Signature2018`: Digital Bazaar's published signature re-made byte for byte
//! (Ed25519 is deterministic), a real Open Badges 3.0 plugfest badge signed by
//! another implementation, and negatives.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ed25519_dalek::Signer as _;
use keys::di::{
    canonicalize, verify_proof_with, DataIntegrityError, InvalidProofReason, ProofVerdict,
};
use keys::did::{decode_did_key_public, method_public_key};
use keys::PublicKey;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::support::{vector, verdict, MISMATCH};

const DB_VECTOR: &str = "digitalbazaar-ed25519-signature-2018/vector.json";
const PLUGFEST_3: &str = "w3c-ccg-vc-ed/plugfest-3-2023/signed_badge_example-p3.json";
/// `{"alg":"EdDSA","b64":false,"crit":["b64"]}`, as jsonld-signatures encodes it.
const HEADER: &str = "eyJhbGciOiJFZERTQSIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19";

fn with_context(object: &Value, context: &str) -> Value {
    let mut with = object.clone();
    with["@context"] = json!(context);
    with
}

/// Digital Bazaar's credential, signed, and its key.
fn signed_db_vector() -> (Value, ed25519_dalek::SigningKey) {
    let vector = vector(DB_VECTOR);
    let private = bs58::decode(vector["privateKeyBase58"].as_str().expect("private"))
        .into_vec()
        .expect("base58");
    let seed: [u8; 32] = private[..32].try_into().expect("seed");
    let key = ed25519_dalek::SigningKey::from_bytes(&seed);
    let mut secured = vector["credential"].clone();
    secured["proof"] = vector["proof"].clone();
    secured["proof"]["jws"] = vector["jws"].clone();
    (secured, key)
}

#[test]
fn digital_bazaar_signature_is_reproduced() {
    let vector = vector(DB_VECTOR);
    let credential = &vector["credential"];
    let (_, key) = signed_db_vector();
    let method_key = method_public_key(&vector["verificationMethod"]).expect("2018 key");
    assert_eq!(method_key, PublicKey::Ed25519(key.verifying_key()));

    // The proof options give the same canonical form with security v2 (older
    // jsonld-signatures) as with the document's credentials v1 (later versions).
    let options = canonicalize(&with_context(
        &vector["proof"],
        "https://w3id.org/security/v2",
    ))
    .expect("options");
    let mut with_document_context = vector["proof"].clone();
    with_document_context["@context"] = credential["@context"].clone();
    assert_eq!(
        options,
        canonicalize(&with_document_context).expect("options")
    );
    let document = canonicalize(credential).expect("document");
    let mut signing_input = format!("{HEADER}.").into_bytes();
    signing_input.extend(Sha256::digest(options.as_bytes()));
    signing_input.extend(Sha256::digest(document.as_bytes()));
    let signature = key.sign(&signing_input);
    let jws = format!("{HEADER}..{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()));
    assert_eq!(jws, vector["jws"].as_str().expect("jws"));

    let (secured, _) = signed_db_vector();
    assert_eq!(
        verify_proof_with(&secured, &secured["proof"], &method_key).expect("runs"),
        ProofVerdict::Valid
    );
}

/// The JFF x VC-EDU PlugFest 3 (2023) example badge: an OpenBadgeCredential (VC 1.1,
/// OB context 3.0.2) signed by another implementation (its JWS header lists `crit`
/// before `b64`), issuer and key a did:key.
#[test]
fn plugfest_3_open_badge_verifies() {
    let secured = vector(PLUGFEST_3);
    let proof = &secured["proof"];
    let key = decode_did_key_public(proof["verificationMethod"].as_str().expect("method"))
        .expect("did:key");
    assert_eq!(
        verify_proof_with(&secured, proof, &key).expect("runs"),
        ProofVerdict::Valid
    );
    let mut tampered = secured.clone();
    tampered["credentialSubject"]["achievement"]["name"] = json!("Another badge");
    assert_eq!(
        verify_proof_with(&tampered, &tampered["proof"], &key).expect("runs"),
        MISMATCH
    );
}

#[test]
fn tampered_document_and_options_wrong_key_and_curve_are_invalid() {
    let (secured, key) = signed_db_vector();
    let key = PublicKey::Ed25519(key.verifying_key());
    let mut tampered = secured.clone();
    tampered["credentialSubject"]["alumniOf"] = json!("Another University");
    assert_eq!(verdict(&tampered, &key).expect("runs"), MISMATCH);
    let mut tampered = secured.clone();
    tampered["proof"]["created"] = json!("2010-01-01T19:23:25Z");
    assert_eq!(verdict(&tampered, &key).expect("runs"), MISMATCH);
    let mut tampered = secured.clone();
    tampered["proof"]["proofPurpose"] = json!("authentication");
    assert_eq!(verdict(&tampered, &key).expect("runs"), MISMATCH);

    let other = PublicKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[5; 32]).verifying_key());
    assert_eq!(verdict(&secured, &other).expect("runs"), MISMATCH);

    let p256 = p256::ecdsa::SigningKey::from_slice(&[7; 32]).expect("scalar");
    let p256 = PublicKey::from_p256_sec1(p256.verifying_key().to_encoded_point(true).as_bytes())
        .expect("point");
    assert_eq!(
        verdict(&secured, &p256).expect("runs"),
        ProofVerdict::Invalid {
            reason: InvalidProofReason::KeyTypeMismatch {
                suite: "Ed25519Signature2018",
                key: "P-256"
            }
        }
    );
}

#[test]
fn other_jws_headers_and_a_missing_jws_are_malformed() {
    let (secured, key) = signed_db_vector();
    let key = PublicKey::Ed25519(key.verifying_key());
    let signature = secured["proof"]["jws"]
        .as_str()
        .and_then(|jws| jws.rsplit('.').next())
        .expect("signature")
        .to_owned();
    for header in [
        r#"{"alg":"none","b64":false,"crit":["b64"]}"#,
        r#"{"alg":"EdDSA","b64":true,"crit":["b64"]}"#,
        r#"{"alg":"EdDSA"}"#,
    ] {
        let mut altered = secured.clone();
        altered["proof"]["jws"] = json!(format!("{}..{signature}", URL_SAFE_NO_PAD.encode(header)));
        assert!(
            matches!(
                verdict(&altered, &key),
                Err(DataIntegrityError::MalformedProof(_))
            ),
            "{header}"
        );
    }
    let mut without = secured;
    without["proof"]
        .as_object_mut()
        .expect("proof")
        .remove("jws");
    assert!(matches!(
        verdict(&without, &key),
        Err(DataIntegrityError::MalformedProof(_))
    ));
}
