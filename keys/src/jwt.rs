//! VC-JWT: the JSON Web Token proof format of Open Badges 3.0 §8.2
//! (<https://www.imsglobal.org/spec/ob/v3p0/#jwt-proof>).
//!
//! **Signing** ([`sign_vc_jwt`]): header `{alg, typ: "JWT", kid}`; the payload is the
//! credential itself (VC-DM 2.0 style, §8.2.4.1) plus the registered claims derived
//! from it: `iss` = `issuer.id`, `jti` = `id`, `sub` = `credentialSubject.id` (if any),
//! `nbf` = `validFrom`, `exp` = `validUntil` (if any), `iat` = the signing time.
//! RS256 goes through `jsonwebtoken` (ring); EdDSA through `ed25519-dalek` directly.
//!
//! **Verification** is two steps so the pipeline can find the key first:
//! [`UnverifiedJwt::decode`] reads header and payload without trusting them, then
//! [`UnverifiedJwt::verify`] checks the signature with a resolved key and the claims
//! against the credential; [`verify_vc_jwt`] does both. Decoding reads only what the
//! checks need (typed header, registered claims, the credential's ids and dates; see
//! `members`) and keeps the credential as its signed JSON text, [`CredentialJson`]:
//! a `serde_json::Value` of a 4 KB credential costs about as much to build as the
//! Ed25519 check, and a caller that wants one asks for it
//! ([`CredentialJson::to_value`], or [`decode_unverified`], which builds it at once).
//! Tokens longer than [`MAX_TOKEN_BYTES`] are refused before anything is decoded.
//!
//! The header is never trusted to pick the algorithm: only `RS256`, `ES256` and
//! `EdDSA` are accepted, each only with its key type (RSA, EC P-256, Ed25519), so
//! `none` and the HMAC key-confusion attack are refused. §8.2.3 says "Additional JOSE
//! Headers are NOT allowed": only `alg`, `kid`, `jwk` and `typ` may appear (`typ`, if
//! present, `JWT`), and a `jwk` must hold no private member. A header parameter, a
//! registered claim or a credential member that a check reads may not appear twice.
//!
//! Both payload styles are read: the credential as the payload (VC-DM 2.0, the
//! registered claims removed from it) and VC-DM 1.1's `vc` claim. Time validity is
//! **not** judged here: `nbf`/`exp` must match the credential's dates, and the
//! verifier pipeline compares them with its injected `now`.

mod claims;
mod header;
mod members;
mod payload;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use ed25519_dalek::Signer as _;
use jsonwebtoken::{Algorithm, EncodingKey};
use rsa::pkcs1::EncodeRsaPrivateKey;
use serde_json::{json, Value};

use crate::jwk::{Jwk, JwkError};
use crate::keypair::{PublicKey, SigningKey};

use claims::CredentialFacts;
pub use claims::{JwtClaims, JwtWarning, REGISTERED_CLAIMS};
use payload::CredentialFields;
pub use payload::CredentialJson;

/// The JOSE header parameters OB 3.0 §8.2.3 allows.
pub const ALLOWED_HEADER_PARAMETERS: [&str; 4] = ["alg", "kid", "jwk", "typ"];

/// The longest token read: the verifier's own input limit (4 MiB). Anything longer is
/// refused before it is decoded.
pub const MAX_TOKEN_BYTES: usize = 4 * 1024 * 1024;

/// The signature algorithms accepted in a VC-JWT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwtAlgorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256: the OB 3.0 baseline.
    Rs256,
    /// ECDSA P-256 with SHA-256.
    Es256,
    /// Ed25519.
    EdDsa,
}

