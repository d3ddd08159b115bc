//! The JOSE header of a VC-JWT (OB 3.0 §8.2.3), read into a small typed value.
//!
//! Only `alg`, `kid`, `jwk` and `typ` may appear; each at most once, since parsers
//! disagree on which duplicate wins and the header picks the algorithm.

use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::members::{once, Key, Member};
use super::{JwtAlgorithm, JwtError, JwtHeader};
use crate::jwk::{private_member, Jwk};

/// The header as found, before its parameters are judged.
#[derive(Debug, Default)]
struct HeaderMembers<'a> {
    alg: Option<Member<'a>>,
    kid: Option<Member<'a>>,
    typ: Option<Member<'a>>,
    jwk: Option<Value>,
    /// The first parameter outside the allowed four.
    not_allowed: Option<String>,
}

/// Reads and judges a decoded JOSE header.
pub(crate) fn read(json: &[u8]) -> Result<JwtHeader, JwtError> {
    let members: HeaderMembers<'_> =
        serde_json::from_slice(json).map_err(|e| JwtError::Malformed(format!("header: {e}")))?;
    if let Some(name) = members.not_allowed {
        return Err(JwtError::HeaderParameterNotAllowed(name));
    }
    let alg = match members.alg {
        None => return Err(JwtError::MissingAlgorithm),
        Some(Member::Text(alg)) => JwtAlgorithm::from_header(&alg)?,
        Some(_) => return Err(invalid("alg")),
    };
    let string = |name: &'static str, member: Option<Member<'_>>| match member {
        None => Ok(None),
        Some(Member::Text(value)) => Ok(Some(value.into_owned())),
        Some(_) => Err(invalid(name)),
    };
    let typ = string("typ", members.typ)?;
    if let Some(typ) = &typ {
        if !typ.eq_ignore_ascii_case("JWT") {
            return Err(JwtError::InvalidType(typ.clone()));
        }
    }
    let jwk = match members.jwk {
        None => None,
        Some(jwk) => {
            if let Some(member) = private_member(&jwk) {
                return Err(JwtError::PrivateKeyInHeader(member.into()));
            }
            Some(Jwk::from_value(&jwk).map_err(JwtError::InvalidHeaderJwk)?)
        }
    };
    Ok(JwtHeader {
        alg,
        kid: string("kid", members.kid)?,
        jwk,
        typ,
    })
}

fn invalid(name: &'static str) -> JwtError {
    JwtError::InvalidHeaderParameter {
        name,
        reason: "not a string".into(),
    }
}

impl<'de> Deserialize<'de> for HeaderMembers<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(HeaderVisitor)
    }
}

struct HeaderVisitor;

impl<'de> Visitor<'de> for HeaderVisitor {
    type Value = HeaderMembers<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JOSE header (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut header = HeaderMembers::default();
        while let Some(Key(name)) = map.next_key()? {
            match name.as_ref() {
                "alg" => once(&mut header.alg, map.next_value()?, "alg")?,
                "kid" => once(&mut header.kid, map.next_value()?, "kid")?,
                "typ" => once(&mut header.typ, map.next_value()?, "typ")?,
                "jwk" => once(&mut header.jwk, map.next_value()?, "jwk")?,
                _ => {
                    header.not_allowed.get_or_insert_with(|| name.into_owned());
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(header)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::ALLOWED_HEADER_PARAMETERS;

    #[test]
    fn the_allowed_parameters_are_the_ones_read() {
        for name in ALLOWED_HEADER_PARAMETERS {
            let json = format!(r#"{{"alg":"EdDSA","{name}":7}}"#);
            let error = read(json.as_bytes()).err();
            assert!(
                !matches!(error, Some(JwtError::HeaderParameterNotAllowed(_))),
                "{name}: {error:?}"
            );
        }
        assert_eq!(
            read(br#"{"alg":"EdDSA","x5c":[]}"#).err(),
            Some(JwtError::HeaderParameterNotAllowed("x5c".into()))
        );
    }

    #[test]
    fn parameters_of_the_wrong_type_are_named() {
        assert_eq!(read(br#"{"alg":["EdDSA"]}"#).err(), Some(invalid("alg")));
        assert_eq!(
            read(br#"{"alg":"EdDSA","kid":{"id":1}}"#).err(),
            Some(invalid("kid"))
        );
        assert_eq!(
            read(br#"{"alg":"EdDSA","typ":null}"#).err(),
            Some(invalid("typ"))
        );
        let header = read(br#"{"alg":"EdDSA","typ":"jwt","kid":"did:a#1"}"#).expect("valid");
        assert_eq!(header.alg, JwtAlgorithm::EdDsa);
        assert_eq!(header.kid.as_deref(), Some("did:a#1"));
    }
}
