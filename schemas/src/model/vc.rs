//! Verifiable Credential parts that are not OB-specific: `Proof`,
//! `CredentialSchema`, `CredentialStatus`, `RefreshService`, `TermsOfUse`.
//! Spec: <https://www.w3.org/TR/vc-data-model-2.0/>, status entries
//! <https://www.w3.org/TR/vc-bitstring-status-list/> and OB 3.0's
//! `1EdTechRevocationList` (<https://www.imsglobal.org/spec/ob/v3p0/#revocation-list>).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

use super::shape::exactly_one;

/// An embedded proof. The properties verification needs are typed; all the
/// others (`challenge`, `domain`, `nonce`, `expires`, `previousProof`, `id`...)
/// are kept in `extra` exactly as read, since a proof is signed over them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Proof {
    /// Proof type: `DataIntegrityProof`, `Ed25519Signature2020`...
    #[serde(rename = "type", deserialize_with = "exactly_one")]
    pub proof_type: String,
    /// Cryptosuite of a `DataIntegrityProof` (`eddsa-rdfc-2022`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cryptosuite: Option<String>,
    /// When the proof was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// The key that made the proof (a DID URL or URL).
    #[serde(
        rename = "verificationMethod",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub verification_method: Option<String>,
    /// Purpose of the proof, `assertionMethod` for credentials.
    #[serde(
        rename = "proofPurpose",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub proof_purpose: Option<String>,
    /// The signature, multibase-encoded.
    #[serde(
        rename = "proofValue",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub proof_value: Option<String>,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A schema the credential claims to conform to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialSchema {
    /// URL of the schema.
    pub id: String,
    /// Kind of schema: `1EdTechJsonSchemaValidator2019`, `JsonSchema`...
    #[serde(rename = "type", deserialize_with = "exactly_one")]
    pub schema_type: String,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The status (revocation) entry of a credential.
///
/// One struct covers the two methods OB 3.0 credentials use — a W3C
/// `BitstringStatusListEntry` (`statusPurpose`, `statusListIndex`,
/// `statusListCredential`) and a `1EdTechRevocationList` (`id` only) — and keeps
/// any other method readable; `status_type` says which it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialStatus {
    /// URL of the status entry (the revocation list for `1EdTechRevocationList`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The status method.
    #[serde(rename = "type", deserialize_with = "exactly_one")]
    pub status_type: String,
    /// Bitstring status list: `revocation`, `suspension`...
    #[serde(
        rename = "statusPurpose",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub status_purpose: Option<String>,
    /// Bitstring status list: position of this credential's bit.
    #[serde(
        rename = "statusListIndex",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub status_list_index: Option<StatusListIndex>,
    /// Bitstring status list: URL of the `BitstringStatusListCredential`.
    #[serde(
        rename = "statusListCredential",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub status_list_credential: Option<String>,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CredentialStatus {
    /// `type` of a Bitstring Status List entry.
    pub const BITSTRING_STATUS_LIST_ENTRY: &'static str = "BitstringStatusListEntry";
}

/// A `statusListIndex`: the spec says a string of base-10 digits, but numbers
/// are seen in the wild (the 1EdTech validator's own fixtures); both are read
/// and written back as they came.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum StatusListIndex {
    /// The conforming form, e.g. `"94567"`.
    Text(String),
    /// A JSON number.
    Number(Number),
}

impl StatusListIndex {
    /// The index as an integer, or `None` if it is not a non-negative integer.
    pub fn value(&self) -> Option<u64> {
        match self {
            StatusListIndex::Text(text) if text.bytes().all(|b| b.is_ascii_digit()) => {
                text.parse().ok()
            }
            StatusListIndex::Text(_) => None,
            StatusListIndex::Number(number) => number.as_u64(),
        }
    }
}

/// Where a refreshed copy of the credential can be obtained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefreshService {
    /// URL of the service.
    pub id: String,
    /// Kind of service, e.g. `1EdTechCredentialRefresh`.
    #[serde(rename = "type", deserialize_with = "exactly_one")]
    pub service_type: String,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Terms of use attached to the credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermsOfUse {
    /// URL of the terms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Kind of terms.
    #[serde(rename = "type", deserialize_with = "exactly_one")]
    pub terms_type: String,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_list_index_reads_strings_and_numbers() {
        let text: StatusListIndex = serde_json::from_str(r#""94567""#).unwrap();
        let number: StatusListIndex = serde_json::from_str("23").unwrap();
        assert_eq!(text.value(), Some(94567));
        assert_eq!(number.value(), Some(23));
        assert_eq!(StatusListIndex::Text("-1".into()).value(), None);
        assert_eq!(serde_json::to_string(&number).unwrap(), "23");
    }

    #[test]
    fn bitstring_entry_is_read_whole() {
        let entry: CredentialStatus = serde_json::from_value(serde_json::json!({
            "id": "https://example.com/status/1#5",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "5",
            "statusListCredential": "https://example.com/status/1"
        }))
        .unwrap();
        assert_eq!(
            entry.status_type,
            CredentialStatus::BITSTRING_STATUS_LIST_ENTRY
        );
        assert!(entry.extra.is_empty());
    }
}