/// Why a VC-JWT cannot be read or does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwtError {
    /// The token is longer than [`MAX_TOKEN_BYTES`].
    #[error("the JWT is {size} bytes long, more than the {limit} bytes accepted")]
    TooLarge {
        /// The token's length.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Not a compact JWS of three base64url parts with JSON object header and payload
    /// (UTF-8, no duplicate member where a check reads one).
    #[error("malformed JWT: {0}")]
    Malformed(String),
    /// The header has no `alg`.
    #[error("the JOSE header has no alg")]
    MissingAlgorithm,
    /// `alg: none`: an unsigned token is never accepted.
    #[error("alg \"none\" (unsigned JWT) is refused")]
    AlgorithmNone,
    /// An HMAC algorithm (`HS256`...): a public key must never serve as a shared secret.
    #[error("symmetric alg {0:?} is refused")]
    SymmetricAlgorithm(String),
    /// Any other algorithm than RS256, ES256, EdDSA.
    #[error("alg {0:?} is not supported (RS256, ES256, EdDSA)")]
    UnsupportedAlgorithm(String),
    /// A header parameter outside `alg`, `kid`, `jwk`, `typ` (OB 3.0 §8.2.3).
    #[error("JOSE header parameter {0:?} is not allowed")]
    HeaderParameterNotAllowed(String),
    /// A header parameter of the wrong shape (`kid` not a string...).
    #[error("invalid JOSE header parameter {name:?}: {reason}")]
    InvalidHeaderParameter {
        /// The parameter.
        name: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// `typ` present with another value than `JWT`.
    #[error("typ {0:?} is not \"JWT\"")]
    InvalidType(String),
    /// The header `jwk` holds private key material (the named member).
    #[error("the header jwk contains private key material ({0:?})")]
    PrivateKeyInHeader(String),
    /// The header `jwk` is malformed.
    #[error("invalid header jwk: {0}")]
    InvalidHeaderJwk(JwkError),
    /// The header's alg does not fit the key type (e.g. RS256 with an Ed25519 key).
    #[error("alg {alg} cannot be used with a {key} key")]
    KeyAlgorithmMismatch {
        /// The header alg.
        alg: &'static str,
        /// The key type.
        key: &'static str,
    },
    /// The signature does not verify with this key.
    #[error("the JWT signature does not verify")]
    InvalidSignature,
    /// A required claim is absent (`iss`, `jti`, `nbf`).
    #[error("the JWT has no {0:?} claim")]
    MissingClaim(&'static str),
    /// A claim has the wrong JSON type or an impossible value.
    #[error("invalid {claim:?} claim: {reason}")]
    InvalidClaim {
        /// The claim.
        claim: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A claim disagrees with the credential (§8.2.6.1).
    #[error("claim {claim:?} is {claim_value} but the credential says {credential_value}")]
    ClaimMismatch {
        /// The claim.
        claim: &'static str,
        /// The claim's value.
        claim_value: String,
        /// The credential's value (`(absent)` if missing).
        credential_value: String,
    },
    /// The credential lacks what the JWT needs (issuer id, id) or has a bad date.
    #[error("invalid credential: {0}")]
    InvalidCredential(String),
    /// Signing failed (key encoding).
    #[error("signing failed: {0}")]
    Signing(String),
}

/// The JOSE header of a VC-JWT, as read (not trusted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwtHeader {
    /// The declared algorithm (already restricted to RS256, ES256, EdDSA).
    pub alg: JwtAlgorithm,
    /// The key identifier, to dereference.
    pub kid: Option<String>,
    /// The embedded public key.
    pub jwk: Option<Jwk>,
    /// The token type.
    pub typ: Option<String>,
}

/// Where the credential sits in the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadStyle {
    /// The payload is the credential plus registered claims (VC-DM 2.0, OB 3.0 §8.2.4).
    Credential,
    /// The credential is the `vc` claim (VC-DM 1.1 VC-JWT).
    VcClaim,
}

/// A VC-JWT read but **not verified**: nothing in it may be trusted yet. Use its
/// header and [`UnverifiedJwt::issuer_id`] to resolve the key, then
/// [`UnverifiedJwt::verify`].
///
/// `C` is the form the credential was read into: its signed JSON text
/// ([`CredentialJson`], from [`UnverifiedJwt::decode`]) or a `Value` (the default, from
/// [`decode_unverified`]).
#[derive(Debug, Clone)]
pub struct UnverifiedJwt<C = Value> {
    /// The header.
    pub header: JwtHeader,
    /// The registered claims.
    pub claims: JwtClaims,
    /// The credential, unverified.
    pub credential: C,
    /// Where the credential was found.
    pub style: PayloadStyle,
    facts: CredentialFacts,
    signing_input: String,
    signature: Vec<u8>,
}

/// A VC-JWT whose signature verified and whose claims match its credential. `C` is the
/// form of the credential, as in [`UnverifiedJwt`].
#[derive(Debug, Clone)]
#[must_use]
pub struct VerifiedJwt<C = Value> {
    /// The header.
    pub header: JwtHeader,
    /// The registered claims (`nbf`/`exp` for the pipeline's time checks).
    pub claims: JwtClaims,
    /// The verified credential.
    pub credential: C,
    /// Where the credential was found.
    pub style: PayloadStyle,
    /// Deviations from OB 3.0 §8.2 that do not break the proof.
    pub warnings: Vec<JwtWarning>,
}

impl JwtAlgorithm {
    /// The JOSE name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rs256 => "RS256",
            Self::Es256 => "ES256",
            Self::EdDsa => "EdDSA",
        }
    }

    /// Reads a header `alg`, refusing `none`, HMAC and everything unsupported.
    pub fn from_header(alg: &str) -> Result<Self, JwtError> {
        match alg {
            "RS256" => Ok(Self::Rs256),
            "ES256" => Ok(Self::Es256),
            "EdDSA" => Ok(Self::EdDsa),
            other if other.eq_ignore_ascii_case("none") => Err(JwtError::AlgorithmNone),
            other if other.to_ascii_uppercase().starts_with("HS") => {
                Err(JwtError::SymmetricAlgorithm(other.into()))
            }
            other => Err(JwtError::UnsupportedAlgorithm(other.into())),
        }
    }

    /// The only key type this algorithm may be used with.
    fn fits(self, key: &PublicKey) -> bool {
        matches!(
            (self, key),
            (Self::Rs256, PublicKey::Rsa(_))
                | (Self::Es256, PublicKey::EcP256 { .. })
                | (Self::EdDsa, PublicKey::Ed25519(_))
        )
    }
}

