//! The VC-JWT payload, read without building it (OB 3.0 §8.2.4).
//!
//! One pass over the decoded JSON text picks out the registered claims and the
//! credential members they are checked against, either from the payload itself (VC-DM
//! 2.0 style) or from its `vc` member (VC-DM 1.1). The credential is kept as the signed
//! text, [`CredentialJson`], and becomes a `serde_json::Value` only when a caller asks.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::claims::{CredentialFacts, JwtClaims, REGISTERED_CLAIMS};
use super::members::{once, IdIn, Key, Member};
use super::{JwtError, PayloadStyle};

/// The credential of a VC-JWT as the JSON text of its payload: the payload itself
/// (VC-DM 2.0 style, registered claims to be removed) or its `vc` member (VC-DM 1.1).
/// Verification does not need it as a `Value`; [`CredentialJson::to_value`] builds one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialJson {
    payload: String,
    style: PayloadStyle,
}

/// The registered claims as found, before their types are checked.
#[derive(Debug, Default)]
pub(crate) struct ClaimMembers<'a> {
    pub(crate) iss: Option<Member<'a>>,
    pub(crate) sub: Option<Member<'a>>,
    pub(crate) jti: Option<Member<'a>>,
    pub(crate) aud: Option<Value>,
    pub(crate) nbf: Option<Member<'a>>,
    pub(crate) exp: Option<Member<'a>>,
    pub(crate) iat: Option<Member<'a>>,
}

/// The credential members the claims are compared with (OB 3.0 §8.2.6.1), as found.
#[derive(Debug, Default)]
pub(crate) struct CredentialFields<'a> {
    id: Option<Member<'a>>,
    issuer: Option<Option<Cow<'a, str>>>,
    subject: Option<Option<Cow<'a, str>>>,
    valid_from: Option<Member<'a>>,
    issuance_date: Option<Member<'a>>,
    valid_until: Option<Member<'a>>,
    expiration_date: Option<Member<'a>>,
}

/// A payload read in one pass.
#[derive(Debug, Default)]
struct Payload<'a> {
    claims: ClaimMembers<'a>,
    /// The payload's own credential members (VC-DM 2.0 style).
    credential: CredentialFields<'a>,
    /// `vc`: the VC-DM 1.1 credential's members, or `None` if it is not an object.
    vc: Option<Option<CredentialFields<'a>>>,
}

/// Reads a decoded payload: its registered claims, the facts of its credential and
/// where the credential sits. A malformed payload is refused here, before any check.
pub(crate) fn read(text: &str) -> Result<(JwtClaims, CredentialFacts, PayloadStyle), JwtError> {
    let payload: Payload<'_> =
        serde_json::from_str(text).map_err(|e| JwtError::Malformed(format!("payload: {e}")))?;
    let claims = JwtClaims::read(payload.claims)?;
    let (fields, style) = match payload.vc {
        None => (payload.credential, PayloadStyle::Credential),
        Some(Some(vc)) => (vc, PayloadStyle::VcClaim),
        Some(None) => {
            return Err(JwtError::InvalidCredential(
                "the vc claim is not an object".into(),
            ))
        }
    };
    Ok((claims, fields.into_facts(), style))
}

impl CredentialJson {
    pub(crate) fn new(payload: String, style: PayloadStyle) -> Self {
        Self { payload, style }
    }

    /// The credential as a `Value`: the `vc` member, or the payload without the
    /// registered claims (their order otherwise kept).
    pub fn to_value(&self) -> Result<Value, JwtError> {
        let mut payload: Map<String, Value> = serde_json::from_str(&self.payload)
            .map_err(|e| JwtError::Malformed(format!("payload: {e}")))?;
        match self.style {
            PayloadStyle::VcClaim => payload
                .shift_remove("vc")
                .ok_or_else(|| JwtError::InvalidCredential("the payload has no vc claim".into())),
            PayloadStyle::Credential => {
                for name in REGISTERED_CLAIMS {
                    payload.shift_remove(name);
                }
                Ok(Value::Object(payload))
            }
        }
    }
}

