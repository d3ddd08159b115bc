//! The EdDSA cryptosuites: create `eddsa-rdfc-2022` proofs; verify `eddsa-rdfc-2022`,
//! the draft `eddsa-2022` and the legacy `Ed25519Signature2020`.
//!
//! W3C vc-di-eddsa §3.3 (<https://www.w3.org/TR/vc-di-eddsa/#eddsa-rdfc-2022>):
//! transformation = RDFC-1.0 canonical N-Quads of the unsecured document; proof
//! configuration = the proof options without `proofValue`, given the document's
//! `@context`, canonicalised the same way; hash data =
//! `SHA-256(proof configuration) || SHA-256(document)`; signature = Ed25519 over those
//! 64 bytes; `proofValue` = multibase base58btc (`z...`).

use chrono::{DateTime, SecondsFormat, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde_json::{Map, Value};

use super::hashing::{canonical_forms, ConfigContext};
use super::proof::{
    decode_proof_value, encode_proof_value, unsecured_document, ProofSuite, DATA_INTEGRITY_PROOF,
    EDDSA_RDFC_2022,
};
use super::{DataIntegrityError, InvalidProofReason, ProofVerdict};
use crate::keypair::PublicKey;

/// The proof options of a new `eddsa-rdfc-2022` proof (vc-data-integrity §2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofOptions {
    /// The URL of the public key, e.g. `did:key:z6Mk...#z6Mk...`.
    pub verification_method: String,
    /// When the proof was created (serialised to the second, in UTC).
    pub created: DateTime<Utc>,
    /// Why the proof was made; credentials use `assertionMethod`.
    pub proof_purpose: String,
}

impl ProofOptions {
    /// Options with the `assertionMethod` purpose, the one issuers use for credentials.
    pub fn new(verification_method: impl Into<String>, created: DateTime<Utc>) -> Self {
        Self {
            verification_method: verification_method.into(),
            created,
            proof_purpose: "assertionMethod".to_owned(),
        }
    }

    /// The proof object without `proofValue`, in the order the spec's examples use.
    fn to_proof(&self) -> Map<String, Value> {
        let mut proof = Map::new();
        proof.insert("type".into(), DATA_INTEGRITY_PROOF.into());
        proof.insert("cryptosuite".into(), EDDSA_RDFC_2022.into());
        proof.insert(
            "created".into(),
            self.created
                .to_rfc3339_opts(SecondsFormat::Secs, true)
                .into(),
        );
        proof.insert(
            "verificationMethod".into(),
            self.verification_method.clone().into(),
        );
        proof.insert("proofPurpose".into(), self.proof_purpose.clone().into());
        proof
    }
}

/// Signs a document with an `eddsa-rdfc-2022` Data Integrity proof and returns the
/// secured document. A `proof` already present is kept and the new one is added to the
/// proof set (each proof signs the document without any `proof`).
pub fn sign_eddsa_rdfc_2022(
    unsecured: &Value,
    key: &SigningKey,
    options: ProofOptions,
) -> Result<Value, DataIntegrityError> {
    let document = unsecured_document(unsecured)?;
    let mut proof = options.to_proof();
    let forms = canonical_forms(&document, &proof, ConfigContext::DataIntegrity, &[])?.map_err(
        |reason| match reason {
            InvalidProofReason::UndefinedTerm(term) => DataIntegrityError::UndefinedTerm(term),
            other => DataIntegrityError::MalformedProof(other.to_string()),
        },
    )?;
    let signature = key.sign(&forms.hash_data()).to_bytes();
    proof.insert("proofValue".into(), encode_proof_value(&signature).into());

    let mut secured = document;
    let new_proof = Value::Object(proof);
    let proof_set = match unsecured.get("proof") {
        None | Some(Value::Null) => new_proof,
        Some(Value::Array(existing)) => {
            let mut all = existing.clone();
            all.push(new_proof);
            Value::Array(all)
        }
        Some(existing) => Value::Array(vec![existing.clone(), new_proof]),
    };
    secured.insert("proof".into(), proof_set);
    Ok(Value::Object(secured))
}

/// Verifies one proof of a secured document (one item of [`super::proofs`]) with the
/// given Ed25519 public key: the suites of [`super::verify_proof_with`] for an
/// Ed25519 key (a proof of a P-256 suite is `Invalid` with it).
///
/// `Err` means the check could not run (unsupported suite, malformed proof, unknown
/// context); a signature that does not match, or a document using terms its contexts do
/// not define (JSON-LD safe mode), is `Ok(Invalid)`.
pub fn verify_proof(
    secured: &Value,
    proof: &Value,
    key: &VerifyingKey,
) -> Result<ProofVerdict, DataIntegrityError> {
    super::verify_proof_with(secured, proof, &PublicKey::Ed25519(*key))
}

/// `eddsa-rdfc-2022`, `eddsa-2022` and `Ed25519Signature2020`: Ed25519 over the hash
/// data, `proofValue` multibase base58btc.
pub(super) fn verify_data_integrity(
    secured: &Map<String, Value>,
    proof: &Map<String, Value>,
    suite: ProofSuite,
    key: &VerifyingKey,
) -> Result<ProofVerdict, DataIntegrityError> {
    let signature = Signature::from_bytes(&decode_proof_value(proof)?);
    // jsonld-signatures always gives the legacy proof the document's @context.
    let rule = if suite == ProofSuite::Ed25519Signature2020 {
        ConfigContext::Document
    } else {
        ConfigContext::DataIntegrity
    };
    let forms = match canonical_forms(secured, proof, rule, &["proofValue"])? {
        Ok(forms) => forms,
        Err(reason) => return Ok(ProofVerdict::Invalid { reason }),
    };
    Ok(match key.verify_strict(&forms.hash_data(), &signature) {
        Ok(()) => ProofVerdict::Valid,
        Err(_) => ProofVerdict::Invalid {
            reason: InvalidProofReason::SignatureMismatch,
        },
    })
}
