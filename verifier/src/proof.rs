//! The proof stage: is the signature valid, and is the key the issuer's?
//!
//! Two families of checks come out of here: `proof` (the signature) and
//! `issuer` (key binding, see `keys::binding`). A credential is authentic when
//! at least one proof verifies with a key bound to the issuer and no proof of
//! a suite we understand fails. Proofs of suites we do not implement are
//! skipped with a warning when another proof holds (Data Integrity lets a
//! verifier ignore what it does not understand), and fail otherwise.
//!
//! Data Integrity suites checked (`keys::di`): `eddsa-rdfc-2022`, `ecdsa-rdfc-2019`
//! and `ecdsa-sd-2023` derived proofs, and the superseded `eddsa-2022`,
//! `Ed25519Signature2020` and `Ed25519Signature2018` (passed with a
//! `proof.legacy_cryptosuite` warning). Each goes through the same key binding;
//! a key of another kind than the suite's is `issuer.key_unsupported`. An
//! `ecdsa-sd-2023` base proof is `proof.sd_base_proof`: it is the issuer's
//! proof to the holder, and only the proof a holder derives from it can be
//! verified.

use keys::di::{self, DataIntegrityError, InvalidProofReason, ProofSuite, ProofVerdict};
use keys::jwt::{CredentialJson, JwtClaims, JwtError, JwtWarning, UnverifiedJwt};
use keys::{BindingError, Resolver};
use serde_json::Value;

use crate::report::{Outcome, Report};

/// Read in [`crate::view`], which the report imports; re-exported here
/// where the proof checks use it, and where callers have found it.
pub use crate::view::issuer_id;

/// The most embedded proofs checked on one credential. Each proof canonicalises the
/// whole document again; real proof sets hold one or two.
pub const MAX_PROOFS: usize = 8;

/// Checks every embedded Data Integrity proof of `credential`.
pub fn check_embedded_proofs(credential: &Value, resolver: &dyn Resolver, report: &mut Report) {
    let proofs = di::proofs(credential);
    if proofs.len() > MAX_PROOFS {
        report.push(
            "proof",
            "proof.too_complex",
            Outcome::Failed,
            format!("the credential has more than {MAX_PROOFS} proofs; none was checked"),
        );
        return;
    }
    if proofs.is_empty() {
        report.push(
            "proof",
            "proof.missing",
            Outcome::Failed,
            "the credential has no proof: nothing shows who issued it",
        );
        return;
    }
    let Some(issuer) = issuer_id(credential) else {
        report.push(
            "issuer",
            "issuer.missing",
            Outcome::Failed,
            "the credential names no issuer whose key could be checked",
        );
        return;
    };
    let mut unsupported = Vec::new();
    let mut understood = 0;
    for proof in proofs {
        let suite = match ProofSuite::of(proof) {
            Ok(suite) => suite,
            Err(DataIntegrityError::UnsupportedCryptosuite {
                proof_type,
                cryptosuite,
            }) => {
                let (code, what) = match cryptosuite {
                    Some(suite) => ("proof.unsupported_cryptosuite", suite),
                    None => ("proof.unsupported_type", proof_type),
                };
                unsupported.push((code, what));
                continue;
            }
            Err(e) => {
                understood += 1;
                report.push("proof", "proof.malformed", Outcome::Failed, e.to_string());
                continue;
            }
        };
        understood += 1;
        check_data_integrity_proof(credential, proof, suite, issuer, resolver, report);
    }
    // Proofs we do not implement: harmless beside one we checked, fatal alone.
    let outcome = if understood > 0 {
        Outcome::Warning
    } else {
        Outcome::Failed
    };
    for (code, what) in unsupported {
        report.push(
            "proof",
            code,
            outcome,
            format!("proof {what:?} is of a kind this verifier does not check"),
        );
    }
}

