//! The Verifiable Credential envelope shared by `OpenBadgeCredential`
//! (`AchievementCredential`) and `EndorsementCredential`.
//!
//! One struct reads both the VC Data Model 2.0 shape (`validFrom`/`validUntil`,
//! <https://www.w3.org/TR/vc-data-model-2.0/>) and the 1.1 shape
//! (`issuanceDate`/`expirationDate`), which OB 3.0 credentials issued before
//! the 3.0.3 context still use. [`Credential::valid_from`] and
//! [`Credential::valid_until`] give the effective dates whichever shape is used.
//! Spec: <https://www.imsglobal.org/spec/ob/v3p0/#achievementcredential>.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::shape::one_or_many;
use super::{
    AchievementSubject, CredentialSchema, CredentialStatus, EndorsementSubject, Evidence, Image,
    Issuer, ModelError, Proof, RefreshService, TermsOfUse,
};

/// An `OpenBadgeCredential`: a credential whose subject is an [`AchievementSubject`].
pub type OpenBadgeCredential = Credential<AchievementSubject>;
/// `AchievementCredential` is the spec's other name for [`OpenBadgeCredential`].
pub type AchievementCredential = OpenBadgeCredential;
/// An `EndorsementCredential`: a third party's claim about a credential, an
/// achievement or a profile (<https://www.imsglobal.org/spec/ob/v3p0/#endorsementcredential>).
pub type EndorsementCredential = Credential<EndorsementSubject>;

/// The `@context` of a VC 2.0 credential.
pub const VC_V2_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
/// The `@context` of a VC 1.1 credential.
pub const VC_V1_CONTEXT: &str = "https://www.w3.org/2018/credentials/v1";
/// The current OB 3.0 context, the one this project emits.
pub const OB_V3_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

