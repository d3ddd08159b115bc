//! The award's types: the request, the stored row, the API view, and the
//! checks a request passes before anything is signed.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use schemas::OpenBadgeCredential;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{claim, AwardError};
use crate::db::schema::awards;
use crate::delivery::DeliveryStatus;
use crate::i18n::Lang;
use crate::ids::OrgId;
use crate::master_key::MasterKey;
use crate::metrics::{AwardPath, Metrics};
use crate::org_keys::KeyAlgorithm;
use crate::text;
use crate::time::rfc3339;

/// Longest recipient name, in characters.
pub const MAX_NAME: usize = 200;
/// Longest narrative, in characters.
pub const MAX_NARRATIVE: usize = 5000;
/// Longest evidence URL, in bytes.
pub const MAX_URL: usize = 2000;
/// Longest idempotency key, in bytes.
pub const MAX_IDEMPOTENCY_KEY: usize = 200;
/// Longest revocation reason, in characters.
pub const MAX_REASON: usize = 500;

/// What every issuing operation needs besides the database.
pub struct IssueContext<'a> {
    /// Public base URL, no trailing slash.
    pub base: String,
    /// Opens the organisation's sealed private keys.
    pub master_key: &'a MasterKey,
    /// The issuance instant (`validFrom`, proof `created`).
    pub now: DateTime<Utc>,
    /// Where new awards are counted for `/metrics`, and as made by which
    /// path; `None` (the command line): not counted.
    pub counted: Option<(&'a Metrics, AwardPath)>,
}

impl<'a> IssueContext<'a> {
    /// A context at the current time.
    pub fn new(base: impl Into<String>, master_key: &'a MasterKey) -> Self {
        Self {
            base: base.into(),
            master_key,
            now: Utc::now(),
            counted: None,
        }
    }

    /// The same context, counting the awards it makes in `metrics` as made by `path`.
    pub fn counted(mut self, metrics: &'a Metrics, path: AwardPath) -> Self {
        self.counted = Some((metrics, path));
        self
    }
}

/// How the credential is secured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CredentialFormat {
    /// Data Integrity `eddsa-rdfc-2022` with the organisation's Ed25519 key.
    #[default]
    Di,
    /// VC-JWT `RS256` with the organisation's RSA key.
    Jwt,
}

impl CredentialFormat {
    /// The stored and requested name: `di` or `jwt`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Di => "di",
            Self::Jwt => "jwt",
        }
    }

    /// Parses `di` or `jwt`.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "di" => Some(Self::Di),
            "jwt" => Some(Self::Jwt),
            _ => None,
        }
    }

    /// The key algorithm that secures this format.
    pub(crate) fn algorithm(self) -> KeyAlgorithm {
        match self {
            Self::Di => KeyAlgorithm::Ed25519,
            Self::Jwt => KeyAlgorithm::Rs256,
        }
    }
}

/// A request to award an achievement to one participant.
#[derive(Debug, Clone)]
pub struct AwardRequest {
    /// The achievement (its current version is awarded).
    pub achievement_id: String,
    /// The participant's name, 1 to [`MAX_NAME`] characters.
    pub recipient_name: String,
    /// Their e-mail address; without one the award gets a claim code.
    pub recipient_email: Option<String>,
    /// Whether the credential may show the plain name.
    pub name_consent: bool,
    /// What the participant did, in words.
    pub narrative: Option<String>,
    /// An http(s) URL of evidence.
    pub evidence_url: Option<String>,
    /// Data Integrity or VC-JWT.
    pub format: CredentialFormat,
    /// Repeating a request with the same key returns the same award.
    pub idempotency_key: Option<String>,
    /// The language the participant reads: their e-mail is written in it.
    pub recipient_language: Lang,
}

/// A stored award.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = awards)]
pub struct Award {
    /// Award id (UUID).
    pub id: String,
    /// Issuing organisation.
    pub org_id: OrgId,
    /// The achievement version awarded.
    pub achievement_version_id: String,
    /// The participant's name as typed.
    pub recipient_name: String,
    /// Their e-mail address.
    pub recipient_email: Option<String>,
    /// 1 when the credential shows the plain name.
    pub name_consent: i32,
    /// Narrative.
    pub narrative: Option<String>,
    /// Evidence URL.
    pub evidence_url: Option<String>,
    /// [`CredentialFormat::as_str`].
    pub format: String,
    /// The credential JSON (with its Data Integrity proof, or the content of the JWT).
    pub credential: String,
    /// Status list.
    pub status_list_id: String,
    /// Index in the status list.
    pub status_index: i32,
    /// Random token of the credential URL.
    pub public_token: String,
    /// Claim code (`XXXX-XXXX`): in the e-mail, or printed.
    pub claim_code: Option<String>,
    /// Idempotency key of the request that created it.
    pub idempotency_key: Option<String>,
    /// User id or `cli`.
    pub awarded_by: String,
    /// Revoked, Unix seconds.
    pub revoked_at: Option<i64>,
    /// Why it was revoked.
    pub revocation_reason: Option<String>,
    /// Created, Unix seconds.
    pub created_at: i64,
    /// The compact VC-JWT of a `jwt` award.
    pub credential_jwt: Option<String>,
    /// The participant's language: `fr` or `en`.
    pub recipient_language: String,
}