fn check_data_integrity_proof(
    credential: &Value,
    proof: &Value,
    suite: ProofSuite,
    issuer: &str,
    resolver: &dyn Resolver,
    report: &mut Report,
) {
    if suite == ProofSuite::EcdsaSd2023 && di::is_ecdsa_sd_base_proof(proof) {
        report.push(
            "proof",
            "proof.sd_base_proof",
            Outcome::Failed,
            DataIntegrityError::SdBaseProof.to_string(),
        );
        return;
    }
    let Some(method) = di::proof_verification_method(proof) else {
        report.push(
            "proof",
            "proof.malformed",
            Outcome::Failed,
            "the proof has no verificationMethod",
        );
        return;
    };
    let key = match bind_fresh(resolver, &[issuer, method], || {
        keys::resolve_verification_key(resolver, issuer, method)
    }) {
        Ok(key) if suite.accepts(&key) => key,
        Ok(other) => {
            report.push(
                "issuer",
                "issuer.key_unsupported",
                Outcome::Failed,
                format!(
                    "{method} is a {} key; a {} proof needs {}",
                    other.kind(),
                    suite.name(),
                    suite.key_kind()
                ),
            );
            return;
        }
        Err(e) => {
            push_binding_failure(report, &e);
            return;
        }
    };
    report.push(
        "issuer",
        "issuer.key_bound",
        Outcome::Passed,
        format!("{method} is a key of the issuer {issuer}"),
    );
    match di::verify_proof_with(credential, proof, &key) {
        Ok(ProofVerdict::Valid) => {
            report.push(
                "proof",
                "proof.signature_valid",
                Outcome::Passed,
                format!("the {} signature holds", suite.name()),
            );
            if is_superseded(suite) {
                report.push(
                    "proof",
                    "proof.legacy_cryptosuite",
                    Outcome::Warning,
                    format!(
                        "{} is a superseded proof format; eddsa-rdfc-2022 replaces it",
                        suite.name()
                    ),
                );
            }
        }
        Ok(ProofVerdict::Invalid { reason }) => {
            let code = match reason {
                InvalidProofReason::UndefinedTerm(_) => "proof.undefined_term",
                _ => "proof.signature_invalid",
            };
            report.push("proof", code, Outcome::Failed, reason.to_string());
        }
        Err(e) => {
            let code = match e {
                DataIntegrityError::UnknownContext { .. } => "proof.unknown_context",
                DataIntegrityError::UndefinedTerm(_) => "proof.undefined_term",
                DataIntegrityError::SdBaseProof => "proof.sd_base_proof",
                DataIntegrityError::TooComplex(_) | DataIntegrityError::ContextTooLarge(_) => {
                    "proof.too_complex"
                }
                _ => "proof.malformed",
            };
            report.push("proof", code, Outcome::Failed, e.to_string());
        }
    }
}

/// Suites replaced by `eddsa-rdfc-2022`: still verified, with a warning.
/// `ecdsa-rdfc-2019` and `ecdsa-sd-2023` are current W3C Recommendations.
fn is_superseded(suite: ProofSuite) -> bool {
    matches!(
        suite,
        ProofSuite::Eddsa2022 | ProofSuite::Ed25519Signature2020 | ProofSuite::Ed25519Signature2018
    )
}

/// Key binding, asked once more from the source when the key was missing
/// from a kept copy of a document it depends on (`documents`: the issuer's,
/// the key's): keys rotate, and a verifier that kept this morning's DID
/// document must still accept a badge signed since with the new key.
fn bind_fresh<T>(
    resolver: &dyn Resolver,
    documents: &[&str],
    bind: impl Fn() -> Result<T, BindingError>,
) -> Result<T, BindingError> {
    let first = bind();
    let missing = matches!(
        first,
        Err(BindingError::NotBound { .. } | BindingError::MethodNotFound { .. })
    );
    // Every document is refreshed (no short-circuit): either may be stale.
    if missing
        && documents
            .iter()
            .fold(false, |any, id| resolver.refresh(id) | any)
    {
        return bind();
    }
    first
}

