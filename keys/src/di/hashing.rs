//! What every RDFC suite canonicalises before hashing: the document without its
//! `proof`, and the proof configuration (the proof without its signature, given an
//! `@context`), each as RDFC-1.0 canonical N-Quads.
//!
//! The suites differ only in the `@context` the proof configuration is given
//! ([`ConfigContext`]) and in which member holds the signature; what they then hash
//! and sign is theirs (`super::eddsa`, `super::ecdsa`, `super::ecdsa_sd`,
//! `super::ed25519_2018`).

use std::sync::LazyLock;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::canonical::canonicalize_entries;
use super::{DataIntegrityError, InvalidProofReason};

/// The security v2 context, the one jsonld-signatures gave `Ed25519Signature2018`
/// proofs (its terms map to the same IRIs as credentials v1 and the ed25519-2018
/// suite context, so the canonical form is the same whichever a signer used).
pub(super) const SECURITY_V2_CONTEXT: &str = "https://w3id.org/security/v2";

static SECURITY_V2: LazyLock<Value> = LazyLock::new(|| Value::from(SECURITY_V2_CONTEXT));

/// Which `@context` the proof configuration is canonicalised with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ConfigContext {
    /// Data Integrity suites: the document's `@context`, or the proof's own when it
    /// has one, which must then be a prefix of the document's (vc-data-integrity
    /// §4.3, verify proof, step 4).
    DataIntegrity,
    /// `Ed25519Signature2020`: always the document's, as jsonld-signatures does.
    Document,
    /// `Ed25519Signature2018`: the proof's own, else security v2.
    SecurityV2,
}

/// The canonical N-Quads a proof's signature covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CanonicalForms {
    /// The proof configuration: the proof without its signature members, with the
    /// `@context` chosen by [`ConfigContext`].
    pub proof_config: String,
    /// The document without `proof`, with the same `@context` as the configuration
    /// for the Data Integrity suites, its own otherwise.
    pub document: String,
}

impl CanonicalForms {
    /// `SHA-256(proof configuration) || SHA-256(document)`.
    pub fn hash_data(&self) -> [u8; 64] {
        concat_hashes(&self.proof_config, &self.document)
    }
}

/// The canonical forms of `proof` over `secured`, leaving the `signature_members` out
/// of the proof configuration.
///
/// `Ok(Err(reason))` is a verdict: the proof's context is not a prefix of the
/// document's, or a term is undefined (JSON-LD would drop it, so no signature could
/// cover it). `Err` means canonicalisation could not run.
pub(super) fn canonical_forms(
    secured: &Map<String, Value>,
    proof: &Map<String, Value>,
    rule: ConfigContext,
    signature_members: &[&str],
) -> Result<Result<CanonicalForms, InvalidProofReason>, DataIntegrityError> {
    let document_context = secured.get("@context");
    let proof_context = proof.get("@context");
    let (document_with, config_with) = match (rule, proof_context) {
        (ConfigContext::DataIntegrity, Some(own)) => {
            if !context_starts_with(document_context, own) {
                return Ok(Err(InvalidProofReason::ContextMismatch));
            }
            (Some(own), Some(own))
        }
        (ConfigContext::SecurityV2, Some(own)) => (document_context, Some(own)),
        (ConfigContext::SecurityV2, None) => (document_context, Some(&*SECURITY_V2)),
        _ => (document_context, document_context),
    };
    let document = secured
        .iter()
        .filter(|(key, _)| *key != "proof" && *key != "@context")
        .map(|(key, value)| (key.as_str(), value))
        .chain(document_with.map(|context| ("@context", context)));
    let config = proof
        .iter()
        .filter(|(key, _)| *key != "@context" && !signature_members.contains(&key.as_str()))
        .map(|(key, value)| (key.as_str(), value))
        .chain(config_with.map(|context| ("@context", context)));
    let forms = canonicalize_entries(config).and_then(|proof_config| {
        Ok(CanonicalForms {
            proof_config,
            document: canonicalize_entries(document)?,
        })
    });
    match forms {
        Ok(forms) => Ok(Ok(forms)),
        Err(DataIntegrityError::UndefinedTerm(term)) => {
            Ok(Err(InvalidProofReason::UndefinedTerm(term)))
        }
        Err(error) => Err(error),
    }
}

/// `SHA-256(proof_config) || SHA-256(document)`.
pub(super) fn concat_hashes(proof_config: &str, document: &str) -> [u8; 64] {
    let mut hash = [0u8; 64];
    hash[..32].copy_from_slice(&Sha256::digest(proof_config.as_bytes()));
    hash[32..].copy_from_slice(&Sha256::digest(document.as_bytes()));
    hash
}

/// Requires each of `members` to be a string member of the proof.
pub(super) fn require_strings(
    proof: &Map<String, Value>,
    members: &[&str],
) -> Result<(), DataIntegrityError> {
    match members
        .iter()
        .find(|member| !proof.get(**member).is_some_and(Value::is_string))
    {
        Some(missing) => Err(DataIntegrityError::MalformedProof(format!(
            "no string `{missing}`"
        ))),
        None => Ok(()),
    }
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