/// An award row as inserted, borrowing from an [`Award`]. `None` is written as
/// `NULL` (no column has a default), which lets SQLite take many rows in one
/// `INSERT`.
#[derive(Debug, Insertable)]
#[diesel(table_name = awards, treat_none_as_default_value = false)]
pub(crate) struct NewAward<'a> {
    id: &'a str,
    org_id: &'a str,
    achievement_version_id: &'a str,
    recipient_name: &'a str,
    recipient_email: Option<&'a str>,
    name_consent: i32,
    narrative: Option<&'a str>,
    evidence_url: Option<&'a str>,
    format: &'a str,
    credential: &'a str,
    status_list_id: &'a str,
    status_index: i32,
    public_token: &'a str,
    claim_code: Option<&'a str>,
    idempotency_key: Option<&'a str>,
    awarded_by: &'a str,
    revoked_at: Option<i64>,
    revocation_reason: Option<&'a str>,
    created_at: i64,
    credential_jwt: Option<&'a str>,
    recipient_language: &'a str,
    /// [`super::search::search_text`] of the name, e-mail and code.
    search_text: String,
}

impl<'a> From<&'a Award> for NewAward<'a> {
    fn from(a: &'a Award) -> Self {
        Self {
            id: &a.id,
            org_id: a.org_id.as_str(),
            achievement_version_id: &a.achievement_version_id,
            recipient_name: &a.recipient_name,
            recipient_email: a.recipient_email.as_deref(),
            name_consent: a.name_consent,
            narrative: a.narrative.as_deref(),
            evidence_url: a.evidence_url.as_deref(),
            format: &a.format,
            credential: &a.credential,
            status_list_id: &a.status_list_id,
            status_index: a.status_index,
            public_token: &a.public_token,
            claim_code: a.claim_code.as_deref(),
            idempotency_key: a.idempotency_key.as_deref(),
            awarded_by: &a.awarded_by,
            revoked_at: a.revoked_at,
            revocation_reason: a.revocation_reason.as_deref(),
            created_at: a.created_at,
            credential_jwt: a.credential_jwt.as_deref(),
            recipient_language: &a.recipient_language,
            search_text: super::search::search_text(
                &a.recipient_name,
                a.recipient_email.as_deref(),
                a.claim_code.as_deref(),
            ),
        }
    }
}

impl Award {
    /// Whether the award is revoked.
    pub fn is_revoked(&self) -> bool {
        self.revoked_at.is_some()
    }

    /// The stored credential JSON.
    pub fn credential_json(&self) -> Result<Value, AwardError> {
        serde_json::from_str(&self.credential).map_err(|source| AwardError::StoredCredential {
            award_id: self.id.clone(),
            source,
        })
    }

    /// The stored credential read through the model (an erased award's
    /// credential is not one).
    pub fn stored_credential(&self) -> Result<OpenBadgeCredential, AwardError> {
        serde_json::from_str(&self.credential).map_err(|source| AwardError::StoredCredential {
            award_id: self.id.clone(),
            source,
        })
    }

    /// The badge's name as the credential states it; empty when it states
    /// none (an erased award).
    pub fn badge_name(&self) -> String {
        self.stored_credential()
            .ok()
            .and_then(|c| c.credential_subject.achievement)
            .map(|achievement| achievement.name)
            .unwrap_or_default()
    }

    /// How the credential is secured.
    pub fn credential_format(&self) -> CredentialFormat {
        CredentialFormat::parse(&self.format).unwrap_or_default()
    }
}

/// The credential's public URL (its `id`).
pub fn credential_url(base: &str, public_token: &str) -> String {
    format!("{base}/credentials/{public_token}")
}

