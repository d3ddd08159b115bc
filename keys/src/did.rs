//! Decentralized identifiers: did:key and did:jwk (self-certifying: the key is the
//! identifier, documents are generated), did:web (DID <-> `did.json` URL, document
//! generation), and reading verification methods out of any DID / controller document.
//!
//! - did:key: <https://w3c-ccg.github.io/did-method-key/> with an Ed25519 or P-256
//!   Multikey (<https://www.w3.org/TR/controller-document/#multikey>): multicodec
//!   `0xed01` + 32 key bytes (`z6Mk...`), or `0x1200` + the 33-byte compressed point
//!   (`zDn...`, see [`crate::ec`]), multibase base58btc.
//! - did:jwk: <https://github.com/quartzjer/did-jwk/blob/main/spec.md>.
//! - did:web: <https://w3c-ccg.github.io/did-method-web/> (see [`did_web_url`]).

mod document;
mod web;
mod written;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ed25519_dalek::VerifyingKey;
use serde_json::Value;

use crate::jwk::{Jwk, JwkError};
use crate::keypair::PublicKey;

pub use document::{
    absolute_id, find_verification_method, is_listed_under, method_public_key, verification_method,
    ASSERTION_METHOD,
};
pub use web::{did_web_document, did_web_from_url, did_web_url};
pub use written::{DidDocument, VerificationMethod};

/// The DID Core v1 JSON-LD context.
pub const DID_CONTEXT: &str = "https://www.w3.org/ns/did/v1";
/// The Multikey JSON-LD context.
pub const MULTIKEY_CONTEXT: &str = "https://w3id.org/security/multikey/v1";
/// The JsonWebKey JSON-LD context.
pub const JWK_CONTEXT: &str = "https://w3id.org/security/jwk/v1";
/// Multicodec header of an Ed25519 public key (`ed25519-pub`, 0xed, varint-encoded).
pub const ED25519_MULTICODEC: [u8; 2] = [0xed, 0x01];

/// Errors of DID encoding, decoding and document reading.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DidError {
    /// Not a DID of the expected method (`did:key`, `did:jwk`, `did:web`).
    #[error("{did:?} is not a did:{method} DID")]
    WrongMethod {
        /// The identifier given.
        did: String,
        /// The method expected.
        method: &'static str,
    },
    /// A multibase value that is not base58btc (`z...`) or does not decode.
    #[error("invalid multibase value: {0}")]
    InvalidMultibase(String),
    /// A multikey of another type than Ed25519 or P-256 (multicodec prefix in hex).
    #[error("unsupported multikey type (multicodec prefix {0})")]
    UnsupportedMultikey(String),
    /// The bytes are not a valid public key.
    #[error("invalid public key: {0}")]
    InvalidKey(String),
    /// A did:jwk whose suffix is not base64url JSON of a public JWK.
    #[error("invalid did:jwk: {0}")]
    InvalidDidJwk(String),
    /// A JWK inside a DID or document is unusable.
    #[error(transparent)]
    Jwk(#[from] JwkError),
    /// A did:web DID or URL that does not map to a valid https URL.
    #[error("invalid did:web {input:?}: {reason}")]
    InvalidDidWeb {
        /// The DID or URL given.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A verification method without a key property we can read.
    #[error("verification method {id:?} has no supported public key ({reason})")]
    UnsupportedVerificationMethod {
        /// The method id.
        id: String,
        /// Its type and properties, for the message.
        reason: String,
    },
}

/// The Multikey `publicKeyMultibase` of an Ed25519 key (`z6Mk...`).
pub fn ed25519_multibase(key: &VerifyingKey) -> String {
    let mut bytes = Vec::with_capacity(34);
    bytes.extend_from_slice(&ED25519_MULTICODEC);
    bytes.extend_from_slice(key.as_bytes());
    format!("z{}", bs58::encode(bytes).into_string())
}

/// Decodes an Ed25519 Multikey `publicKeyMultibase` (also the did:key suffix and the
/// Ed25519VerificationKey2020 value).
pub fn decode_ed25519_multibase(multibase: &str) -> Result<VerifyingKey, DidError> {
    let bytes = multibase_bytes(multibase)?;
    let Some(key) = bytes.strip_prefix(&ED25519_MULTICODEC) else {
        // Every supported or unsupported public key type is a 2-byte multicodec header
        // plus at least 32 bytes; anything shorter is not a multikey at all.
        if bytes.len() < 34 {
            return Err(DidError::InvalidKey(format!(
                "{} bytes is too short for a multikey",
                bytes.len()
            )));
        }
        let prefix: String = bytes.iter().take(2).map(|b| format!("{b:02x}")).collect();
        return Err(DidError::UnsupportedMultikey(prefix));
    };
    ed25519_from_bytes(key)
}

/// Decodes a Multikey `publicKeyMultibase` (also the did:key suffix): an Ed25519
/// (`z6Mk...`) or P-256 (`zDn...`) public key. P-384 (`z82...`) and other types are
/// [`DidError::UnsupportedMultikey`].
pub fn decode_multikey(multibase: &str) -> Result<PublicKey, DidError> {
    match decode_ed25519_multibase(multibase) {
        Ok(key) => Ok(PublicKey::Ed25519(key)),
        Err(DidError::UnsupportedMultikey(prefix)) => {
            // Invariant: UnsupportedMultikey is only returned after a successful decode.
            let bytes = multibase_bytes(multibase)?;
            match bytes.strip_prefix(&crate::ec::P256_MULTICODEC) {
                Some(point) if point.len() == 33 => PublicKey::from_p256_sec1(point)
                    .map_err(|e| DidError::InvalidKey(e.to_string())),
                Some(point) => Err(DidError::InvalidKey(format!(
                    "{} bytes, a compressed P-256 key has 33",
                    point.len()
                ))),
                None => Err(DidError::UnsupportedMultikey(prefix)),
            }
        }
        Err(other) => Err(other),
    }
}

/// The bytes of a multibase base58btc (`z...`) value.
fn multibase_bytes(multibase: &str) -> Result<Vec<u8>, DidError> {
    let encoded = multibase.strip_prefix('z').ok_or_else(|| {
        DidError::InvalidMultibase(format!("{multibase:?} is not base58btc ('z' prefix)"))
    })?;
    bs58::decode(encoded)
        .into_vec()
        .map_err(|e| DidError::InvalidMultibase(e.to_string()))
}

/// An Ed25519 key from its 32 raw bytes.
pub(crate) fn ed25519_from_bytes(bytes: &[u8]) -> Result<VerifyingKey, DidError> {
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|_| DidError::InvalidKey(format!("{} bytes, expected 32", bytes.len())))?;
    crate::key_cache::ed25519(&bytes).map_err(|e| DidError::InvalidKey(e.to_string()))
}