/// Signs `credential` as a VC-JWT (OB 3.0 §8.2) with header `kid`, at `issued_at`.
pub fn sign_vc_jwt(
    credential: &Value,
    key: &SigningKey,
    kid: &str,
    issued_at: DateTime<Utc>,
) -> Result<String, JwtError> {
    let Value::Object(object) = credential else {
        return Err(JwtError::InvalidCredential("not a JSON object".into()));
    };
    let facts = CredentialFields::of(credential)?.into_facts();
    let mut payload = object.clone();
    claims::add_registered_claims(&mut payload, &facts, issued_at)?;
    let alg = match key {
        SigningKey::Ed25519(_) => JwtAlgorithm::EdDsa,
        SigningKey::Rsa(_) => JwtAlgorithm::Rs256,
    };
    let header = json!({"alg": alg.as_str(), "typ": "JWT", "kid": kid});
    let mut token = URL_SAFE_NO_PAD.encode(header.to_string());
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(Value::Object(payload).to_string()));
    let signature = match key {
        SigningKey::Ed25519(key) => URL_SAFE_NO_PAD.encode(key.sign(token.as_bytes()).to_bytes()),
        SigningKey::Rsa(key) => {
            let der = key
                .to_pkcs1_der()
                .map_err(|e| JwtError::Signing(e.to_string()))?;
            let encoding = EncodingKey::from_rsa_der(der.as_bytes());
            jsonwebtoken::crypto::sign(token.as_bytes(), &encoding, Algorithm::RS256)
                .map_err(|e| JwtError::Signing(e.to_string()))?
        }
    };
    token.push('.');
    token.push_str(&signature);
    Ok(token)
}

/// Reads a VC-JWT without checking its signature (named `unverified` on purpose), with
/// its credential as a `Value`: [`UnverifiedJwt::decode`] then
/// [`UnverifiedJwt::with_credential_value`].
pub fn decode_unverified(token: &str) -> Result<UnverifiedJwt, JwtError> {
    UnverifiedJwt::decode(token)?.with_credential_value()
}

