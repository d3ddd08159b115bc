//! Data Integrity proofs (W3C vc-data-integrity) with the EdDSA cryptosuites.
//!
//! - [`sign_eddsa_rdfc_2022`] secures a credential with an `eddsa-rdfc-2022` proof
//!   (<https://www.w3.org/TR/vc-di-eddsa/#eddsa-rdfc-2022>).
//! - [`verify_proof`] checks one embedded proof: `eddsa-rdfc-2022`, the draft
//!   `eddsa-2022` and the legacy `Ed25519Signature2020`. List them with [`proofs`].
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
mod eddsa;
mod error;
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
pub use eddsa::{sign_eddsa_rdfc_2022, verify_proof, ProofOptions};
pub use error::DataIntegrityError;
pub use limits::{direct_path_only, shared_budget};
pub use proof::{
    proof_verification_method, proofs, unsecured_document, ProofSuite, DATA_INTEGRITY_PROOF,
    ED25519_SIGNATURE_2020, EDDSA_2022, EDDSA_RDFC_2022,
};
pub use rdfc::{ComplexityLimit, MAX_DEPTH, MAX_NESTING, WORK_BUDGET};

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
}
