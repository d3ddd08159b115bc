//! Public JSON Web Keys (RFC 7517) and key sets: OKP/Ed25519, RSA, EC P-256.
//!
//! A JWK read from outside (a JOSE header, a DID document, a JWKS) goes through
//! [`Jwk::from_value`], which refuses private members (`d`, `p`, `q`, `dp`, `dq`,
//! `qi`, `oth`, `k`) before anything else: OB 3.0 §8.2.3 says a header `jwk` "MUST NOT
//! contain the private key portion", and a published private key is a compromised one.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::DecodingKey;
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPublicKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::keypair::{PublicKey, RSA_BITS};

/// JWK members that carry private or symmetric key material (RFC 7518 §6.2.2, §6.3.2,
/// §6.4.1).
pub const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// Errors reading a JWK or JWKS.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwkError {
    /// The JWK holds private key material (the named member).
    #[error("the JWK contains private key material ({0:?})")]
    PrivateMaterial(String),
    /// The JSON is not a JWK of a supported shape.
    #[error("malformed JWK: {0}")]
    Malformed(String),
    /// A key type or curve we do not verify with.
    #[error("unsupported JWK key type {0}")]
    Unsupported(String),
    /// A member is not valid base64url or has the wrong length.
    #[error("invalid JWK member {member:?}: {reason}")]
    InvalidMember {
        /// The member name.
        member: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}

/// The key-type specific members of a public JWK.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kty")]
pub enum JwkParams {
    /// Octet key pair (RFC 8037); `crv` must be `Ed25519` to be usable.
    #[serde(rename = "OKP")]
    Okp {
        /// The curve.
        crv: String,
        /// The base64url public key.
        x: String,
    },
    /// RSA public key.
    #[serde(rename = "RSA")]
    Rsa {
        /// The base64url modulus.
        n: String,
        /// The base64url public exponent.
        e: String,
    },
    /// Elliptic-curve public key; `crv` must be `P-256` to be usable.
    #[serde(rename = "EC")]
    Ec {
        /// The curve.
        crv: String,
        /// The base64url x coordinate.
        x: String,
        /// The base64url y coordinate.
        y: String,
    },
}

/// A public JSON Web Key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    /// The key type and its public members.
    #[serde(flatten)]
    pub params: JwkParams,
    /// Key identifier.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub kid: Option<String>,
    /// Intended algorithm.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub alg: Option<String>,
    /// Intended use (`sig`).
    #[serde(rename = "use", skip_serializing_if = "Option::is_none", default)]
    pub key_use: Option<String>,
}

/// A JSON Web Key Set (RFC 7517 §5).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwks {
    /// The keys.
    pub keys: Vec<Jwk>,
}

/// The first private member of a JSON object claiming to be a public JWK, if any.
pub fn private_member(jwk: &Value) -> Option<&'static str> {
    let object = jwk.as_object()?;
    PRIVATE_MEMBERS
        .into_iter()
        .find(|member| object.contains_key(*member))
}

impl Jwk {
    /// Reads a public JWK, refusing private material first.
    pub fn from_value(value: &Value) -> Result<Self, JwkError> {
        if !value.is_object() {
            return Err(JwkError::Malformed("not a JSON object".into()));
        }
        if let Some(member) = private_member(value) {
            return Err(JwkError::PrivateMaterial(member.into()));
        }
        match value.get("kty").and_then(Value::as_str) {
            Some("OKP" | "RSA" | "EC") => {}
            Some(other) => return Err(JwkError::Unsupported(other.into())),
            None => return Err(JwkError::Malformed("missing \"kty\"".into())),
        }
        Self::deserialize(value).map_err(|e| JwkError::Malformed(e.to_string()))
    }

    /// The key as a verification key, checking the curve and member lengths.
    pub fn to_public_key(&self) -> Result<PublicKey, JwkError> {
        match &self.params {
            JwkParams::Okp { crv, x } if crv == "Ed25519" => {
                let bytes: [u8; 32] = decode_fixed("x", x)?;
                crate::key_cache::ed25519(&bytes)
                    .map(PublicKey::Ed25519)
                    .map_err(|e| invalid("x", e.to_string()))
            }
            JwkParams::Rsa { n, e } => {
                let n = BigUint::from_bytes_be(&decode("n", n)?);
                let e = BigUint::from_bytes_be(&decode("e", e)?);
                if n.bits() < RSA_BITS {
                    return Err(invalid("n", format!("{} bits < {RSA_BITS}", n.bits())));
                }
                RsaPublicKey::new(n, e)
                    .map(PublicKey::Rsa)
                    .map_err(|e| invalid("n", e.to_string()))
            }
            JwkParams::Ec { crv, x, y } if crv == "P-256" => PublicKey::from_p256_coordinates(x, y),
            JwkParams::Okp { crv, .. } => Err(JwkError::Unsupported(format!("OKP/{crv}"))),
            JwkParams::Ec { crv, .. } => Err(JwkError::Unsupported(format!("EC/{crv}"))),
        }
    }

    /// The `jsonwebtoken` decoding key for this JWK.
    pub fn decoding_key(&self) -> Result<DecodingKey, JwkError> {
        Ok(self.to_public_key()?.decoding_key())
    }