/// Verifies a VC-JWT with `key`: [`UnverifiedJwt::decode`] then
/// [`UnverifiedJwt::verify`]. The verified credential is kept as its JSON text;
/// [`CredentialJson::to_value`] parses it.
pub fn verify_vc_jwt(
    token: &str,
    key: &PublicKey,
) -> Result<VerifiedJwt<CredentialJson>, JwtError> {
    UnverifiedJwt::decode(token)?.verify(key)
}

impl UnverifiedJwt<CredentialJson> {
    /// Reads a VC-JWT without checking its signature: the header, the registered
    /// claims and the credential members they are compared with; the credential stays
    /// JSON text.
    pub fn decode(token: &str) -> Result<Self, JwtError> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(JwtError::TooLarge {
                size: token.len(),
                limit: MAX_TOKEN_BYTES,
            });
        }
        let token = token.trim();
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwtError::Malformed("a compact JWS has three parts".into()));
        };
        let header = header::read(&base64url("header", header)?)?;
        let payload = String::from_utf8(base64url("payload", payload)?)
            .map_err(|e| JwtError::Malformed(format!("payload is not UTF-8: {e}")))?;
        let signature = base64url("signature", signature)?;
        let (claims, facts, style) = payload::read(&payload)?;
        // Invariant: the token has three dot-separated parts, so a last dot exists.
        let signing_input = token.rsplit_once('.').map_or("", |(input, _)| input);
        Ok(Self {
            header,
            claims,
            credential: CredentialJson::new(payload, style),
            style,
            facts,
            signing_input: signing_input.to_owned(),
            signature,
        })
    }

    /// The same token with its credential parsed into a `Value`.
    pub fn with_credential_value(self) -> Result<UnverifiedJwt, JwtError> {
        Ok(UnverifiedJwt {
            credential: self.credential.to_value()?,
            header: self.header,
            claims: self.claims,
            style: self.style,
            facts: self.facts,
            signing_input: self.signing_input,
            signature: self.signature,
        })
    }
}

impl<C> UnverifiedJwt<C> {
    /// The credential's issuer id (`issuer`, or `issuer.id`), unverified: to find
    /// the key with.
    pub fn issuer_id(&self) -> Option<&str> {
        self.facts.issuer_id.as_deref()
    }

    /// Checks the signature with `key` (whose type must fit the header alg), then the
    /// claims against the credential (OB 3.0 §8.2.6.1, dates to the second).
    pub fn verify(self, key: &PublicKey) -> Result<VerifiedJwt<C>, JwtError> {
        let alg = self.header.alg;
        if !alg.fits(key) {
            return Err(JwtError::KeyAlgorithmMismatch {
                alg: alg.as_str(),
                key: key.kind(),
            });
        }
        if !signature_holds(alg, key, self.signing_input.as_bytes(), &self.signature) {
            return Err(JwtError::InvalidSignature);
        }
        let warnings = self.claims.check_against(&self.facts)?;
        Ok(VerifiedJwt {
            header: self.header,
            claims: self.claims,
            credential: self.credential,
            style: self.style,
            warnings,
        })
    }
}

fn signature_holds(alg: JwtAlgorithm, key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
    match key {
        PublicKey::Ed25519(key) => ed25519_dalek::Signature::from_slice(signature)
            .is_ok_and(|signature| key.verify_strict(message, &signature).is_ok()),
        PublicKey::Rsa(_) | PublicKey::EcP256 { .. } => {
            let algorithm = match alg {
                JwtAlgorithm::Rs256 => Algorithm::RS256,
                JwtAlgorithm::Es256 => Algorithm::ES256,
                JwtAlgorithm::EdDsa => Algorithm::EdDSA,
            };
            let encoded = URL_SAFE_NO_PAD.encode(signature);
            jsonwebtoken::crypto::verify(&encoded, message, &key.decoding_key(), algorithm)
                .unwrap_or(false)
        }
    }
}

fn base64url(part: &str, encoded: &str) -> Result<Vec<u8>, JwtError> {
    URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|e| JwtError::Malformed(format!("{part}: {e}")))
}
