//! `ecdsa-rdfc-2019` with P-256 (W3C vc-di-ecdsa §3.2,
//! <https://www.w3.org/TR/vc-di-ecdsa/#ecdsa-rdfc-2019>): verification.
//!
//! Transformation and proof configuration are those of `eddsa-rdfc-2022` (RDFC-1.0
//! canonical N-Quads of the unsecured document and of the proof options with the
//! document's `@context`); hash data = `SHA-256(proof configuration) ||
//! SHA-256(document)` for P-256; the signature is ECDSA P-256 with SHA-256 over those
//! 64 bytes (FIPS 186-5), `proofValue` = multibase base58btc of `r || s` (64 bytes).
//!
//! P-384 keys (SHA-384, 96-byte signatures) are not supported: a P-384 Multikey is
//! refused when the key is read, before any proof is checked.

use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use serde_json::{Map, Value};

use super::hashing::{canonical_forms, ConfigContext};
use super::proof::decode_base58_proof_value;
use super::{DataIntegrityError, InvalidProofReason, ProofVerdict};

/// Verifies an `ecdsa-rdfc-2019` proof with a P-256 key.
pub(super) fn verify_rdfc_2019(
    secured: &Map<String, Value>,
    proof: &Map<String, Value>,
    key: &VerifyingKey,
) -> Result<ProofVerdict, DataIntegrityError> {
    let bytes = decode_base58_proof_value(proof, "ECDSA P-256")?;
    let forms = match canonical_forms(
        secured,
        proof,
        ConfigContext::DataIntegrity,
        &["proofValue"],
    )? {
        Ok(forms) => forms,
        Err(reason) => return Ok(ProofVerdict::Invalid { reason }),
    };
    Ok(verdict(verifies(key, &forms.hash_data(), &bytes)))
}

/// Whether `signature` (`r || s`) is a P-256 ECDSA-SHA-256 signature of `message`. A
/// zero or out-of-range scalar is a signature that does not verify.
pub(super) fn verifies(key: &VerifyingKey, message: &[u8], signature: &[u8]) -> bool {
    Signature::from_slice(signature).is_ok_and(|signature| key.verify(message, &signature).is_ok())
}

/// `Valid` or a signature mismatch.
pub(super) fn verdict(holds: bool) -> ProofVerdict {
    if holds {
        ProofVerdict::Valid
    } else {
        ProofVerdict::Invalid {
            reason: InvalidProofReason::SignatureMismatch,
        }
    }
}
