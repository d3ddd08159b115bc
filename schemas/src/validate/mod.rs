//! Validation of credentials and profiles against the bundled 1EdTech JSON
//! Schemas, plus the OB 3.0 rules a schema cannot express.
//!
//! How a document is checked:
//! 1. its kind is chosen by `type`: `OpenBadgeCredential` or
//!    `AchievementCredential` -> the AchievementCredential schema,
//!    `EndorsementCredential` -> the EndorsementCredential schema
//!    ([`validate_credential`]); `Profile` -> the Profile schema ([`validate_profile`]);
//! 2. a copy is [normalised](normalise) to the schema's cardinalities, because
//!    the canonical schemas reject the compacted forms JSON-LD allows (a single
//!    `type` string, a single `proof` object);
//! 3. VC 1.1 credentials (first context `https://www.w3.org/2018/credentials/v1`,
//!    dates `issuanceDate`/`expirationDate`) are checked against the same
//!    VC 2.0-shaped schemas by mapping, on the copy only, `issuanceDate` to
//!    `validFrom`, `expirationDate` to `validUntil` and the first context to
//!    the 2.0 one; findings are reported back with the 1.1 property names.
//!    The VC-1.1-tolerant schemas 1EdTech serves were never published in a
//!    repository, so this mapping stands in for them;
//! 4. extra rules: `@context` order (VC context first, an OB 3.0 context
//!    present), every `@context` URL one of the bundled contexts, and every
//!    `AchievementSubject` identified by `id` or `identifier`.
//!
//! Every problem found is reported, not just the first.
//!
//! [`validate_credential`] is strict: what an issuer (ours) must produce.
//! [`validate_credential_tolerant`] is what a verifier applies: the few
//! deviations the ecosystem's verifiers accept and that do not touch trust
//! ([`Tolerance`]) are returned apart instead of failing.

mod describe;
mod normalise;
mod rules;
mod schemas;
mod tolerate;

use std::fmt;

use serde_json::Value;

use schemas::{
    CompiledSchema, ACHIEVEMENT_CREDENTIAL, ENDORSEMENT_CREDENTIAL, PROFILE, VC_ENVELOPE,
};
pub use tolerate::{Tolerance, Tolerated};

/// The kinds of document this crate validates, each with its bundled schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DocumentKind {
    /// An `OpenBadgeCredential` / `AchievementCredential`.
    AchievementCredential,
    /// An `EndorsementCredential`.
    EndorsementCredential,
    /// A `Profile` (an issuer profile document).
    Profile,
}

impl DocumentKind {
    /// The kind named by the document's `type` (a string or an array), if any.
    /// A credential type wins over `Profile`.
    pub fn of(doc: &Value) -> Option<DocumentKind> {
        let types = types_of(doc);
        let has = |name: &str| types.contains(&name);
        if has("OpenBadgeCredential") || has("AchievementCredential") {
            Some(DocumentKind::AchievementCredential)
        } else if has("EndorsementCredential") {
            Some(DocumentKind::EndorsementCredential)
        } else if has("Profile") {
            Some(DocumentKind::Profile)
        } else {
            None
        }
    }

    fn schema(self) -> Result<&'static CompiledSchema, SchemaError> {
        let loaded = match self {
            DocumentKind::AchievementCredential => &*ACHIEVEMENT_CREDENTIAL,
            DocumentKind::EndorsementCredential => &*ENDORSEMENT_CREDENTIAL,
            DocumentKind::Profile => &*PROFILE,
        };
        loaded
            .as_ref()
            .map_err(|reason| SchemaError::SchemaUnavailable {
                kind: self,
                reason: reason.clone(),
            })
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DocumentKind::AchievementCredential => "AchievementCredential",
            DocumentKind::EndorsementCredential => "EndorsementCredential",
            DocumentKind::Profile => "Profile",
        })
    }
}

/// One problem found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// JSON Pointer to the offending value (`""` is the whole document).
    pub path: String,
    /// What is wrong, in words.
    pub message: String,
}

