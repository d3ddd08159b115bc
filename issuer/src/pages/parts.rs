//! Pieces more than one page shows: the organisation heading, the award
//! form (on the badge page, posted to the award pages) and an award's
//! summary (the badge page's list, the award page).
//!
//! Shared pieces live here rather than in one of the pages that show them,
//! so that no page imports a sibling page for them.

use serde::Deserialize;

use crate::awards::{self, Award, AwardRequest, CredentialFormat};
use crate::delivery::Delivery;
use crate::orgs;
use crate::time::random_token;
use crate::users::Role;

/// The organisation shown in a page's heading and links.
#[derive(Debug, Clone)]
pub struct OrgHeading {
    /// URL name.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Whether the viewer is an admin there.
    pub admin: bool,
}

impl OrgHeading {
    /// The heading of `org` for a viewer with `role`.
    pub fn new(org: &orgs::Organisation, role: Role) -> Self {
        Self {
            slug: org.slug.to_string(),
            name: org.name.clone(),
            admin: role >= Role::Admin,
        }
    }
}

/// The award form's fields (also what is shown again after an error).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct AwardForm {
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
    /// One per rendered form: a double submit awards once.
    #[serde(default)]
    pub idempotency_key: String,
    /// Participant's name.
    #[serde(default)]
    pub name: String,
    /// Optional e-mail.
    #[serde(default)]
    pub email: String,
    /// Checkbox: the name may be written in the badge.
    #[serde(default)]
    pub consent: Option<String>,
    /// Optional narrative.
    #[serde(default)]
    pub narrative: String,
    /// `di` or `jwt`.
    #[serde(default)]
    pub format: String,
    /// The language of the participant's e-mail: `fr` (default) or `en`.
    #[serde(default)]
    pub language: String,
    /// Checkbox: award even though the person already has this badge.
    #[serde(default)]
    pub anyway: Option<String>,
}

impl AwardForm {
    /// The award request the form asks for, for the badge `achievement_id`.
    pub fn request(&self, achievement_id: &str) -> AwardRequest {
        let optional = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        AwardRequest {
            achievement_id: achievement_id.to_owned(),
            recipient_name: self.name.trim().to_owned(),
            recipient_email: optional(&self.email),
            name_consent: self.consent.is_some(),
            narrative: optional(&self.narrative),
            evidence_url: None,
            format: CredentialFormat::parse(&self.format).unwrap_or_default(),
            recipient_language: crate::i18n::Lang::from_tag(&self.language).unwrap_or_default(),
            idempotency_key: optional(&self.idempotency_key)
                .map(|k| format!("page:{}", k.chars().take(64).collect::<String>())),
        }
    }
}

/// A fresh idempotency key for a rendered award form.
pub fn new_form_key() -> String {
    random_token(16)
}

/// What the award page shows.
pub struct AwardSummary {
    /// Award id.
    pub id: String,
    /// Participant.
    pub name: String,
    /// E-mail, if any.
    pub email: Option<String>,
    /// Badge name.
    pub badge: String,
    /// Awarded, Unix seconds.
    pub created_at: i64,
    /// Revoked, Unix seconds.
    pub revoked_at: Option<i64>,
    /// Why.
    pub revocation_reason: Option<String>,
    /// Claim code, for participants without e-mail.
    pub claim_code: Option<String>,
    /// Whether the participant has opened it with the code.
    pub claimed: bool,
    /// The public badge page.
    pub public_url: String,
    /// Whether the name is written in the badge.
    pub name_shown: bool,
    /// `di` or `jwt`.
    pub format: String,
    /// The participant's data has been erased.
    pub erased: bool,
    /// How it reached the participant, when recorded.
    pub delivery: Option<Delivery>,
}

impl AwardSummary {
    /// The summary of an award.
    pub fn new(award: &Award, base: &str, claimed: bool) -> Self {
        Self {
            id: award.id.clone(),
            name: award.recipient_name.clone(),
            email: award.recipient_email.clone(),
            badge: award.badge_name(),
            created_at: award.created_at,
            revoked_at: award.revoked_at,
            revocation_reason: award.revocation_reason.clone(),
            claim_code: award.claim_code.clone(),
            claimed,
            public_url: awards::credential_url(base, &award.public_token),
            name_shown: award.name_consent != 0,
            format: award.format.clone(),
            erased: award.is_erased(),
            delivery: None,
        }
    }
}
