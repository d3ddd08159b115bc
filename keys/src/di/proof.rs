//! Reading embedded proofs: listing them, their verification method and cryptosuite.
//!
//! A secured document's `proof` is one object or an array of them (a proof set);
//! each proof is verified on its own against the document without any `proof`.

use serde_json::{Map, Value};

use super::DataIntegrityError;
use crate::keypair::PublicKey;

/// The Data Integrity proof type (<https://www.w3.org/TR/vc-data-integrity/#dataintegrityproof>).
pub const DATA_INTEGRITY_PROOF: &str = "DataIntegrityProof";
/// The current EdDSA cryptosuite over RDFC-1.0 (<https://www.w3.org/TR/vc-di-eddsa/#eddsa-rdfc-2022>).
pub const EDDSA_RDFC_2022: &str = "eddsa-rdfc-2022";
/// The draft name of the same cryptosuite, met on VC 1.1 credentials (verify only).
pub const EDDSA_2022: &str = "eddsa-2022";
/// The legacy Ed25519 proof type (<https://www.w3.org/TR/vc-di-eddsa/#ed25519signature2020>).
pub const ED25519_SIGNATURE_2020: &str = "Ed25519Signature2020";
/// The 2018 Ed25519 proof type, a detached JWS
/// (<https://w3c-ccg.github.io/lds-ed25519-2018/>).
pub const ED25519_SIGNATURE_2018: &str = "Ed25519Signature2018";
/// ECDSA over RDFC-1.0 (<https://www.w3.org/TR/vc-di-ecdsa/#ecdsa-rdfc-2019>).
pub const ECDSA_RDFC_2019: &str = "ecdsa-rdfc-2019";
/// ECDSA selective disclosure (<https://www.w3.org/TR/vc-di-ecdsa/#ecdsa-sd-2023>).
pub const ECDSA_SD_2023: &str = "ecdsa-sd-2023";

/// The proof suites this crate verifies.
///
/// All but `ecdsa-sd-2023` sign `SHA-256(canonical proof configuration) ||
/// SHA-256(canonical document)`, with Ed25519 or ECDSA P-256 (the 2018 suite inside a
/// detached JWS); `ecdsa-sd-2023` signs each disclosable statement on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProofSuite {
    /// `DataIntegrityProof` with `cryptosuite: "eddsa-rdfc-2022"`.
    EddsaRdfc2022,
    /// `DataIntegrityProof` with the legacy `cryptosuite: "eddsa-2022"`.
    Eddsa2022,
    /// The legacy `Ed25519Signature2020` proof type.
    Ed25519Signature2020,
    /// The legacy `Ed25519Signature2018` proof type (detached JWS, `b64: false`).
    Ed25519Signature2018,
    /// `DataIntegrityProof` with `cryptosuite: "ecdsa-rdfc-2019"` (P-256).
    EcdsaRdfc2019,
    /// `DataIntegrityProof` with `cryptosuite: "ecdsa-sd-2023"` (P-256): only a
    /// derived (disclosure) proof can be verified.
    EcdsaSd2023,
}

impl ProofSuite {
    /// The suite of a proof, or [`DataIntegrityError::UnsupportedCryptosuite`].
    pub fn of(proof: &Value) -> Result<Self, DataIntegrityError> {
        let proof_type = proof
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| DataIntegrityError::MalformedProof("no string `type`".to_owned()))?;
        let cryptosuite = proof.get("cryptosuite").and_then(Value::as_str);
        match (proof_type, cryptosuite) {
            (DATA_INTEGRITY_PROOF, Some(EDDSA_RDFC_2022)) => Ok(Self::EddsaRdfc2022),
            (DATA_INTEGRITY_PROOF, Some(EDDSA_2022)) => Ok(Self::Eddsa2022),
            (DATA_INTEGRITY_PROOF, Some(ECDSA_RDFC_2019)) => Ok(Self::EcdsaRdfc2019),
            (DATA_INTEGRITY_PROOF, Some(ECDSA_SD_2023)) => Ok(Self::EcdsaSd2023),
            (ED25519_SIGNATURE_2020, None) => Ok(Self::Ed25519Signature2020),
            (ED25519_SIGNATURE_2018, None) => Ok(Self::Ed25519Signature2018),

            _ => Err(DataIntegrityError::UnsupportedCryptosuite {
                proof_type: proof_type.to_owned(),
                cryptosuite: cryptosuite.map(str::to_owned),
            }),
        }
    }
}

impl ProofSuite {
    /// The suite's name: its `cryptosuite`, or its proof `type` for the legacy ones.
    pub fn name(self) -> &'static str {
        match self {
            Self::EddsaRdfc2022 => EDDSA_RDFC_2022,
            Self::Eddsa2022 => EDDSA_2022,
            Self::Ed25519Signature2020 => ED25519_SIGNATURE_2020,
            Self::Ed25519Signature2018 => ED25519_SIGNATURE_2018,
            Self::EcdsaRdfc2019 => ECDSA_RDFC_2019,
            Self::EcdsaSd2023 => ECDSA_SD_2023,
        }
    }

    /// The kind of key the suite verifies with, as [`PublicKey::kind`] names it.
    pub fn key_kind(self) -> &'static str {
        match self {
            Self::EcdsaRdfc2019 | Self::EcdsaSd2023 => "P-256",
            _ => "Ed25519",
        }
    }

    /// Whether `key` is of the kind this suite verifies with.
    pub fn accepts(self, key: &PublicKey) -> bool {
        key.kind() == self.key_kind()
    }
}