impl Finding {
    /// A finding at `path` (a JSON Pointer).
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        write!(f, "{path}: {}", self.message)
    }
}

/// Why a document failed validation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaError {
    /// The document is not a JSON object.
    #[error("the document is not a JSON object")]
    NotAnObject,
    /// The `type` names no kind this function validates (e.g. `OtherCredential`).
    #[error("unsupported document type: {}", join(findings))]
    UnknownKind {
        /// What is wrong: the `type` finding first, then any `@context` findings.
        findings: Vec<Finding>,
    },
    /// The document does not conform to its kind's schema and rules.
    #[error("the {kind} does not conform: {}", join(findings))]
    Invalid {
        /// The kind chosen by `type`, hence the schema used.
        kind: DocumentKind,
        /// Every problem found.
        findings: Vec<Finding>,
    },
    /// A bundled schema could not be loaded: a defect of this build.
    #[error("the bundled {kind} schema could not be loaded: {reason}")]
    SchemaUnavailable {
        /// The kind whose schema is unusable.
        kind: DocumentKind,
        /// The parse or compile error.
        reason: String,
    },
}

impl SchemaError {
    /// The problems found (empty for errors that are not about the document).
    pub fn findings(&self) -> &[Finding] {
        match self {
            SchemaError::UnknownKind { findings } | SchemaError::Invalid { findings, .. } => {
                findings
            }
            SchemaError::NotAnObject | SchemaError::SchemaUnavailable { .. } => &[],
        }
    }
}

