//! The DID document and verification method as this crate and the issuer
//! write them (<https://www.w3.org/TR/did-core/#did-documents>,
//! <https://www.w3.org/TR/controller-document/#verification-methods>).
//!
//! Only writing is typed: what is read from outside (any DID or controller
//! document) is judged as plain JSON by [`super::document`], since it may
//! hold anything. Field order is serialisation order: a served document's
//! bytes stay the same from one version to the next.

use serde::Serialize;
use serde_json::Value;

use super::ed25519_multibase;
use crate::jwk::Jwk;
use crate::keypair::PublicKey;

/// A DID document: its keys and the relationships that authorise them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DidDocument {
    /// The JSON-LD contexts: DID Core first, then those of the key types.
    #[serde(rename = "@context")]
    pub context: Vec<String>,
    /// The DID.
    pub id: String,
    /// Other identifiers of the same subject (an issuer's Profile URL).
    #[serde(rename = "alsoKnownAs", skip_serializing_if = "Vec::is_empty")]
    pub also_known_as: Vec<String>,
    /// The keys.
    #[serde(rename = "verificationMethod")]
    pub verification_method: Vec<VerificationMethod>,
    /// Ids of the keys that may issue credentials.
    #[serde(rename = "assertionMethod")]
    pub assertion_method: Vec<String>,
    /// Ids of the keys that authenticate the subject; `None` is not written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication: Option<Vec<String>>,
    /// Ids of the keys that invoke capabilities; `None` is not written.
    #[serde(
        rename = "capabilityInvocation",
        skip_serializing_if = "Option::is_none"
    )]
    pub capability_invocation: Option<Vec<String>>,
    /// Ids of the keys that delegate capabilities; `None` is not written.
    #[serde(
        rename = "capabilityDelegation",
        skip_serializing_if = "Option::is_none"
    )]
    pub capability_delegation: Option<Vec<String>>,
}

impl DidDocument {
    /// The document of `id` with `methods`, each listed under `assertionMethod`;
    /// no other relationship yet.
    pub fn new(context: &[&str], id: &str, methods: Vec<VerificationMethod>) -> Self {
        DidDocument {
            context: context.iter().map(|c| (*c).to_owned()).collect(),
            id: id.to_owned(),
            also_known_as: Vec::new(),
            assertion_method: methods.iter().map(|m| m.id.clone()).collect(),
            verification_method: methods,
            authentication: None,
            capability_invocation: None,
            capability_delegation: None,
        }
    }

    /// The document as JSON.
    pub fn to_value(&self) -> Value {
        // Strings, lists of strings and JWKs (strings): serialising cannot fail.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// A verification method: one public key, its id and its controller.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerificationMethod {
    /// The key's URL, `<controller>#<fragment>`.
    pub id: String,
    /// `Multikey` or `JsonWebKey`.
    #[serde(rename = "type")]
    pub method_type: String,
    /// Who controls the key (a DID or a Profile URL).
    pub controller: String,
    /// A Multikey's key, multibase base58btc (`z6Mk...`).
    #[serde(rename = "publicKeyMultibase", skip_serializing_if = "Option::is_none")]
    pub public_key_multibase: Option<String>,
    /// A JsonWebKey's key.
    #[serde(rename = "publicKeyJwk", skip_serializing_if = "Option::is_none")]
    pub public_key_jwk: Option<Jwk>,
}

impl VerificationMethod {
    /// A `Multikey` method holding `multibase`.
    pub fn multikey(id: &str, controller: &str, multibase: String) -> Self {
        VerificationMethod {
            id: id.to_owned(),
            method_type: "Multikey".to_owned(),
            controller: controller.to_owned(),
            public_key_multibase: Some(multibase),
            public_key_jwk: None,
        }
    }

    /// A `JsonWebKey` method holding `jwk`.
    pub fn json_web_key(id: &str, controller: &str, jwk: Jwk) -> Self {
        VerificationMethod {
            id: id.to_owned(),
            method_type: "JsonWebKey".to_owned(),
            controller: controller.to_owned(),
            public_key_multibase: None,
            public_key_jwk: Some(jwk),
        }
    }

    /// The method for `key`: Multikey for Ed25519, JsonWebKey (without `kid`)
    /// for RSA and P-256.
    pub fn of_key(id: &str, controller: &str, key: &PublicKey) -> Self {
        match key {
            PublicKey::Ed25519(key) => Self::multikey(id, controller, ed25519_multibase(key)),
            PublicKey::Rsa(_) | PublicKey::EcP256 { .. } => {
                Self::json_web_key(id, controller, key.to_jwk())
            }
        }
    }

    /// The method as JSON.
    pub fn to_value(&self) -> Value {
        // Strings and a JWK (strings): serialising cannot fail.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn document_members_are_written_in_order() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key();
        let id = "did:web:example.org#k1";
        let method =
            VerificationMethod::of_key(id, "did:web:example.org", &PublicKey::Ed25519(key));
        let mut document = DidDocument::new(
            &["https://www.w3.org/ns/did/v1"],
            "did:web:example.org",
            vec![method],
        );
        document.authentication = Some(Vec::new());
        let multibase = ed25519_multibase(&key);
        assert_eq!(
            serde_json::to_string(&document).expect("serialises"),
            json!({
                "@context": ["https://www.w3.org/ns/did/v1"],
                "id": "did:web:example.org",
                "verificationMethod": [{"id": id, "type": "Multikey",
                    "controller": "did:web:example.org", "publicKeyMultibase": multibase}],
                "assertionMethod": [id],
                "authentication": [],
            })
            .to_string()
        );
    }
}
