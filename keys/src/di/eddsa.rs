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
use sha2::{Digest, Sha256};

use super::canonical::canonicalize_entries;
use super::proof::{
    decode_proof_value, encode_proof_value, unsecured_document, ProofSuite, DATA_INTEGRITY_PROOF,
    EDDSA_RDFC_2022,
};
use super::{DataIntegrityError, InvalidProofReason, ProofVerdict};

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
    let hash = hash_data(document.iter(), document.get("@context"), proof.iter())?;
    let signature = key.sign(&hash).to_bytes();
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
/// given public key.
///
/// `Err` means the check could not run (unsupported suite, malformed proof, unknown
/// context); a signature that does not match, or a document using terms its contexts do
/// not define (JSON-LD safe mode), is `Ok(Invalid)`.
pub fn verify_proof(
    secured: &Value,
    proof: &Value,
    key: &VerifyingKey,
) -> Result<ProofVerdict, DataIntegrityError> {
    let proof_object = proof
        .as_object()
        .ok_or(DataIntegrityError::NotAnObject("proof"))?;
    let suite = ProofSuite::of(proof)?;
    for required in ["verificationMethod", "proofPurpose"] {
        if !proof_object.get(required).is_some_and(Value::is_string) {
            return Err(DataIntegrityError::MalformedProof(format!(
                "no string `{required}`"
            )));
        }
    }
    let signature = Signature::from_bytes(&decode_proof_value(proof)?);
    let secured_object = secured
        .as_object()
        .ok_or(DataIntegrityError::NotAnObject("secured document"))?;
    let document_context = secured_object.get("@context");
    // The context both are canonicalised with: the document's, or the proof's own when
    // it has one (a prefix of the document's: vc-data-integrity §4.3, step 4).
    let mut context = document_context;
    let proof_context = proof_object.get("@context");
    if suite != ProofSuite::Ed25519Signature2020 {
        // jsonld-signatures always gives the legacy proof the document's @context.
        if let Some(proof_context) = proof_context {
            if !context_starts_with(document_context, proof_context) {
                return Ok(ProofVerdict::Invalid {
                    reason: InvalidProofReason::ContextMismatch,
                });
            }
            context = Some(proof_context);
        }
    }
    let document = secured_object
        .iter()
        .filter(|(key, _)| *key != "proof" && *key != "@context")
        .map(|(key, value)| (key.as_str(), value))
        .chain(context.map(|context| ("@context", context)));
    let options = proof_object
        .iter()
        .filter(|(key, _)| *key != "proofValue" && *key != "@context")
        .map(|(key, value)| (key.as_str(), value));
    let hash = match hash_entries(document, context, options) {
        Ok(hash) => hash,
        Err(DataIntegrityError::UndefinedTerm(term)) => {
            return Ok(ProofVerdict::Invalid {
                reason: InvalidProofReason::UndefinedTerm(term),
            })
        }
        Err(error) => return Err(error),
    };
    Ok(match key.verify_strict(&hash, &signature) {
        Ok(()) => ProofVerdict::Valid,
        Err(_) => ProofVerdict::Invalid {
            reason: InvalidProofReason::SignatureMismatch,
        },
    })
}

/// `SHA-256(canonical proof configuration) || SHA-256(canonical document)`, where the
/// proof configuration is the proof options with the document's `@context`.
fn hash_data<'a>(
    document: impl Iterator<Item = (&'a String, &'a Value)> + Clone,
    context: Option<&'a Value>,
    proof_options: impl Iterator<Item = (&'a String, &'a Value)> + Clone,
) -> Result<[u8; 64], DataIntegrityError> {
    hash_entries(
        document.map(|(key, value)| (key.as_str(), value)),
        context,
        proof_options.map(|(key, value)| (key.as_str(), value)),
    )
}

/// [`hash_data`] over borrowed entries, so that nothing is cloned on the way to the
/// canonical form.
fn hash_entries<'a>(
    document: impl Iterator<Item = (&'a str, &'a Value)> + Clone,
    context: Option<&'a Value>,
    proof_options: impl Iterator<Item = (&'a str, &'a Value)> + Clone,
) -> Result<[u8; 64], DataIntegrityError> {
    let proof_config = context
        .map(|context| ("@context", context))
        .into_iter()
        .chain(proof_options);
    let config_nquads = canonicalize_entries(proof_config)?;
    let document_nquads = canonicalize_entries(document)?;
    let mut hash = [0u8; 64];
    hash[..32].copy_from_slice(&Sha256::digest(config_nquads.as_bytes()));
    hash[32..].copy_from_slice(&Sha256::digest(document_nquads.as_bytes()));
    Ok(hash)
}

/// Whether the document's `@context` starts with every entry of the proof's, in order.
fn context_starts_with(document_context: Option<&Value>, proof_context: &Value) -> bool {
    document_context.is_some_and(|document| entries(document).starts_with(entries(proof_context)))
}

/// The entries of an `@context` value: the array items, or the single value.
fn entries(context: &Value) -> &[Value] {
    match context {
        Value::Array(items) => items.as_slice(),
        single => std::slice::from_ref(single),
    }
}
