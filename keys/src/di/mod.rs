//! Data Integrity proofs (W3C vc-data-integrity) with the EdDSA and ECDSA cryptosuites.
//!
//! - [`sign_eddsa_rdfc_2022`] secures a credential with an `eddsa-rdfc-2022` proof
//!   (<https://www.w3.org/TR/vc-di-eddsa/#eddsa-rdfc-2022>).
//! - [`verify_proof_with`] checks one embedded proof with a key of any kind:
//!   `eddsa-rdfc-2022`, the draft `eddsa-2022`, the legacy `Ed25519Signature2020` and
//!   `Ed25519Signature2018` (Ed25519), `ecdsa-rdfc-2019` and the derived proofs of
//!   `ecdsa-sd-2023` (P-256, <https://www.w3.org/TR/vc-di-ecdsa/>). [`verify_proof`]
//!   is the same for an Ed25519 key. List the proofs with [`proofs`].
//! - [`canonicalize`]: JSON-LD -> RDF -> RDFC-1.0 canonical N-Quads, with contexts
//!   taken only from the bundled set (`schemas::contexts`), never from the network,
//!   bounded in depth and work ([`MAX_DEPTH`], [`WORK_BUDGET`]) so that no document
//!   can crash or stall it; [`direct_path_only`] and [`shared_budget`] narrow what a
//!   thread may spend.
//!
//! Keys are passed in directly: finding the key of a `verificationMethod` and tying it
//! to the issuer is the job of [`crate::resolver`] and [`crate::binding`].

mod canonical;
mod direct;
mod ecdsa;
mod ecdsa_sd;
mod ed25519_2018;
mod eddsa;
mod error;
mod hashing;
mod limits;
mod loader;
mod proof;
mod rdfc;

pub use canonical::{
    canonicalize, check_context_limits, CONTEXT_CACHE_BYTES, MAX_CONTEXT_ENTRIES,
    MAX_INLINE_CONTEXT_BYTES,
};
#[doc(hidden)]
pub use canonical::{
    canonicalize_direct, canonicalize_general_path, canonicalize_quads, context_cache_bytes,
};
pub use ecdsa_sd::{ecdsa_sd_verify_data, is_ecdsa_sd_base_proof, DerivedProofValue, SdVerifyData};
pub use eddsa::{sign_eddsa_rdfc_2022, verify_proof, ProofOptions};
pub use error::DataIntegrityError;
pub use limits::{direct_path_only, shared_budget};
pub use proof::{
    proof_verification_method, proofs, unsecured_document, ProofSuite, DATA_INTEGRITY_PROOF,
    ECDSA_RDFC_2019, ECDSA_SD_2023, ED25519_SIGNATURE_2018, ED25519_SIGNATURE_2020, EDDSA_2022,
    EDDSA_RDFC_2022,
};
pub use rdfc::{ComplexityLimit, MAX_DEPTH, MAX_NESTING, WORK_BUDGET};

use serde_json::Value;

use crate::keypair::PublicKey;

/// Verifies one proof of a secured document (one item of [`proofs`]) with `key`,
/// which must be of the kind the proof's suite uses ([`ProofSuite::accepts`]; a key of
/// another kind is `Ok(Invalid)` with [`InvalidProofReason::KeyTypeMismatch`]).
///
/// `Err` means the check could not run (unsupported suite, malformed proof, unknown
/// context); a signature that does not match, or a document using terms its contexts
/// do not define (JSON-LD safe mode), is `Ok(Invalid)`.
pub fn verify_proof_with(
    secured: &Value,
    proof: &Value,
    key: &PublicKey,
) -> Result<ProofVerdict, DataIntegrityError> {
    let proof_object = proof
        .as_object()
        .ok_or(DataIntegrityError::NotAnObject("proof"))?;
    let secured_object = secured
        .as_object()
        .ok_or(DataIntegrityError::NotAnObject("secured document"))?;
    let suite = ProofSuite::of(proof)?;
    hashing::require_strings(proof_object, &["verificationMethod", "proofPurpose"])?;
    let mismatch = || ProofVerdict::Invalid {
        reason: InvalidProofReason::KeyTypeMismatch {
            suite: suite.name(),
            key: key.kind(),
        },
    };
    match (suite, key) {
        (
            ProofSuite::EddsaRdfc2022 | ProofSuite::Eddsa2022 | ProofSuite::Ed25519Signature2020,
            PublicKey::Ed25519(key),
        ) => eddsa::verify_data_integrity(secured_object, proof_object, suite, key),
        (ProofSuite::Ed25519Signature2018, PublicKey::Ed25519(key)) => {
            ed25519_2018::verify(secured_object, proof_object, key)
        }
        (ProofSuite::EcdsaRdfc2019, PublicKey::EcP256 { .. }) => match key.p256_verifying_key() {
            Some(key) => ecdsa::verify_rdfc_2019(secured_object, proof_object, &key),
            None => Ok(mismatch()),
        },
        (ProofSuite::EcdsaSd2023, PublicKey::EcP256 { .. }) => match key.p256_verifying_key() {
            Some(key) => ecdsa_sd::verify_derived(secured_object, proof_object, &key),
            None => Ok(mismatch()),
        },
        _ => Ok(mismatch()),
    }
}

/// The outcome of a proof check that could run.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum ProofVerdict {
    /// The signature matches the canonical document and proof configuration.
    Valid,
    /// The proof does not hold for this document and key.
    Invalid {
        /// Why it does not hold.
        reason: InvalidProofReason,
    },
}

impl ProofVerdict {
    /// Whether the proof holds.
    pub fn is_valid(&self) -> bool {
        matches!(self, Self::Valid)
    }
}

/// Why a proof does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidProofReason {
    /// The signature does not verify: the document or proof was altered, or the key is
    /// not the signer's.
    #[error("the signature does not match the document and key")]
    SignatureMismatch,
    /// The proof's own `@context` is not a prefix of the document's (vc-data-integrity
    /// §4.3, verify proof).
    #[error("the proof's @context is not a prefix of the document's @context")]
    ContextMismatch,
    /// The document uses a term its contexts do not define. JSON-LD would drop it, so no
    /// signature could cover it; a conforming (safe-mode) signer never signs such a
    /// document.
    #[error("term {0:?} is not defined by the document's @context")]
    UndefinedTerm(String),
    /// The key is not of the kind the proof's suite signs with (an Ed25519 key for an
    /// ECDSA proof, or the reverse), so it cannot have made the proof.
    #[error("a {suite} proof is not verified with a {key} key")]
    KeyTypeMismatch {
        /// The proof's suite.
        suite: &'static str,
        /// The kind of key given ([`PublicKey::kind`]).
        key: &'static str,
    },
    /// The disclosed document does not match its `ecdsa-sd-2023` derived proof: a
    /// statement was added, removed or changed after the holder derived the proof.
    #[error("the disclosed statements do not match the derived proof: {0}")]
    DisclosureMismatch(String),
}
