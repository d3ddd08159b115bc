//! `ecdsa-rdfc-2019` (P-256): the W3C vc-di-ecdsa test vectors reproduced byte for
//! byte up to the signature (ECDSA signatures are randomised, so the published one is
//! verified rather than re-made), the key material they use, and negatives.

use keys::di::{
    canonicalize, verify_proof_with, DataIntegrityError, InvalidProofReason, ProofVerdict,
};
use keys::did::{decode_did_key_public, decode_multikey};
use keys::{Jwk, PublicKey};
use p256::ecdsa::signature::Signer as _;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::support::{fixture, vector, vector_text, verdict, MISMATCH};

const RDFC_2019: &str = "w3c-vc-di-ecdsa/TestVectors/ecdsa-rdfc-2019-p256";

/// The P-256 secret key of a `secretKeyMultibase` (multicodec p256-priv 0x1306).
pub fn p256_secret(multibase: &str) -> p256::ecdsa::SigningKey {
    let bytes = bs58::decode(&multibase[1..]).into_vec().expect("base58");
    let secret = bytes.strip_prefix(&[0x86, 0x26]).expect("p256-priv header");
    p256::ecdsa::SigningKey::from_slice(secret).expect("P-256 scalar")
}

/// The key pair every ecdsa-rdfc-2019 vector is signed with.
fn vector_key() -> (p256::ecdsa::SigningKey, PublicKey) {
    let pair = vector("w3c-vc-di-ecdsa/TestVectors/p256KeyPair.json");
    let secret = p256_secret(pair["secretKeyMultibase"].as_str().expect("secret"));
    let public = decode_multikey(pair["publicKeyMultibase"].as_str().expect("public"))
        .expect("P-256 multikey");
    (secret, public)
}

fn without_proof(secured: &Value) -> Value {
    let mut unsecured = secured.clone();
    unsecured.as_object_mut().expect("object").remove("proof");
    unsecured
}

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Every intermediate value of one vector directory, then its signature.
fn check_vector(directory: &str) {
    let file = |name: &str| vector_text(&format!("{directory}/{name}"));
    let secured = vector(&format!("{directory}/signedECDSAP256.json"));
    let proof_config = vector(&format!("{directory}/proofConfigECDSAP256.json"));

    let document_nquads = canonicalize(&without_proof(&secured)).expect("document");
    assert_eq!(
        document_nquads,
        file("canonDocECDSAP256.txt"),
        "{directory}"
    );
    let config_nquads = canonicalize(&proof_config).expect("proof config");
    assert_eq!(
        config_nquads,
        file("proofCanonECDSAP256.txt"),
        "{directory}"
    );
    let proof_hash = sha256_hex(&config_nquads);
    let document_hash = sha256_hex(&document_nquads);
    assert_eq!(proof_hash, file("proofHashECDSAP256.txt").trim());
    assert_eq!(document_hash, file("docHashECDSAP256.txt").trim());
    assert_eq!(
        format!("{proof_hash}{document_hash}"),
        file("combinedHashECDSAP256.txt").trim()
    );

    let proof = &secured["proof"];
    let proof_value = proof["proofValue"].as_str().expect("proofValue");
    assert_eq!(proof_value, file("sigBTC58ECDSAP256.txt").trim());
    let signature = bs58::decode(&proof_value[1..]).into_vec().expect("base58");
    assert_eq!(hex::encode(signature), file("sigHexECDSAP256.txt").trim());

    let method = proof["verificationMethod"].as_str().expect("method");
    let key = decode_did_key_public(method).expect("P-256 did:key");
    assert_eq!(key, vector_key().1);
    assert_eq!(
        verify_proof_with(&secured, proof, &key).expect("runs"),
        ProofVerdict::Valid,
        "{directory}"
    );
}

#[test]
fn w3c_ecdsa_rdfc_2019_p256_vectors_are_reproduced() {
    check_vector(RDFC_2019);
    check_vector(&format!("{RDFC_2019}/employ"));
}

#[test]
fn the_vector_key_pair_is_a_p256_multikey() {
    let (secret, public) = vector_key();
    let derived =
        PublicKey::from_p256_sec1(secret.verifying_key().to_encoded_point(true).as_bytes())
            .expect("point");
    assert_eq!(derived, public);
    assert_eq!(
        public.to_multikey().as_deref(),
        Some("zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP")
    );
}

fn signed_vector() -> (Value, PublicKey) {
    (
        vector(&format!("{RDFC_2019}/signedECDSAP256.json")),
        vector_key().1,
    )
}

