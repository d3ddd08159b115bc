//! Why a Data Integrity operation could not run.
//!
//! A bad signature is not an error: it is [`super::ProofVerdict::Invalid`]. These
//! variants mean the check (or the signing) could not be carried out at all.

/// An error that stops Data Integrity signing or verification from running.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DataIntegrityError {
    /// The document (or the proof) is not a JSON object.
    #[error("{0} must be a JSON object")]
    NotAnObject(&'static str),
    /// An `@context` names a URL that is not bundled; contexts are never fetched.
    #[error("unknown JSON-LD context {url:?}: only bundled contexts are accepted")]
    UnknownContext {
        /// The refused context URL.
        url: String,
    },
    /// A top-level `@context` entry is neither a URL string nor an object.
    #[error("malformed @context: {0}")]
    MalformedContext(String),
    /// The document's inline `@context` values are larger than accepted, or its
    /// top-level `@context` lists too many entries (`MAX_INLINE_CONTEXT_BYTES`,
    /// `MAX_CONTEXT_ENTRIES` of `keys::di`).
    #[error("the JSON-LD contexts are too large: {0}")]
    ContextTooLarge(String),
    /// JSON-LD context processing or expansion failed (invalid context, bad keyword use...).
    #[error("JSON-LD processing failed: {0}")]
    JsonLd(String),
    /// A property or type is not defined by the contexts, so a signature would not cover it
    /// (JSON-LD "safe mode", as in the W3C reference implementation).
    #[error("term {0:?} is not defined by the @context; it would be silently dropped")]
    UndefinedTerm(String),
    /// RDF Dataset Canonicalization (RDFC-1.0) failed.
    #[error("RDF canonicalization failed: {0}")]
    Canonicalization(String),
    /// The document's blank nodes are linked so that canonicalising them would take more
    /// than the bounded work or depth allowed ([`super::MAX_DEPTH`],
    /// [`super::WORK_BUDGET`]): a crafted document, no credential needs this.
    #[error("the document is too complex to canonicalize: {0}")]
    TooComplex(#[from] super::ComplexityLimit),
    /// The document needs the general canonicalisation path, refused inside
    /// [`super::direct_path_only`]: the caller runs the verification again outside it.
    #[error("the document needs the general canonicalisation path, deferred by the caller")]
    GeneralPathDeferred,
    /// The proof lacks a required property or has one of the wrong form.
    #[error("malformed proof: {0}")]
    MalformedProof(String),
    /// An `ecdsa-sd-2023` base proof: it is the issuer's proof to the holder, who
    /// derives from it the proof a verifier checks; a verifier verifies derived proofs
    /// only (vc-di-ecdsa §3.5), so no verdict can be given on it.
    #[error("an ecdsa-sd-2023 base proof is for the holder; only a derived proof can be verified")]
    SdBaseProof,
    /// The proof's type/cryptosuite is not one this crate can verify.
    #[error("unsupported proof type {proof_type:?} with cryptosuite {cryptosuite:?}")]
    UnsupportedCryptosuite {
        /// The proof's `type`.
        proof_type: String,
        /// The proof's `cryptosuite`, when it has one.
        cryptosuite: Option<String>,
    },
}
