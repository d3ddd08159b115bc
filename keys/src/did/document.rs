//! Verification methods in DID documents and controller documents (an issuer
//! Profile listing its keys has the same shape): building them, finding one by id,
//! checking a verification relationship, and reading the public key they hold.
//!
//! Key formats read: `publicKeyMultibase` (Multikey, Ed25519 `z6Mk...` or P-256
//! `zDn...`, and the legacy Ed25519VerificationKey2020), `publicKeyJwk` (JsonWebKey,
//! JsonWebKey2020: Ed25519, P-256, RSA) and the legacy Ed25519VerificationKey2018
//! `publicKeyBase58`.

use serde_json::Value;

use super::{decode_multikey, ed25519_from_bytes, DidError, VerificationMethod};
use crate::jwk::Jwk;
use crate::keypair::PublicKey;

/// The verification relationship that authorises a key to issue credentials.
pub const ASSERTION_METHOD: &str = "assertionMethod";

/// Relationships whose entries may embed a whole verification method.
const RELATIONSHIPS: [&str; 5] = [
    ASSERTION_METHOD,
    "authentication",
    "capabilityInvocation",
    "capabilityDelegation",
    "keyAgreement",
];

/// `id` made absolute against the document's id: `#key-1` becomes `<document>#key-1`;
/// an absolute id is returned as is.
pub fn absolute_id(document_id: &str, id: &str) -> String {
    if id.starts_with('#') {
        format!("{}{id}", super::without_fragment(document_id))
    } else {
        id.to_owned()
    }
}

/// A verification method object for `key`: Multikey for Ed25519, JsonWebKey for RSA
/// and P-256.
pub fn verification_method(id: &str, controller: &str, key: &PublicKey) -> Value {
    VerificationMethod::of_key(id, controller, key).to_value()
}

/// The verification method `id` (absolute, or `#fragment` relative to the document)
/// in `document`: under `verificationMethod`, embedded in a verification relationship,
/// under the legacy `publicKey`, or the document itself when it is a lone key document.
pub fn find_verification_method<'a>(document: &'a Value, id: &str) -> Option<&'a Value> {
    let document_id = document.get("id").and_then(Value::as_str).unwrap_or("");
    let target = absolute_id(document_id, id);
    if document_id == target && holds_key(document) {
        return Some(document);
    }
    let matches = |method: &&Value| {
        method
            .get("id")
            .and_then(Value::as_str)
            .is_some_and(|method_id| absolute_id(document_id, method_id) == target)
    };
    ["verificationMethod", "publicKey"]
        .into_iter()
        .chain(RELATIONSHIPS)
        .flat_map(|property| entries(document.get(property)))
        .filter(|entry| entry.is_object())
        .find(matches)
}

/// Whether `document` lists the method `id` under `relationship`, by reference
/// (absolute or relative id) or embedded.
pub fn is_listed_under(document: &Value, relationship: &str, id: &str) -> bool {
    let document_id = document.get("id").and_then(Value::as_str).unwrap_or("");
    let target = absolute_id(document_id, id);
    entries(document.get(relationship)).any(|entry| {
        let entry_id = match entry {
            Value::String(reference) => Some(reference.as_str()),
            Value::Object(method) => method.get("id").and_then(Value::as_str),
            _ => None,
        };
        entry_id.is_some_and(|entry_id| absolute_id(document_id, entry_id) == target)
    })
}

/// The public key held by a verification method object.
pub fn method_public_key(method: &Value) -> Result<PublicKey, DidError> {
    let id = method.get("id").and_then(Value::as_str).unwrap_or("");
    let method_type = method.get("type").and_then(Value::as_str).unwrap_or("");
    if let Some(multibase) = method.get("publicKeyMultibase").and_then(Value::as_str) {
        return decode_multikey(multibase);
    }
    if let Some(jwk) = method.get("publicKeyJwk") {
        return Ok(Jwk::from_value(jwk)?.to_public_key()?);
    }
    if let Some(base58) = method.get("publicKeyBase58").and_then(Value::as_str) {
        if method_type == "Ed25519VerificationKey2018" {
            let bytes = bs58::decode(base58)
                .into_vec()
                .map_err(|e| DidError::InvalidMultibase(e.to_string()))?;
            return ed25519_from_bytes(&bytes).map(PublicKey::Ed25519);
        }
    }
    Err(DidError::UnsupportedVerificationMethod {
        id: id.into(),
        reason: format!("type {method_type:?}"),
    })
}

/// The entries of a property that may be a single value or an array.
fn entries(value: Option<&Value>) -> impl Iterator<Item = &Value> {
    let slice: &[Value] = match value {
        Some(Value::Array(items)) => items,
        Some(single) => std::slice::from_ref(single),
        None => &[],
    };
    slice.iter()
}

fn holds_key(value: &Value) -> bool {
    ["publicKeyMultibase", "publicKeyJwk", "publicKeyBase58"]
        .iter()
        .any(|property| value.get(property).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document() -> Value {
        let key = ed25519_dalek::SigningKey::from_bytes(&[1; 32]).verifying_key();
        json!({
            "id": "did:web:example.com",
            "verificationMethod": [{
                "id": "#key-1",
                "type": "Ed25519VerificationKey2018",
                "controller": "did:web:example.com",
                "publicKeyBase58": bs58::encode(key.as_bytes()).into_string(),
            }],
            "assertionMethod": ["#key-1", {
                "id": "did:web:example.com#key-2",
                "type": "Multikey",
                "controller": "did:web:example.com",
                "publicKeyMultibase": "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
            }],
        })
    }

    #[test]
    fn finds_relative_absolute_and_embedded_methods() {
        let document = document();
        for id in ["#key-1", "did:web:example.com#key-1"] {
            let method = find_verification_method(&document, id).expect("found");
            assert_eq!(method["type"], "Ed25519VerificationKey2018");
            assert!(is_listed_under(&document, ASSERTION_METHOD, id));
        }
        let embedded = find_verification_method(&document, "#key-2").expect("embedded");
        assert!(matches!(
            method_public_key(embedded),
            Ok(PublicKey::Ed25519(_))
        ));
        assert!(is_listed_under(&document, ASSERTION_METHOD, "#key-2"));
        assert!(!is_listed_under(&document, "authentication", "#key-1"));
        assert!(find_verification_method(&document, "#key-3").is_none());
    }

    #[test]
    fn legacy_base58_key_is_read() {
        let document = document();
        let method = find_verification_method(&document, "#key-1").expect("found");
        let expected = ed25519_dalek::SigningKey::from_bytes(&[1; 32]).verifying_key();
        assert_eq!(
            method_public_key(method).ok(),
            Some(PublicKey::Ed25519(expected))
        );
    }

    #[test]
    fn unsupported_method_is_reported() {
        let method = json!({"id": "#k", "type": "EcdsaSecp256k1VerificationKey2019",
                            "publicKeyHex": "02"});
        assert!(matches!(
            method_public_key(&method),
            Err(DidError::UnsupportedVerificationMethod { .. })
        ));
    }
}
