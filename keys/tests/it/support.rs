//! Shared helpers of the keys-core integration tests: fixtures and cached keys.

use std::path::PathBuf;
use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ed25519_dalek::Signer as _;
use keys::di::{verify_proof_with, DataIntegrityError, InvalidProofReason, ProofVerdict};
use keys::{KeyAlgorithm, PublicKey, SigningKey};
use serde_json::Value;

/// A fixture under `tests/fixtures`.
pub fn fixture(relative: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// The text of a vector under `keys/tests/fixtures` (see its README for sources).
pub fn vector_text(relative: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// A JSON vector under `keys/tests/fixtures`.
pub fn vector(relative: &str) -> Value {
    let text = vector_text(relative);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The 1EdTech `complete.json` credential without its proof (an unsigned credential
/// with validFrom, validUntil, a subject id and an issuer object).
pub fn complete_credential() -> Value {
    let mut credential = fixture("fixtures/1edtech-validator/ob30/complete.json");
    credential.as_object_mut().expect("object").remove("proof");
    credential
}

/// The verdict on the one proof of `secured` (its `proof` member) with `key`.
pub fn verdict(secured: &Value, key: &PublicKey) -> Result<ProofVerdict, DataIntegrityError> {
    verify_proof_with(secured, &secured["proof"], key)
}

/// The verdict on a proof whose signature does not match what it signs.
pub const MISMATCH: ProofVerdict = ProofVerdict::Invalid {
    reason: InvalidProofReason::SignatureMismatch,
};

/// One RSA-2048 key for the whole test binary (generation is the slow part).
pub fn rsa_key() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| SigningKey::generate(KeyAlgorithm::Rs256).expect("rsa"))
}

/// A second RSA key, for wrong-key tests.
pub fn other_rsa_key() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| SigningKey::generate(KeyAlgorithm::Rs256).expect("rsa"))
}

/// A deterministic Ed25519 key.
pub fn ed25519_key(seed: u8) -> ed25519_dalek::SigningKey {
    ed25519_dalek::SigningKey::from_bytes(&[seed; 32])
}

/// base64url(JSON).
pub fn encode_json(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

/// A compact JWS over arbitrary header and payload, EdDSA-signed: for tokens our
/// signer would never produce.
pub fn sign_raw_eddsa(header: &Value, payload: &Value, key: &ed25519_dalek::SigningKey) -> String {
    let input = format!("{}.{}", encode_json(header), encode_json(payload));
    let signature = key.sign(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
}