/// An award as the API answers it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Award)]
pub struct AwardView {
    /// Award id.
    pub id: String,
    /// Achievement version awarded.
    pub achievement_version_id: String,
    /// Participant's name.
    pub recipient_name: String,
    /// Participant's e-mail.
    pub recipient_email: Option<String>,
    /// The language of their e-mail: `fr` or `en`.
    pub recipient_language: String,
    /// Whether the credential shows the plain name.
    pub name_consent: bool,
    /// Narrative.
    pub narrative: Option<String>,
    /// Evidence URL.
    pub evidence_url: Option<String>,
    /// How the credential is secured.
    #[schema(inline)]
    pub format: CredentialFormat,
    /// The credential's id and page.
    #[schema(format = "uri")]
    pub credential_url: String,
    /// The credential JSON document.
    #[schema(format = "uri")]
    pub json_url: String,
    /// The VC-JWT document (`jwt` awards).
    #[schema(format = "uri")]
    pub jwt_url: Option<String>,
    /// Claim code.
    pub claim_code: Option<String>,
    /// Claim page.
    #[schema(format = "uri")]
    pub claim_url: Option<String>,
    /// Who awarded it.
    pub awarded_by: String,
    /// Created, RFC 3339.
    #[schema(format = DateTime)]
    pub created_at: Option<String>,
    /// Whether it is revoked.
    pub revoked: bool,
    /// Revoked, RFC 3339.
    #[schema(format = DateTime)]
    pub revoked_at: Option<String>,
    /// Why.
    pub revocation_reason: Option<String>,
    /// The credential (single-award answers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub credential: Option<Value>,
    /// The VC-JWT (single-award answers of `jwt` awards only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwt: Option<String>,
    /// How it reached the participant: `sent` (the mail server accepted the
    /// e-mail with the claim link), `failed` (see `delivery_reason`),
    /// `no_address` or `no_smtp` (no e-mail: hand over the claim code);
    /// `null` when not recorded (awarded before deliveries were recorded).
    #[schema(schema_with = crate::openapi::nullable_delivery_status)]
    pub delivery: Option<DeliveryStatus>,
    /// Why the e-mail failed (`delivery` is `failed`); never the server's
    /// own words nor the address.
    #[schema(schema_with = crate::openapi::nullable_failure_reason)]
    pub delivery_reason: Option<String>,
    /// When the delivery was last attempted, RFC 3339.
    #[schema(format = DateTime)]
    pub delivery_at: Option<String>,
}

impl AwardView {
    /// The view of `award`; `full` adds the credential itself.
    pub fn new(award: &Award, base: &str, full: bool) -> Self {
        let url = credential_url(base, &award.public_token);
        Self {
            id: award.id.clone(),
            achievement_version_id: award.achievement_version_id.clone(),
            recipient_name: award.recipient_name.clone(),
            recipient_email: award.recipient_email.clone(),
            recipient_language: award.recipient_language.clone(),
            name_consent: award.name_consent != 0,
            narrative: award.narrative.clone(),
            evidence_url: award.evidence_url.clone(),
            format: award.credential_format(),
            json_url: format!("{url}.json"),
            jwt_url: award.credential_jwt.as_ref().map(|_| format!("{url}.jwt")),
            credential_url: url,
            claim_code: award.claim_code.clone(),
            claim_url: award
                .claim_code
                .as_deref()
                .map(|c| claim::claim_url(base, c)),
            awarded_by: award.awarded_by.clone(),
            created_at: rfc3339(award.created_at),
            revoked: award.is_revoked(),
            revoked_at: award.revoked_at.and_then(rfc3339),
            revocation_reason: award.revocation_reason.clone(),
            credential: full.then(|| award.credential_json().ok()).flatten(),
            jwt: if full {
                award.credential_jwt.clone()
            } else {
                None
            },
            delivery: None,
            delivery_reason: None,
            delivery_at: None,
        }
    }
}

/// Checks a request; its text is trimmed and NFC ([`crate::text`]).
pub(crate) fn checked(mut request: AwardRequest) -> Result<AwardRequest, AwardError> {
    request.recipient_name = text::line("recipient_name", &request.recipient_name)?;
    let length = request.recipient_name.chars().count();
    if length == 0 || length > MAX_NAME {
        return Err(AwardError::InvalidRecipientName);
    }
    request.recipient_email =
        text::optional_line("recipient_email", request.recipient_email.as_deref())?;
    if let Some(email) = &request.recipient_email {
        if email.len() > 254 || !crate::users::looks_like_email(email) {
            return Err(AwardError::InvalidRecipientEmail);
        }
    }
    request.narrative = text::optional_paragraphs("narrative", request.narrative.as_deref())?;
    if request
        .narrative
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_NARRATIVE)
    {
        return Err(AwardError::InvalidNarrative);
    }
    request.evidence_url = text::optional_line("evidence_url", request.evidence_url.as_deref())?;
    if let Some(url) = &request.evidence_url {
        if !is_http_url(url) {
            return Err(AwardError::InvalidEvidenceUrl);
        }
    }
    request.idempotency_key = request
        .idempotency_key
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty());
    if let Some(key) = &request.idempotency_key {
        if key.len() > MAX_IDEMPOTENCY_KEY || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(AwardError::InvalidIdempotencyKey);
        }
    }
    Ok(request)
}

/// Whether `value` is an absolute http(s) URL of at most [`MAX_URL`] bytes.
pub fn is_http_url(value: &str) -> bool {
    value.len() <= MAX_URL
        && url::Url::parse(value).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}