fn push_binding_failure(report: &mut Report, error: &BindingError) {
    report.push("issuer", error.code(), Outcome::Failed, error.to_string());
}

/// Reads a VC-JWT unverified, with its credential as a `Value` for the checks
/// that read the document: the one `Value` the pipeline builds of it.
pub fn read_jwt(token: &str) -> Result<(UnverifiedJwt<CredentialJson>, Value), JwtError> {
    let jwt = UnverifiedJwt::decode(token)?;
    let document = jwt.credential.to_value()?;
    Ok((jwt, document))
}

/// Checks a VC-JWT already decoded with [`read_jwt`]: the key is resolved from
/// the header and bound to the issuer, then the signature and the registered
/// claims are verified. Returns the claims when it verified, for the validity
/// stage.
pub fn check_jwt<C>(
    jwt: UnverifiedJwt<C>,
    resolver: &dyn Resolver,
    report: &mut Report,
) -> Option<JwtClaims> {
    let Some(issuer) = jwt.issuer_id().map(str::to_owned) else {
        report.push(
            "issuer",
            "issuer.missing",
            Outcome::Failed,
            "the credential names no issuer whose key could be checked",
        );
        return None;
    };
    let kid = jwt.header.kid.as_deref().unwrap_or(&issuer);
    let key = match bind_fresh(resolver, &[&issuer, kid], || {
        keys::resolve_jwt_key(
            resolver,
            &issuer,
            jwt.header.kid.as_deref(),
            jwt.header.jwk.as_ref(),
        )
    }) {
        Ok(key) => key,
        Err(e) => {
            push_binding_failure(report, &e);
            return None;
        }
    };
    report.push(
        "issuer",
        "issuer.key_bound",
        Outcome::Passed,
        format!("the signing key belongs to the issuer {issuer}"),
    );
    match jwt.verify(&key) {
        Ok(verified) => {
            report.push(
                "proof",
                "proof.signature_valid",
                Outcome::Passed,
                format!(
                    "the VC-JWT {} signature holds",
                    verified.header.alg.as_str()
                ),
            );
            for warning in &verified.warnings {
                let (code, message) = match warning {
                    JwtWarning::MissingSubject => (
                        "proof.jwt_claims",
                        "the JWT has no sub claim although the subject has an id",
                    ),
                    JwtWarning::MissingExpiration => (
                        "proof.jwt_claims",
                        "the JWT has no exp claim although the credential expires",
                    ),
                    JwtWarning::MissingNotBefore => (
                        "proof.jwt_nbf_missing",
                        "the JWT has no nbf claim; the credential's validFrom gives its start",
                    ),
                    _ => (
                        "proof.jwt_claims",
                        "the JWT claims deviate from Open Badges 3.0 section 8.2",
                    ),
                };
                report.push("proof", code, Outcome::Warning, message);
            }
            Some(verified.claims)
        }
        Err(e) => {
            report.push("proof", jwt_error_code(&e), Outcome::Failed, e.to_string());
            None
        }
    }
}

/// The stable report code of a VC-JWT error.
pub fn jwt_error_code(error: &JwtError) -> &'static str {
    match error {
        JwtError::AlgorithmNone
        | JwtError::SymmetricAlgorithm(_)
        | JwtError::UnsupportedAlgorithm(_) => "proof.algorithm_refused",
        JwtError::HeaderParameterNotAllowed(_) => "proof.header_not_allowed",
        JwtError::PrivateKeyInHeader(_) => "proof.private_key_in_header",
        JwtError::KeyAlgorithmMismatch { .. } => "proof.algorithm_key_mismatch",
        JwtError::InvalidSignature => "proof.signature_invalid",
        JwtError::MissingClaim(_) | JwtError::InvalidClaim { .. } => "proof.jwt_claims_invalid",
        JwtError::ClaimMismatch { .. } => "proof.jwt_claims_mismatch",
        _ => "proof.malformed",
    }
}