fn join(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(Finding::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Validates an `OpenBadgeCredential`/`AchievementCredential` or an
/// `EndorsementCredential` (VC 2.0 or 1.1 shape, compacted or not), strictly.
pub fn validate_credential(doc: &Value) -> Result<(), SchemaError> {
    check_credential(doc, false).1
}

/// Validates a credential as a verifier does: the deviations of
/// [`Tolerance`] are returned apart (with where they are) and do not fail
/// the validation; every other problem does. The tolerated deviations are
/// returned whatever the outcome.
pub fn validate_credential_tolerant(doc: &Value) -> (Vec<Tolerated>, Result<(), SchemaError>) {
    check_credential(doc, true)
}

fn check_credential(doc: &Value, tolerant: bool) -> (Vec<Tolerated>, Result<(), SchemaError>) {
    let Value::Object(map) = doc else {
        return (Vec::new(), Err(SchemaError::NotAnObject));
    };
    let mut findings = Vec::new();
    rules::credential_context(map, &mut findings);
    let kind = match DocumentKind::of(doc) {
        Some(
            kind @ (DocumentKind::AchievementCredential | DocumentKind::EndorsementCredential),
        ) => kind,
        _ => {
            let message = format!(
                "the type must include OpenBadgeCredential, AchievementCredential or \
                 EndorsementCredential; found {:?}",
                types_of(doc)
            );
            findings.insert(0, Finding::new("/type", message));
            return (Vec::new(), Err(SchemaError::UnknownKind { findings }));
        }
    };
    let mut tolerated = Vec::new();
    if kind == DocumentKind::AchievementCredential {
        for path in rules::unidentified_subjects(map) {
            if tolerant {
                tolerated.push(Tolerated {
                    tolerance: Tolerance::SubjectUnidentified,
                    path,
                });
            } else {
                findings.push(Finding::new(path, rules::UNIDENTIFIED_SUBJECT));
            }
        }
    }
    let result = check_schema(kind, doc, tolerant, &mut tolerated, &mut findings)
        .and_then(|()| verdict(kind, findings));
    (tolerated, result)
}

/// Validates a `Profile` document (an issuer profile as served at its URL).
/// Its `@context`, if present, may only name bundled contexts.
pub fn validate_profile(doc: &Value) -> Result<(), SchemaError> {
    let Value::Object(map) = doc else {
        return Err(SchemaError::NotAnObject);
    };
    let mut findings = Vec::new();
    rules::profile_context(map, &mut findings);
    check_schema(
        DocumentKind::Profile,
        doc,
        false,
        &mut Vec::new(),
        &mut findings,
    )?;
    verdict(DocumentKind::Profile, findings)
}

/// A copy of `doc` reshaped to the cardinalities of its kind's schema:
/// single values wrapped in arrays where the schema wants arrays (`type`,
/// `proof`, `@context`, `evidence`, `alignment`...), one-element arrays
/// unwrapped where it wants a string (`Image.type`, `Proof.type`...).
/// Documents of other kinds get the VC envelope's arrays (`@context`, `type`,
/// `proof`, ...). Dates and VC versions are left as they are.
pub fn normalise(doc: &Value) -> Value {
    match DocumentKind::of(doc).map(DocumentKind::schema) {
        Some(Ok(schema)) => normalise::normalise_with(&schema.document, doc).into_owned(),
        _ => normalise::normalise_with(&VC_ENVELOPE, doc).into_owned(),
    }
}

/// Checks `doc` against its kind's schema. With `tolerant`, the deviations
/// of [`Tolerance`] found in the schema's terms go to `tolerated` and are
/// repaired in the validated copy; otherwise the schema reports them.
fn check_schema(
    kind: DocumentKind,
    doc: &Value,
    tolerant: bool,
    tolerated: &mut Vec<Tolerated>,
    findings: &mut Vec<Finding>,
) -> Result<(), SchemaError> {
    let schema = kind.schema()?;
    // What is validated is `doc` itself unless a step below changes it: the
    // copy is made only then (a credential already in the schema's shape,
    // without deviation nor VC 1.1 part, is never copied).
    let mut copy = normalise::normalise_with(&schema.document, doc);
    if tolerant {
        let found = tolerate::find(&schema.document, &copy);
        if !found.is_empty() {
            tolerate::repair(copy.to_mut(), &found);
        }
        tolerated.extend(found);
    }
    let vc_v1 = rules::is_vc_v1(&copy);
    if rules::holds_vc_v1(&copy, 0) {
        rules::map_vc_v1_to_v2(copy.to_mut(), 0);
    }
    // A valid document (nearly every one a verifier sees) is answered by
    // `is_valid`, which stops at nothing and allocates nothing; the errors
    // are gathered, at a higher cost, only for a document that has some.
    if schema.validator.is_valid(&copy) {
        return Ok(());
    }
    let first = findings.len();
    let errors = schema.validator.iter_errors(&copy);
    describe::describe(schema, &schema.document, errors, "", 0, findings);
    if vc_v1 {
        for finding in &mut findings[first..] {
            finding.path = rules::in_vc_v1_terms(&finding.path);
            finding.message = rules::in_vc_v1_terms(&finding.message);
        }
    }
    Ok(())
}

fn verdict(kind: DocumentKind, findings: Vec<Finding>) -> Result<(), SchemaError> {
    if findings.is_empty() {
        Ok(())
    } else {
        Err(SchemaError::Invalid { kind, findings })
    }
}

/// The strings of `type`, whether a single string or an array.
fn types_of(doc: &Value) -> Vec<&str> {
    match doc.get("type") {
        Some(Value::String(single)) => vec![single.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    /// A credential as our issuer awards it is already in the schema's
    /// shape: validating it copies nothing.
    #[test]
    fn a_credential_in_shape_is_validated_without_a_copy() {
        let ours: Value = serde_json::from_str(include_str!(
            "../../../tests/fixtures/ours/unsigned-demarches.json"
        ))
        .unwrap();
        let schema = DocumentKind::AchievementCredential.schema().unwrap();
        assert!(matches!(
            normalise::normalise_with(&schema.document, &ours),
            Cow::Borrowed(_)
        ));
        assert!(!rules::holds_vc_v1(&ours, 0));
        assert!(tolerate::find(&schema.document, &ours).is_empty());
        let (tolerated, result) = validate_credential_tolerant(&ours);
        assert!(tolerated.is_empty());
        assert!(result.is_ok(), "{result:?}");
    }
}
