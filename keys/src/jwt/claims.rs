//! The registered JWT claims of a VC-JWT and their agreement with the credential
//! (OB 3.0 §8.2.4.1 and §8.2.6.1).
//!
//! Rules applied by [`JwtClaims::check_against`]:
//! - `iss` is required and equals `issuer.id` (or `issuer` when it is a string);
//! - `jti` is required and equals the credential `id`;
//! - `sub`, if present, equals `credentialSubject.id`; absent while the subject has an
//!   id, it is a [`JwtWarning::MissingSubject`] (the 1EdTech validator's own fixtures
//!   omit it and are expected valid);
//! - `nbf`, if present, equals `validFrom` (VC 1.1: `issuanceDate`) to the second;
//!   absent while the credential has `validFrom`, it is a
//!   [`JwtWarning::MissingNotBefore`] (the credential's own date still bounds the
//!   validity; the 1EdTech validator and DCC's verifier accept it); absent with no
//!   `validFrom` either, the token says nothing of when it starts and is refused;
//! - `exp`, if present, equals `validUntil` (`expirationDate`) when the credential has
//!   one, and otherwise stands for it (§8.2.6.1); `validUntil` without `exp` is a
//!   [`JwtWarning::MissingExpiration`].

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::members::Member;
use super::payload::ClaimMembers;
use super::JwtError;

/// The JWT claim names of RFC 7519 §4.1. In the VC-DM 2.0 payload style they are
/// removed from the payload to give back the credential.
pub const REGISTERED_CLAIMS: [&str; 7] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

/// The registered claims of a VC-JWT (NumericDates in seconds since the epoch).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JwtClaims {
    /// Issuer: the credential's `issuer.id`.
    pub iss: Option<String>,
    /// Subject: the credential's `credentialSubject.id`.
    pub sub: Option<String>,
    /// JWT id: the credential's `id`.
    pub jti: Option<String>,
    /// Audience, as found (a string or an array).
    pub aud: Option<Value>,
    /// Not before: the credential's `validFrom`.
    pub nbf: Option<i64>,
    /// Expiration: the credential's `validUntil`.
    pub exp: Option<i64>,
    /// Issued at.
    pub iat: Option<i64>,
}

/// A deviation from OB 3.0 §8.2 that does not invalidate the proof.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JwtWarning {
    /// No `sub` claim although `credentialSubject.id` exists (§8.2.6.1 requires it).
    MissingSubject,
    /// No `exp` claim although the credential has `validUntil` / `expirationDate`.
    MissingExpiration,
    /// No `nbf` claim although the credential has `validFrom` / `issuanceDate`
    /// (§8.2.4.1 requires it); the credential's date bounds the validity.
    MissingNotBefore,
}

/// What the claims are compared with, read from the credential: its `id`, `issuer`
/// (a string or `issuer.id`), the id of its single subject, and its dates as found
/// (VC-DM 2.0 names first, then 1.1), judged only when compared.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CredentialFacts {
    pub(crate) id: Option<String>,
    pub(crate) issuer_id: Option<String>,
    pub(crate) subject_id: Option<String>,
    pub(crate) valid_from: Option<Member<'static>>,
    pub(crate) valid_until: Option<Member<'static>>,
}

impl JwtClaims {
    /// Reads the registered claims, checking their types.
    pub(crate) fn read(members: ClaimMembers<'_>) -> Result<Self, JwtError> {
        let date =
            |claim, member: Option<Member<'_>>| member.map(|m| numeric_date(claim, &m)).transpose();
        Ok(Self {
            iss: members.iss.map(|m| string_claim("iss", m)).transpose()?,
            sub: members.sub.map(|m| string_claim("sub", m)).transpose()?,
            jti: members.jti.map(|m| string_claim("jti", m)).transpose()?,
            aud: members.aud,
            nbf: date("nbf", members.nbf)?,
            exp: date("exp", members.exp)?,
            iat: date("iat", members.iat)?,
        })
    }

    /// `nbf` as a date-time.
    pub fn not_before(&self) -> Option<DateTime<Utc>> {
        self.nbf
            .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
    }

    /// `exp` as a date-time: the credential's end of validity (§8.2.6.1).
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.exp
            .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
    }

    /// `iat` as a date-time.
    pub fn issued_at(&self) -> Option<DateTime<Utc>> {
        self.iat
            .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
    }

    /// Compares the claims with the credential (rules in the module documentation).
    pub(crate) fn check_against(
        &self,
        facts: &CredentialFacts,
    ) -> Result<Vec<JwtWarning>, JwtError> {
        let valid_from = facts.valid_from()?;
        let valid_until = facts.valid_until()?;
        let mut warnings = Vec::new();
        same_text("iss", self.iss.as_deref(), facts.issuer_id.as_deref(), true)?;
        same_text("jti", self.jti.as_deref(), facts.id.as_deref(), true)?;
        if self.sub.is_none() && facts.subject_id.is_some() {
            warnings.push(JwtWarning::MissingSubject);
        } else {
            same_text(
                "sub",
                self.sub.as_deref(),
                facts.subject_id.as_deref(),
                false,
            )?;
        }
        match (self.nbf, valid_from) {
            (Some(nbf), _) => same_date("nbf", nbf, valid_from)?,
            (None, Some(_)) => warnings.push(JwtWarning::MissingNotBefore),
            (None, None) => return Err(JwtError::MissingClaim("nbf")),
        }
        match (self.exp, valid_until) {
            (Some(exp), Some(_)) => same_date("exp", exp, valid_until)?,
            (None, Some(_)) => warnings.push(JwtWarning::MissingExpiration),
            (_, None) => {}
        }
        Ok(warnings)
    }
}