#[test]
fn tampered_document_and_proof_are_invalid() {
    let (secured, key) = signed_vector();
    let mut tampered = secured.clone();
    tampered["credentialSubject"]["alumniOf"] = json!("Another School");
    assert_eq!(verdict(&tampered, &key).expect("runs"), MISMATCH);
    let mut tampered = secured.clone();
    tampered["proof"]["created"] = json!("2023-02-24T23:36:39Z");
    assert_eq!(verdict(&tampered, &key).expect("runs"), MISMATCH);
    let mut tampered = secured;
    let mut signature = bs58::decode(&tampered["proof"]["proofValue"].as_str().expect("pv")[1..])
        .into_vec()
        .expect("base58");
    signature[10] ^= 1;
    tampered["proof"]["proofValue"] = json!(format!("z{}", bs58::encode(signature).into_string()));
    assert_eq!(verdict(&tampered, &key).expect("runs"), MISMATCH);
}

#[test]
fn another_p256_key_is_invalid() {
    let (secured, _) = signed_vector();
    let other = p256::ecdsa::SigningKey::from_slice(&[7; 32]).expect("scalar");
    let other = PublicKey::from_p256_sec1(other.verifying_key().to_encoded_point(true).as_bytes())
        .expect("point");
    assert_eq!(verdict(&secured, &other).expect("runs"), MISMATCH);
}

#[test]
fn keys_of_the_wrong_curve_are_refused() {
    let (secured, p256_key) = signed_vector();
    let ed25519 =
        PublicKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[1; 32]).verifying_key());
    assert_eq!(
        verdict(&secured, &ed25519).expect("runs"),
        ProofVerdict::Invalid {
            reason: InvalidProofReason::KeyTypeMismatch {
                suite: "ecdsa-rdfc-2019",
                key: "Ed25519"
            }
        }
    );
    // And the reverse: an Ed25519 proof with a P-256 key.
    let eddsa = fixture("test-vectors/ob3-impl-guide/ob3-eddsa-rdfc-2022-test-vector.json");
    let eddsa = &eddsa["signedCredential"];
    assert_eq!(
        verdict(eddsa, &p256_key).expect("runs"),
        ProofVerdict::Invalid {
            reason: InvalidProofReason::KeyTypeMismatch {
                suite: "eddsa-rdfc-2022",
                key: "P-256"
            }
        }
    );
    // A P-384 JWK or Multikey is refused before any proof is checked.
    let p384 = Jwk::from_value(&json!({"kty": "EC", "crv": "P-384", "x": "AA", "y": "AA"}))
        .expect("shape");
    assert!(p384.to_public_key().is_err());
}

#[test]
fn the_same_key_as_a_json_web_key_verifies() {
    let (secured, key) = signed_vector();
    let jwk = serde_json::to_value(key.to_jwk()).expect("jwk");
    assert_eq!(jwk["crv"], "P-256");
    let from_jwk = Jwk::from_value(&jwk)
        .and_then(|jwk| jwk.to_public_key())
        .expect("P-256 JWK");
    assert_eq!(
        verdict(&secured, &from_jwk).expect("runs"),
        ProofVerdict::Valid
    );
}

#[test]
fn a_signature_of_another_length_is_malformed() {
    let (mut secured, key) = signed_vector();
    secured["proof"]["proofValue"] = json!(format!("z{}", bs58::encode([1u8; 96]).into_string()));
    assert!(matches!(
        verdict(&secured, &key),
        Err(DataIntegrityError::MalformedProof(_))
    ));
}

/// An Open Badges credential signed here with the vector's key, the way the spec's
/// algorithm says, verifies; the same credential altered does not.
#[test]
fn an_open_badge_signed_with_ecdsa_rdfc_2019_verifies() {
    let (secret, key) = vector_key();
    let mut credential =
        fixture("test-vectors/ob3-impl-guide/ob3-eddsa-rdfc-2022-test-vector.json")
            ["unsignedCredential"]
            .clone();
    let proof = json!({
        "type": "DataIntegrityProof",
        "cryptosuite": "ecdsa-rdfc-2019",
        "created": "2025-01-01T00:00:00Z",
        "verificationMethod": "did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP#zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP",
        "proofPurpose": "assertionMethod",
    });
    let mut config = proof.clone();
    config["@context"] = credential["@context"].clone();
    let hash_data = [
        Sha256::digest(canonicalize(&config).expect("config").as_bytes()),
        Sha256::digest(canonicalize(&credential).expect("document").as_bytes()),
    ]
    .concat();
    let signature: p256::ecdsa::Signature = secret.sign(&hash_data);
    let mut signed_proof = proof;
    signed_proof["proofValue"] = json!(format!(
        "z{}",
        bs58::encode(signature.to_bytes()).into_string()
    ));
    credential["proof"] = signed_proof;
    assert_eq!(
        verdict(&credential, &key).expect("runs"),
        ProofVerdict::Valid
    );
    credential["credentialSubject"]["achievement"]["name"] = json!("Another badge");
    assert_eq!(verdict(&credential, &key).expect("runs"), MISMATCH);
}