impl<'a> CredentialFields<'a> {
    /// Reads the credential members of `credential` (for signing).
    pub(crate) fn of(credential: &'a Value) -> Result<Self, JwtError> {
        Self::deserialize(credential).map_err(|e| JwtError::InvalidCredential(e.to_string()))
    }

    /// Reads `key`'s value if it is a member a claim is checked against.
    fn accept<A: MapAccess<'a>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        let member = |map: &mut A| map.next_value::<Member<'a>>();
        match key {
            "id" => once(&mut self.id, member(map)?, "id")?,
            "issuer" => once(
                &mut self.issuer,
                map.next_value_seed(IdIn::ObjectOrString)?,
                "issuer",
            )?,
            "credentialSubject" => once(
                &mut self.subject,
                map.next_value_seed(IdIn::ObjectOrSingleton)?,
                "credentialSubject",
            )?,
            "validFrom" => once(&mut self.valid_from, member(map)?, "validFrom")?,
            "issuanceDate" => once(&mut self.issuance_date, member(map)?, "issuanceDate")?,
            "validUntil" => once(&mut self.valid_until, member(map)?, "validUntil")?,
            "expirationDate" => once(&mut self.expiration_date, member(map)?, "expirationDate")?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The facts, owned: a VC-DM 2.0 date wins over its VC-DM 1.1 name.
    pub(crate) fn into_facts(self) -> CredentialFacts {
        let text = |member: Option<Member<'_>>| match member {
            Some(Member::Text(text)) => Some(text.into_owned()),
            _ => None,
        };
        let owned = |id: Option<Option<Cow<'_, str>>>| id.flatten().map(Cow::into_owned);
        CredentialFacts {
            id: text(self.id),
            issuer_id: owned(self.issuer),
            subject_id: owned(self.subject),
            valid_from: self
                .valid_from
                .or(self.issuance_date)
                .map(Member::into_owned),
            valid_until: self
                .valid_until
                .or(self.expiration_date)
                .map(Member::into_owned),
        }
    }
}

impl<'de> Deserialize<'de> for CredentialFields<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(FieldsVisitor)
    }
}

impl<'de> Deserialize<'de> for Payload<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(PayloadVisitor)
    }
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = CredentialFields<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a credential object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = CredentialFields::default();
        while let Some(Key(key)) = map.next_key()? {
            if !fields.accept(&key, &mut map)? {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(fields)
    }
}

struct PayloadVisitor;

impl<'de> Visitor<'de> for PayloadVisitor {
    type Value = Payload<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JWT claims set (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut payload = Payload::default();
        let claims = &mut payload.claims;
        while let Some(Key(key)) = map.next_key()? {
            let member = |map: &mut A| map.next_value::<Member<'de>>();
            match key.as_ref() {
                "iss" => once(&mut claims.iss, member(&mut map)?, "iss")?,
                "sub" => once(&mut claims.sub, member(&mut map)?, "sub")?,
                "jti" => once(&mut claims.jti, member(&mut map)?, "jti")?,
                "nbf" => once(&mut claims.nbf, member(&mut map)?, "nbf")?,
                "exp" => once(&mut claims.exp, member(&mut map)?, "exp")?,
                "iat" => once(&mut claims.iat, member(&mut map)?, "iat")?,
                "aud" => once(&mut claims.aud, map.next_value()?, "aud")?,
                "vc" => once(&mut payload.vc, map.next_value_seed(VcSeed)?, "vc")?,
                other => {
                    if !payload.credential.accept(other, &mut map)? {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
        }
        Ok(payload)
    }
}

/// Reads `vc`: the credential's members if it is an object, `None` otherwise.
struct VcSeed;

impl<'de> DeserializeSeed<'de> for VcSeed {
    type Value = Option<CredentialFields<'de>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for VcSeed {
    type Value = Option<CredentialFields<'de>>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        FieldsVisitor.visit_map(map).map(Some)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}