impl CredentialFacts {
    /// `validFrom` (VC 1.1: `issuanceDate`) in seconds.
    pub(crate) fn valid_from(&self) -> Result<Option<i64>, JwtError> {
        credential_date("validFrom", self.valid_from.as_ref())
    }

    /// `validUntil` (VC 1.1: `expirationDate`) in seconds.
    pub(crate) fn valid_until(&self) -> Result<Option<i64>, JwtError> {
        credential_date("validUntil", self.valid_until.as_ref())
    }
}

/// Adds `iss`, `jti`, `sub`, `nbf`, `exp` and `iat` derived from the credential's `facts`.
pub(crate) fn add_registered_claims(
    payload: &mut Map<String, Value>,
    facts: &CredentialFacts,
    issued_at: DateTime<Utc>,
) -> Result<(), JwtError> {
    if let Some(name) = REGISTERED_CLAIMS
        .iter()
        .find(|name| payload.contains_key(**name))
    {
        return Err(JwtError::InvalidCredential(format!(
            "the credential already has a {name:?} property"
        )));
    }
    let missing = |what: &str| JwtError::InvalidCredential(format!("no {what}"));
    let issuer = facts
        .issuer_id
        .clone()
        .ok_or_else(|| missing("issuer id"))?;
    let id = facts.id.clone().ok_or_else(|| missing("id"))?;
    let valid_from = facts.valid_from()?.ok_or_else(|| missing("validFrom"))?;
    let valid_until = facts.valid_until()?;
    payload.insert("iss".into(), issuer.into());
    payload.insert("jti".into(), id.into());
    if let Some(subject) = &facts.subject_id {
        payload.insert("sub".into(), subject.clone().into());
    }
    payload.insert("nbf".into(), valid_from.into());
    if let Some(valid_until) = valid_until {
        payload.insert("exp".into(), valid_until.into());
    }
    payload.insert("iat".into(), issued_at.timestamp().into());
    Ok(())
}

fn string_claim(claim: &'static str, member: Member<'_>) -> Result<String, JwtError> {
    match member {
        Member::Text(text) => Ok(text.into_owned()),
        _ => Err(JwtError::InvalidClaim {
            claim,
            reason: "not a string".into(),
        }),
    }
}

/// A NumericDate (RFC 7519 §2): seconds, possibly fractional, truncated to the second.
fn numeric_date(claim: &'static str, member: &Member<'_>) -> Result<i64, JwtError> {
    let invalid = |reason: &str| JwtError::InvalidClaim {
        claim,
        reason: reason.into(),
    };
    let seconds = match *member {
        Member::Integer(seconds) => seconds,
        Member::Float(float) => {
            // Range-checked before the cast, so the cast cannot saturate silently.
            if !float.is_finite() || float.abs() > 1e15 {
                return Err(invalid("out of range"));
            }
            float.floor() as i64
        }
        Member::Text(_) | Member::Other => return Err(invalid("not a number")),
    };
    DateTime::from_timestamp(seconds, 0)
        .map(|_| seconds)
        .ok_or_else(|| invalid("out of range"))
}

/// A credential date (RFC 3339) in seconds; `name` is the VC-DM 2.0 name, for errors.
fn credential_date(name: &str, member: Option<&Member<'_>>) -> Result<Option<i64>, JwtError> {
    let Some(member) = member else {
        return Ok(None);
    };
    let Member::Text(text) = member else {
        return Err(JwtError::InvalidCredential(format!(
            "{name} is not a string"
        )));
    };
    DateTime::parse_from_rfc3339(text)
        .map(|date| Some(date.timestamp()))
        .map_err(|e| JwtError::InvalidCredential(format!("{name} {text:?}: {e}")))
}

fn same_text(
    claim: &'static str,
    claim_value: Option<&str>,
    credential_value: Option<&str>,
    required: bool,
) -> Result<(), JwtError> {
    match (claim_value, credential_value) {
        (None, _) if required => Err(JwtError::MissingClaim(claim)),
        (None, None) => Ok(()),
        (Some(a), Some(b)) if a == b => Ok(()),
        (a, b) => Err(JwtError::ClaimMismatch {
            claim,
            claim_value: a.map_or("(absent)".into(), |a| format!("{a:?}")),
            credential_value: b.map_or("(absent)".into(), |b| format!("{b:?}")),
        }),
    }
}

fn same_date(claim: &'static str, seconds: i64, credential: Option<i64>) -> Result<(), JwtError> {
    if credential == Some(seconds) {
        return Ok(());
    }
    let show = |seconds: i64| {
        DateTime::from_timestamp(seconds, 0).map_or(seconds.to_string(), |d| d.to_rfc3339())
    };
    Err(JwtError::ClaimMismatch {
        claim,
        claim_value: show(seconds),
        credential_value: credential.map_or("(absent)".into(), show),
    })
}