/// The DID part of a DID URL or URL: everything before the first `#`.
pub fn without_fragment(id: &str) -> &str {
    id.split_once('#').map_or(id, |(base, _)| base)
}

/// The did:key of an Ed25519 key: `did:key:z6Mk...`.
pub fn did_key(key: &VerifyingKey) -> String {
    format!("did:key:{}", ed25519_multibase(key))
}

/// The verification method id of a did:key: `did:key:z6Mk...#z6Mk...`.
pub fn did_key_verification_method(key: &VerifyingKey) -> String {
    let multibase = ed25519_multibase(key);
    format!("did:key:{multibase}#{multibase}")
}

/// The Ed25519 key of a did:key (a fragment, if any, is ignored).
pub fn decode_did_key(did: &str) -> Result<VerifyingKey, DidError> {
    let suffix = without_fragment(did)
        .strip_prefix("did:key:")
        .ok_or_else(|| DidError::WrongMethod {
            did: did.into(),
            method: "key",
        })?;
    decode_ed25519_multibase(suffix)
}

/// The public key (Ed25519 or P-256) of a did:key (a fragment, if any, is ignored).
pub fn decode_did_key_public(did: &str) -> Result<PublicKey, DidError> {
    let suffix = without_fragment(did)
        .strip_prefix("did:key:")
        .ok_or_else(|| DidError::WrongMethod {
            did: did.into(),
            method: "key",
        })?;
    decode_multikey(suffix)
}

/// The DID document of a did:key: one Multikey method `did:key:z..#z..` (Ed25519 or
/// P-256), used for authentication, assertionMethod and capabilities.
pub fn did_key_document(did: &str) -> Result<Value, DidError> {
    let did = without_fragment(did);
    let key = decode_did_key_public(did)?;
    // The suffix decoded, so it is the key's own multibase: reused as the fragment.
    let multibase = did.strip_prefix("did:key:").unwrap_or(did);
    let method = VerificationMethod::multikey(
        &format!("{did}#{multibase}"),
        did,
        key.to_multikey().unwrap_or_else(|| multibase.to_owned()),
    );
    Ok(self_certifying_document(did, MULTIKEY_CONTEXT, method))
}

/// The did:jwk of a public JWK: base64url of its JSON serialisation.
pub fn did_jwk(jwk: &Jwk) -> String {
    // Invariant: a `Jwk` is plain strings and always serialises.
    let json = serde_json::to_vec(jwk).unwrap_or_default();
    format!("did:jwk:{}", URL_SAFE_NO_PAD.encode(json))
}