/// A Verifiable Credential with OB 3.0 properties, generic over its subject.
///
/// The subject type parameter selects the kind: see [`OpenBadgeCredential`] and
/// [`EndorsementCredential`]; `Credential<serde_json::Value>` reads any other
/// credential (a `BitstringStatusListCredential`, for example). Properties an
/// OB kind does not define (such as `evidence` on an endorsement) stay empty.
///
/// Only what makes a document a credential at all is required here:
/// `@context`, `type`, `issuer` and `credentialSubject`. Everything else is
/// optional so that a non-conforming credential can still be read and
/// reported; conformance is checked by [`crate::validate_credential`].
/// Unknown properties are kept in `extra`, so parsing and serialising again
/// loses nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(serialize = "S: Serialize", deserialize = "S: Deserialize<'de>"))]
pub struct Credential<S> {
    /// The JSON-LD contexts; first the VC context, then the OB 3.0 context.
    #[serde(rename = "@context", deserialize_with = "one_or_many")]
    pub context: Vec<ContextEntry>,
    /// Unambiguous reference to the credential (required by OB, optional in VC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The types, e.g. `["VerifiableCredential", "OpenBadgeCredential"]`.
    #[serde(rename = "type", deserialize_with = "one_or_many")]
    pub types: Vec<String>,
    /// Name of the credential for display in wallets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Short description of the credential for display in wallets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Image of the credential for display in wallets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// Who issued the credential: a URI or a [`Profile`](super::Profile).
    pub issuer: Issuer,
    /// VC 2.0: the earliest time the credential is valid.
    #[serde(default, rename = "validFrom", skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    /// VC 2.0: the time after which the credential is no longer valid.
    #[serde(
        default,
        rename = "validUntil",
        skip_serializing_if = "Option::is_none"
    )]
    pub valid_until: Option<String>,
    /// VC 1.1: the time the credential was issued (read as `validFrom`).
    #[serde(
        default,
        rename = "issuanceDate",
        skip_serializing_if = "Option::is_none"
    )]
    pub issuance_date: Option<String>,
    /// VC 1.1: the time the credential expires (read as `validUntil`).
    #[serde(
        default,
        rename = "expirationDate",
        skip_serializing_if = "Option::is_none"
    )]
    pub expiration_date: Option<String>,
    /// When the credential was originally awarded (kept across re-issues).
    #[serde(
        default,
        rename = "awardedDate",
        skip_serializing_if = "Option::is_none"
    )]
    pub awarded_date: Option<String>,
    /// The subject: an [`AchievementSubject`] or an [`EndorsementSubject`].
    #[serde(rename = "credentialSubject")]
    pub credential_subject: S,
    /// Endorsements of this credential.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub endorsement: Vec<EndorsementCredential>,
    /// Endorsements of this credential as compact JWS strings.
    #[serde(
        default,
        rename = "endorsementJwt",
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub endorsement_jwt: Vec<String>,
    /// Schemas the credential claims to conform to.
    #[serde(
        default,
        rename = "credentialSchema",
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub credential_schema: Vec<CredentialSchema>,
    /// Where to check whether the credential has been revoked.
    #[serde(
        default,
        rename = "credentialStatus",
        skip_serializing_if = "Option::is_none"
    )]
    pub credential_status: Option<CredentialStatus>,
    /// Where to obtain a refreshed copy of the credential.
    #[serde(
        default,
        rename = "refreshService",
        skip_serializing_if = "Option::is_none"
    )]
    pub refresh_service: Option<RefreshService>,
    /// Terms of use attached by the issuer.
    #[serde(
        default,
        rename = "termsOfUse",
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub terms_of_use: Vec<TermsOfUse>,
    /// Evidence of the achievement.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub evidence: Vec<Evidence>,
    /// Embedded proofs (Data Integrity or legacy linked-data signatures).
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub proof: Vec<Proof>,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl OpenBadgeCredential {
    /// An `OpenBadgeCredential` in the VC 2.0 shape this project emits: contexts
    /// VC 2.0 then OB 3.0.3, types `VerifiableCredential` and
    /// `OpenBadgeCredential`, `validFrom` as given (RFC 3339). No proof yet.
    pub fn new(
        id: impl Into<String>,
        issuer: Issuer,
        subject: AchievementSubject,
        valid_from: impl Into<String>,
    ) -> Self {
        Credential {
            context: vec![VC_V2_CONTEXT.into(), OB_V3_CONTEXT.into()],
            id: Some(id.into()),
            types: vec![
                "VerifiableCredential".to_owned(),
                "OpenBadgeCredential".to_owned(),
            ],
            name: None,
            description: None,
            image: None,
            awarded_date: None,
            credential_subject: subject,
            endorsement: Vec::new(),
            endorsement_jwt: Vec::new(),
            evidence: Vec::new(),
            issuer,
            valid_from: Some(valid_from.into()),
            valid_until: None,
            issuance_date: None,
            expiration_date: None,
            proof: Vec::new(),
            credential_schema: Vec::new(),
            credential_status: None,
            refresh_service: None,
            terms_of_use: Vec::new(),
            extra: Map::new(),
        }
    }
}

impl<S> Credential<S> {
    /// Whether `type` includes `name`.
    pub fn has_type(&self, name: &str) -> bool {
        self.types.iter().any(|t| t == name)
    }

    /// The effective start of validity: `validFrom`, else VC 1.1 `issuanceDate`.
    ///
    /// `Ok(None)` when neither is present; an error when the one present is
    /// not a date-time with a time zone.
    pub fn valid_from(&self) -> Result<Option<DateTime<FixedOffset>>, ModelError> {
        match (&self.valid_from, &self.issuance_date) {
            (Some(value), _) => parse_date("validFrom", value).map(Some),
            (None, Some(value)) => parse_date("issuanceDate", value).map(Some),
            (None, None) => Ok(None),
        }
    }

    /// The effective end of validity: `validUntil`, else VC 1.1 `expirationDate`.
    pub fn valid_until(&self) -> Result<Option<DateTime<FixedOffset>>, ModelError> {
        match (&self.valid_until, &self.expiration_date) {
            (Some(value), _) => parse_date("validUntil", value).map(Some),
            (None, Some(value)) => parse_date("expirationDate", value).map(Some),
            (None, None) => Ok(None),
        }
    }

