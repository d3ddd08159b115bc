//! The registered JWT claims of a VC-JWT and their agreement with the credential
//! (OB 3.0 §8.2.4.1 and §8.2.6.1).
//!
//! Rules applied by [`JwtClaims::check_against`]:
//! - `iss` is required and equals `issuer.id` (or `issuer` when it is a string);
//! - `jti` is required and equals the credential `id`;
//! - `sub`, if present, equals `credentialSubject.id`; absent while the subject has an
//!   id, it is a [`JwtWarning::MissingSubject`] (the 1EdTech validator's own fixtures
//!   omit it and are expected valid);
//! - `nbf` is required and equals `validFrom` (VC 1.1: `issuanceDate`) to the second;
//! - `exp`, if present, equals `validUntil` (`expirationDate`) when the credential has
//!   one, and otherwise stands for it (§8.2.6.1); `validUntil` without `exp` is a
//!   [`JwtWarning::MissingExpiration`].

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

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
}

/// What the claims are compared with, read from the credential.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CredentialFacts<'a> {
    id: Option<&'a str>,
    issuer_id: Option<&'a str>,
    subject_id: Option<&'a str>,
    valid_from: Option<i64>,
    valid_until: Option<i64>,
}

impl JwtClaims {
    /// Removes the registered claims from `payload` and reads them.
    pub(crate) fn take_from(payload: &mut Map<String, Value>) -> Result<Self, JwtError> {
        let mut claims = Self::default();
        for name in REGISTERED_CLAIMS {
            let Some(value) = payload.remove(name) else {
                continue;
            };
            match name {
                "iss" => claims.iss = Some(string_claim("iss", value)?),
                "sub" => claims.sub = Some(string_claim("sub", value)?),
                "jti" => claims.jti = Some(string_claim("jti", value)?),
                "nbf" => claims.nbf = Some(numeric_date("nbf", &value)?),
                "exp" => claims.exp = Some(numeric_date("exp", &value)?),
                "iat" => claims.iat = Some(numeric_date("iat", &value)?),
                _ => claims.aud = Some(value),
            }
        }
        Ok(claims)
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
        facts: &CredentialFacts<'_>,
    ) -> Result<Vec<JwtWarning>, JwtError> {
        let mut warnings = Vec::new();
        same_text("iss", self.iss.as_deref(), facts.issuer_id, true)?;
        same_text("jti", self.jti.as_deref(), facts.id, true)?;
        if self.sub.is_none() && facts.subject_id.is_some() {
            warnings.push(JwtWarning::MissingSubject);
        } else {
            same_text("sub", self.sub.as_deref(), facts.subject_id, false)?;
        }
        let nbf = self.nbf.ok_or(JwtError::MissingClaim("nbf"))?;
        same_date("nbf", nbf, facts.valid_from)?;
        match (self.exp, facts.valid_until) {
            (Some(exp), Some(_)) => same_date("exp", exp, facts.valid_until)?,
            (None, Some(_)) => warnings.push(JwtWarning::MissingExpiration),
            (_, None) => {}
        }
        Ok(warnings)
    }
}

impl<'a> CredentialFacts<'a> {
    /// Reads ids and dates from a credential (VC-DM 2.0 or 1.1 names).
    pub(crate) fn of(credential: &'a Map<String, Value>) -> Result<Self, JwtError> {
        let issuer_id = match credential.get("issuer") {
            Some(Value::String(id)) => Some(id.as_str()),
            Some(issuer) => issuer.get("id").and_then(Value::as_str),
            None => None,
        };
        let subject = match credential.get("credentialSubject") {
            Some(Value::Array(subjects)) if subjects.len() == 1 => subjects.first(),
            other => other,
        };
        Ok(Self {
            id: credential.get("id").and_then(Value::as_str),
            issuer_id,
            subject_id: subject.and_then(|s| s.get("id")).and_then(Value::as_str),
            valid_from: credential_date(credential, "validFrom", "issuanceDate")?,
            valid_until: credential_date(credential, "validUntil", "expirationDate")?,
        })
    }
}

/// Adds `iss`, `jti`, `sub`, `nbf`, `exp` and `iat` derived from the credential.
pub(crate) fn add_registered_claims(
    payload: &mut Map<String, Value>,
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
    let facts = CredentialFacts::of(payload)?;
    let missing = |what: &str| JwtError::InvalidCredential(format!("no {what}"));
    let issuer = facts
        .issuer_id
        .ok_or_else(|| missing("issuer id"))?
        .to_owned();
    let id = facts.id.ok_or_else(|| missing("id"))?.to_owned();
    let subject = facts.subject_id.map(str::to_owned);
    let valid_from = facts.valid_from.ok_or_else(|| missing("validFrom"))?;
    let valid_until = facts.valid_until;
    payload.insert("iss".into(), issuer.into());
    payload.insert("jti".into(), id.into());
    if let Some(subject) = subject {
        payload.insert("sub".into(), subject.into());
    }
    payload.insert("nbf".into(), valid_from.into());
    if let Some(valid_until) = valid_until {
        payload.insert("exp".into(), valid_until.into());
    }
    payload.insert("iat".into(), issued_at.timestamp().into());
    Ok(())
}

fn string_claim(claim: &'static str, value: Value) -> Result<String, JwtError> {
    match value {
        Value::String(text) => Ok(text),
        _ => Err(JwtError::InvalidClaim {
            claim,
            reason: "not a string".into(),
        }),
    }
}

/// A NumericDate (RFC 7519 §2): seconds, possibly fractional, truncated to the second.
fn numeric_date(claim: &'static str, value: &Value) -> Result<i64, JwtError> {
    let invalid = |reason: &str| JwtError::InvalidClaim {
        claim,
        reason: reason.into(),
    };
    let seconds = match value.as_i64() {
        Some(seconds) => seconds,
        None => {
            let float = value.as_f64().ok_or_else(|| invalid("not a number"))?;
            // Range-checked before the cast, so the cast cannot saturate silently.
            if !float.is_finite() || float.abs() > 1e15 {
                return Err(invalid("out of range"));
            }
            float.floor() as i64
        }
    };
    DateTime::from_timestamp(seconds, 0)
        .map(|_| seconds)
        .ok_or_else(|| invalid("out of range"))
}

fn credential_date(
    credential: &Map<String, Value>,
    name: &str,
    legacy_name: &str,
) -> Result<Option<i64>, JwtError> {
    let Some(value) = credential.get(name).or_else(|| credential.get(legacy_name)) else {
        return Ok(None);
    };
    let text = value
        .as_str()
        .ok_or_else(|| JwtError::InvalidCredential(format!("{name} is not a string")))?;
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