/// The proofs embedded in a secured document: none, one object, or each object of a
/// proof array (non-object array items are returned too, and refused when verified).
pub fn proofs(secured: &Value) -> Vec<&Value> {
    match secured.get("proof") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single) => vec![single],
    }
}

/// The `verificationMethod` of a proof (a URL such as `did:key:z6Mk...#z6Mk...`), if any.
pub fn proof_verification_method(proof: &Value) -> Option<&str> {
    proof.get("verificationMethod").and_then(Value::as_str)
}

/// The document without its `proof`: what every proof of a proof set signs.
pub fn unsecured_document(secured: &Value) -> Result<Map<String, Value>, DataIntegrityError> {
    let mut unsecured = secured
        .as_object()
        .ok_or(DataIntegrityError::NotAnObject("secured document"))?
        .clone();
    unsecured.remove("proof");
    Ok(unsecured)
}

/// The proof's `proofValue` string.
pub(crate) fn proof_value(proof: &Map<String, Value>) -> Result<&str, DataIntegrityError> {
    proof
        .get("proofValue")
        .and_then(Value::as_str)
        .ok_or_else(|| DataIntegrityError::MalformedProof("no string `proofValue`".to_owned()))
}

/// Decodes a multibase base58btc (`z`-prefixed) 64-byte signature (Ed25519 and P-256
/// signatures both have 64 bytes); `algorithm` names it in errors.
pub(crate) fn decode_base58_proof_value(
    proof: &Map<String, Value>,
    algorithm: &str,
) -> Result<[u8; 64], DataIntegrityError> {
    let base58 = proof_value(proof)?.strip_prefix('z').ok_or_else(|| {
        DataIntegrityError::MalformedProof("proofValue is not multibase base58btc ('z')".to_owned())
    })?;
    let bytes = bs58::decode(base58)
        .into_vec()
        .map_err(|error| DataIntegrityError::MalformedProof(format!("proofValue: {error}")))?;
    <[u8; 64]>::try_from(bytes.as_slice()).map_err(|_| {
        DataIntegrityError::MalformedProof(format!(
            "proofValue decodes to {} bytes, an {algorithm} signature has 64",
            bytes.len()
        ))
    })
}

/// Decodes a multibase base58btc (`z`-prefixed) Ed25519 signature.
pub(crate) fn decode_proof_value(
    proof: &Map<String, Value>,
) -> Result<[u8; 64], DataIntegrityError> {
    decode_base58_proof_value(proof, "Ed25519")
}

/// Encodes an Ed25519 signature as multibase base58btc.
pub(crate) fn encode_proof_value(signature: &[u8; 64]) -> String {
    let mut encoded = String::with_capacity(90);
    encoded.push('z');
    encoded.push_str(&bs58::encode(signature).into_string());
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn proofs_lists_object_or_array() {
        assert!(proofs(&json!({})).is_empty());
        assert_eq!(proofs(&json!({"proof": {"type": "X"}})).len(), 1);
        assert_eq!(
            proofs(&json!({"proof": [{"type": "X"}, {"type": "Y"}]})).len(),
            2
        );
    }

    #[test]
    fn suite_detection() {
        let suite = |p: Value| ProofSuite::of(&p);
        assert_eq!(
            suite(json!({"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022"})).ok(),
            Some(ProofSuite::EddsaRdfc2022)
        );
        assert_eq!(
            suite(json!({"type": "Ed25519Signature2020"})).ok(),
            Some(ProofSuite::Ed25519Signature2020)
        );
        assert_eq!(
            suite(json!({"type": "DataIntegrityProof", "cryptosuite": "ecdsa-rdfc-2019"})).ok(),
            Some(ProofSuite::EcdsaRdfc2019)
        );
        assert_eq!(
            suite(json!({"type": "DataIntegrityProof", "cryptosuite": "ecdsa-sd-2023"})).ok(),
            Some(ProofSuite::EcdsaSd2023)
        );
        assert_eq!(
            suite(json!({"type": "Ed25519Signature2018"})).ok(),
            Some(ProofSuite::Ed25519Signature2018)
        );
        assert!(matches!(
            suite(json!({"type": "DataIntegrityProof", "cryptosuite": "bbs-2023"})),
            Err(DataIntegrityError::UnsupportedCryptosuite { .. })
        ));
        // A cryptosuite on a legacy type is not that legacy suite.
        assert!(matches!(
            suite(json!({"type": "Ed25519Signature2020", "cryptosuite": "ecdsa-rdfc-2019"})),
            Err(DataIntegrityError::UnsupportedCryptosuite { .. })
        ));
        assert!(matches!(
            suite(json!({})),
            Err(DataIntegrityError::MalformedProof(_))
        ));
    }

    #[test]
    fn proof_value_round_trip_and_errors() {
        let signature = [7u8; 64];
        let object = |value: Value| value.as_object().cloned().expect("object");
        let proof = object(json!({"proofValue": encode_proof_value(&signature)}));
        assert_eq!(decode_proof_value(&proof).ok(), Some(signature));
        for bad in ["", "u123", "z0OIl", "z2222"] {
            let result = decode_proof_value(&object(json!({ "proofValue": bad })));
            assert!(
                matches!(result, Err(DataIntegrityError::MalformedProof(_))),
                "{bad}"
            );
        }
    }
}