    /// Whether the credential uses the VC 1.1 shape (its first context is
    /// `https://www.w3.org/2018/credentials/v1`).
    pub fn is_vc_v1(&self) -> bool {
        matches!(self.context.first(), Some(ContextEntry::Url(url)) if url == VC_V1_CONTEXT)
    }
}

/// Parses an RFC 3339 date-time (the XML Schema `dateTimeStamp` VCs use).
pub fn parse_date(
    property: &'static str,
    value: &str,
) -> Result<DateTime<FixedOffset>, ModelError> {
    DateTime::parse_from_rfc3339(value).map_err(|source| ModelError::InvalidDate {
        property,
        value: value.to_owned(),
        source,
    })
}

/// One entry of `@context`: a context URL or an inline context definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ContextEntry {
    /// A context known by its URL; it must be one of the bundled contexts.
    Url(String),
    /// An inline context definition.
    Inline(Map<String, Value>),
}

impl ContextEntry {
    /// The URL, for a context given by URL.
    pub fn url(&self) -> Option<&str> {
        match self {
            ContextEntry::Url(url) => Some(url),
            ContextEntry::Inline(_) => None,
        }
    }
}

impl From<&str> for ContextEntry {
    fn from(url: &str) -> Self {
        ContextEntry::Url(url.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn compacted() -> Value {
        json!({
            "@context": "https://www.w3.org/ns/credentials/v2",
            "type": "OpenBadgeCredential",
            "issuer": {"id": "https://example.org/issuer", "type": "Profile"},
            "validFrom": "2024-05-01T10:00:00+02:00",
            "credentialSubject": {
                "type": "AchievementSubject",
                "achievement": {
                    "id": "https://example.org/a/1",
                    "type": "Achievement",
                    "name": "Numérique",
                    "alignment": {"type": "Alignment", "targetName": "Pix", "targetUrl": "https://pix.fr"}
                }
            },
            "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofValue": "z1"}
        })
    }

    #[test]
    fn emitted_json_uses_arrays_for_multi_valued_properties() {
        let credential: OpenBadgeCredential = serde_json::from_value(compacted()).unwrap();
        let emitted = serde_json::to_value(&credential).unwrap();
        assert_eq!(emitted["type"], json!(["OpenBadgeCredential"]));
        assert_eq!(emitted["@context"], json!([VC_V2_CONTEXT]));
        assert_eq!(emitted["issuer"]["type"], json!(["Profile"]));
        assert_eq!(
            emitted["credentialSubject"]["type"],
            json!(["AchievementSubject"])
        );
        let achievement = &emitted["credentialSubject"]["achievement"];
        assert_eq!(achievement["type"], json!(["Achievement"]));
        assert_eq!(achievement["alignment"][0]["type"], json!(["Alignment"]));
        // Single-valued: the proof's own type stays a string.
        assert_eq!(
            emitted["proof"],
            json!([{"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofValue": "z1"}])
        );
    }

    #[test]
    fn dates_are_parsed_on_demand() {
        let mut credential: OpenBadgeCredential = serde_json::from_value(compacted()).unwrap();
        let start = credential.valid_from().unwrap().unwrap();
        assert_eq!(start.to_rfc3339(), "2024-05-01T10:00:00+02:00");
        credential.valid_until = Some("demain".to_owned());
        let error = credential.valid_until().unwrap_err();
        assert!(error.to_string().contains("`validUntil`"), "{error}");
        assert!(!credential.is_vc_v1());
        assert_eq!(credential.issuer.id(), "https://example.org/issuer");
    }

    #[test]
    fn missing_core_properties_are_named() {
        let mut doc = compacted();
        doc.as_object_mut().unwrap().remove("credentialSubject");
        let error = serde_json::from_value::<OpenBadgeCredential>(doc).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("missing field `credentialSubject`"),
            "{error}"
        );
        let mut doc = compacted();
        doc["issuer"] = json!(42);
        let error = serde_json::from_value::<OpenBadgeCredential>(doc).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("an issuer URI or a Profile object"),
            "{error}"
        );
    }
}