    /// The RFC 7638 thumbprint: base64url SHA-256 of the required members in
    /// lexicographic order, without whitespace. Suitable as a `kid`.
    pub fn thumbprint(&self) -> String {
        // serde_json escapes strings exactly as RFC 7638 §3.3 requires (RFC 8259).
        let canonical = match &self.params {
            JwkParams::Okp { crv, x } => {
                format!(r#"{{"crv":{},"kty":"OKP","x":{}}}"#, quote(crv), quote(x))
            }
            JwkParams::Rsa { n, e } => {
                format!(r#"{{"e":{},"kty":"RSA","n":{}}}"#, quote(e), quote(n))
            }
            JwkParams::Ec { crv, x, y } => format!(
                r#"{{"crv":{},"kty":"EC","x":{},"y":{}}}"#,
                quote(crv),
                quote(x),
                quote(y)
            ),
        };
        URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
    }
}

impl Jwks {
    /// Reads a JWKS, refusing it whole if any key holds private material and
    /// skipping keys of types we do not support (`oct` aside, which is private).
    pub fn from_value(value: &Value) -> Result<Self, JwkError> {
        let keys = value
            .get("keys")
            .and_then(Value::as_array)
            .ok_or_else(|| JwkError::Malformed("a JWKS needs a \"keys\" array".into()))?;
        let mut parsed = Vec::with_capacity(keys.len());
        for key in keys {
            match Jwk::from_value(key) {
                Ok(jwk) => parsed.push(jwk),
                Err(JwkError::Unsupported(_)) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(Self { keys: parsed })
    }

    /// The key whose `kid` is `kid`.
    pub fn find(&self, kid: &str) -> Option<&Jwk> {
        self.keys.iter().find(|key| key.kid.as_deref() == Some(kid))
    }
}

impl PublicKey {
    /// The key as a public JWK (no `kid`).
    pub fn to_jwk(&self) -> Jwk {
        let params = match self {
            Self::Ed25519(key) => JwkParams::Okp {
                crv: "Ed25519".into(),
                x: URL_SAFE_NO_PAD.encode(key.as_bytes()),
            },
            Self::Rsa(key) => JwkParams::Rsa {
                n: URL_SAFE_NO_PAD.encode(key.n().to_bytes_be()),
                e: URL_SAFE_NO_PAD.encode(key.e().to_bytes_be()),
            },
            Self::EcP256 { x, y } => JwkParams::Ec {
                crv: "P-256".into(),
                x: x.clone(),
                y: y.clone(),
            },
        };
        Jwk {
            params,
            kid: None,
            alg: None,
            key_use: None,
        }
    }

    /// The `jsonwebtoken` decoding key (ring backend) for this key.
    pub fn decoding_key(&self) -> DecodingKey {
        match self {
            // ring takes the raw 32-byte Ed25519 key despite the `der` name.
            Self::Ed25519(key) => DecodingKey::from_ed_der(key.as_bytes()),
            Self::Rsa(key) => {
                DecodingKey::from_rsa_raw_components(&key.n().to_bytes_be(), &key.e().to_bytes_be())
            }
            Self::EcP256 { x, y } => {
                let mut point = Vec::with_capacity(65);
                point.push(0x04);
                // Both coordinates were checked to be 32 bytes of base64url on creation.
                point.extend(URL_SAFE_NO_PAD.decode(x).unwrap_or_default());
                point.extend(URL_SAFE_NO_PAD.decode(y).unwrap_or_default());
                DecodingKey::from_ec_der(&point)
            }
        }
    }
}

fn quote(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}

fn invalid(member: &'static str, reason: String) -> JwkError {
    JwkError::InvalidMember { member, reason }
}

fn decode(member: &'static str, text: &str) -> Result<Vec<u8>, JwkError> {
    URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|e| invalid(member, e.to_string()))
}

fn decode_fixed<const N: usize>(member: &'static str, text: &str) -> Result<[u8; N], JwkError> {
    decode(member, text)?
        .try_into()
        .map_err(|bytes: Vec<u8>| invalid(member, format!("{} bytes, expected {N}", bytes.len())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rfc7638_thumbprint_example() {
        // RFC 7638 §3.1.
        let jwk = Jwk::from_value(&json!({
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            "e": "AQAB",
            "alg": "RS256",
            "kid": "2011-04-29"
        }))
        .expect("jwk");
        assert_eq!(
            jwk.thumbprint(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn private_members_are_refused() {
        for member in PRIVATE_MEMBERS {
            let mut value = json!({"kty": "OKP", "crv": "Ed25519", "x": "AA"});
            value[member] = json!("secret");
            assert_eq!(
                Jwk::from_value(&value),
                Err(JwkError::PrivateMaterial(member.into()))
            );
        }
    }

    #[test]
    fn wrong_lengths_and_curves_are_refused() {
        let short =
            Jwk::from_value(&json!({"kty": "OKP", "crv": "Ed25519", "x": "AAAA"})).expect("shape");
        assert!(matches!(
            short.to_public_key(),
            Err(JwkError::InvalidMember { member: "x", .. })
        ));
        let x448 =
            Jwk::from_value(&json!({"kty": "OKP", "crv": "X448", "x": "AAAA"})).expect("shape");
        assert!(matches!(
            x448.to_public_key(),
            Err(JwkError::Unsupported(_))
        ));
        assert!(matches!(
            Jwk::from_value(&json!({"kty": "oct"})),
            Err(JwkError::Unsupported(_))
        ));
    }
}