/// The public JWK of a did:jwk (a fragment, if any, is ignored); private keys refused.
pub fn decode_did_jwk(did: &str) -> Result<Jwk, DidError> {
    let suffix = without_fragment(did)
        .strip_prefix("did:jwk:")
        .ok_or_else(|| DidError::WrongMethod {
            did: did.into(),
            method: "jwk",
        })?;
    let json = URL_SAFE_NO_PAD
        .decode(suffix)
        .map_err(|e| DidError::InvalidDidJwk(e.to_string()))?;
    let value: Value =
        serde_json::from_slice(&json).map_err(|e| DidError::InvalidDidJwk(e.to_string()))?;
    Ok(Jwk::from_value(&value)?)
}

/// The DID document of a did:jwk: one JsonWebKey method `did:jwk:...#0`.
pub fn did_jwk_document(did: &str) -> Result<Value, DidError> {
    let did = without_fragment(did);
    let jwk = decode_did_jwk(did)?;
    let key = jwk.to_public_key()?;
    let method = VerificationMethod::of_key(&format!("{did}#0"), did, &key);
    Ok(self_certifying_document(did, JWK_CONTEXT, method))
}

/// A did:key or did:jwk document: its one key serves every relationship.
fn self_certifying_document(did: &str, context: &str, method: VerificationMethod) -> Value {
    let mut document = DidDocument::new(&[DID_CONTEXT, context], did, vec![method]);
    let ids = Some(document.assertion_method.clone());
    document.authentication.clone_from(&ids);
    document.capability_invocation.clone_from(&ids);
    document.capability_delegation = ids;
    document.to_value()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_key_round_trip() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key();
        let did = did_key(&key);
        assert!(did.starts_with("did:key:z6Mk"), "{did}");
        assert_eq!(decode_did_key(&did), Ok(key));
        assert_eq!(decode_did_key(&did_key_verification_method(&key)), Ok(key));
    }

    #[test]
    fn multibase_errors_are_specific() {
        assert!(matches!(
            decode_ed25519_multibase("u6Mk"),
            Err(DidError::InvalidMultibase(_))
        ));
        assert!(matches!(
            decode_ed25519_multibase("z0OIl"),
            Err(DidError::InvalidMultibase(_))
        ));
        // A P-256 multikey (0x1200) is recognised as unsupported, not as garbage.
        let mut compressed_point = vec![0x80, 0x24, 2];
        compressed_point.extend([7; 32]);
        let p256 = format!("z{}", bs58::encode(compressed_point).into_string());
        assert_eq!(
            decode_ed25519_multibase(&p256),
            Err(DidError::UnsupportedMultikey("8024".into()))
        );
        let short = format!("z{}", bs58::encode([0xed, 0x01, 1, 2]).into_string());
        assert!(matches!(
            decode_ed25519_multibase(&short),
            Err(DidError::InvalidKey(_))
        ));
    }

    #[test]
    fn p256_did_key_resolves_to_a_multikey_method() {
        // The did:key of the W3C vc-di-ecdsa test vectors.
        let did = "did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP";
        let key = decode_did_key_public(did).expect("P-256 did:key");
        assert_eq!(key.kind(), "P-256");
        let document = did_key_document(&format!("{did}#x")).expect("document");
        let method = &document["verificationMethod"][0];
        assert_eq!(
            method["id"],
            format!("{did}#zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP")
        );
        assert_eq!(method["type"], "Multikey");
        assert_eq!(
            method["publicKeyMultibase"],
            "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"
        );
        assert_eq!(method_public_key(method), Ok(key));
        // P-384 (0x1201) is recognised and refused; a truncated P-256 key is invalid.
        let mut p384 = vec![0x81, 0x24, 2];
        p384.extend([7; 48]);
        let p384 = format!("z{}", bs58::encode(p384).into_string());
        assert_eq!(
            decode_multikey(&p384),
            Err(DidError::UnsupportedMultikey("8124".into()))
        );
        let mut short = vec![0x80, 0x24, 2];
        short.extend([7; 31]);
        let short = format!("z{}", bs58::encode(short).into_string());
        assert!(matches!(
            decode_multikey(&short),
            Err(DidError::InvalidKey(_))
        ));
    }

    #[test]
    fn did_jwk_round_trip_and_document() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]).verifying_key();
        let jwk = PublicKey::Ed25519(key).to_jwk();
        let did = did_jwk(&jwk);
        assert_eq!(decode_did_jwk(&did), Ok(jwk));
        let document = did_jwk_document(&did).expect("document");
        assert_eq!(document["verificationMethod"][0]["id"], format!("{did}#0"));
        assert_eq!(document["assertionMethod"][0], format!("{did}#0"));
    }
}
