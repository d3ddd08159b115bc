//! The `BitstringStatusListCredential` a status list is published as, and its
//! subject, the `BitstringStatusList`
//! (<https://www.w3.org/TR/vc-bitstring-status-list/#bitstringstatuslistcredential>).
//!
//! The credential is the common [`Credential`] envelope with a
//! [`BitstringStatusList`] subject: an issuer writes it through these types;
//! a verifier, which must judge whatever it is given, reads lists as plain
//! JSON.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::shape::exactly_one;
use super::{Credential, Issuer, VC_V2_CONTEXT};

/// A `BitstringStatusListCredential`: a credential whose subject is a
/// [`BitstringStatusList`].
pub type BitstringStatusListCredential = Credential<BitstringStatusList>;

/// The subject of a status list credential: the list itself
/// (<https://www.w3.org/TR/vc-bitstring-status-list/#bitstringstatuslist>).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BitstringStatusList {
    /// URL of the list, conventionally the credential's `id` with `#list`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Must be `BitstringStatusList`; a string, as the specification writes it.
    #[serde(rename = "type", deserialize_with = "exactly_one")]
    pub list_type: String,
    /// What a set bit means: `revocation`, `suspension`...
    #[serde(rename = "statusPurpose")]
    pub status_purpose: String,
    /// The bits, GZIP-compressed, base64url-encoded without padding, with the
    /// multibase `u` prefix; the first bit is the most significant of the
    /// first byte.
    #[serde(rename = "encodedList")]
    pub encoded_list: String,
    /// How long, in milliseconds, a copy may be cached before being fetched again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u64>,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl BitstringStatusList {
    /// `type` of the subject.
    pub const TYPE: &'static str = "BitstringStatusList";

    /// The list `id` with purpose `status_purpose` and bits `encoded_list`.
    pub fn new(
        id: impl Into<String>,
        status_purpose: impl Into<String>,
        encoded_list: impl Into<String>,
    ) -> Self {
        BitstringStatusList {
            id: Some(id.into()),
            list_type: Self::TYPE.to_owned(),
            status_purpose: status_purpose.into(),
            encoded_list: encoded_list.into(),
            ttl: None,
            extra: Map::new(),
        }
    }
}

impl BitstringStatusListCredential {
    /// `type` of the credential, after `VerifiableCredential`.
    pub const TYPE: &'static str = "BitstringStatusListCredential";

    /// A status list credential in the VC 2.0 shape: context VC 2.0, types
    /// `VerifiableCredential` and `BitstringStatusListCredential`, `validFrom`
    /// as given (RFC 3339). No proof yet.
    pub fn new(
        id: impl Into<String>,
        issuer: Issuer,
        valid_from: impl Into<String>,
        subject: BitstringStatusList,
    ) -> Self {
        Credential {
            context: vec![VC_V2_CONTEXT.into()],
            id: Some(id.into()),
            types: vec!["VerifiableCredential".to_owned(), Self::TYPE.to_owned()],
            name: None,
            description: None,
            image: None,
            issuer,
            valid_from: Some(valid_from.into()),
            valid_until: None,
            issuance_date: None,
            expiration_date: None,
            awarded_date: None,
            credential_subject: subject,
            endorsement: Vec::new(),
            endorsement_jwt: Vec::new(),
            credential_schema: Vec::new(),
            credential_status: None,
            refresh_service: None,
            terms_of_use: Vec::new(),
            evidence: Vec::new(),
            proof: Vec::new(),
            extra: Map::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn new_list_serialises_in_the_specification_order() {
        let list = BitstringStatusListCredential::new(
            "https://example.com/status/3",
            Issuer::Uri("did:web:example.com".to_owned()),
            "2021-04-05T14:27:40Z",
            BitstringStatusList::new("https://example.com/status/3#list", "revocation", "uH4s"),
        );
        assert_eq!(
            serde_json::to_string(&list).unwrap(),
            json!({
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "id": "https://example.com/status/3",
                "type": ["VerifiableCredential", "BitstringStatusListCredential"],
                "issuer": "did:web:example.com",
                "validFrom": "2021-04-05T14:27:40Z",
                "credentialSubject": {
                    "id": "https://example.com/status/3#list",
                    "type": "BitstringStatusList",
                    "statusPurpose": "revocation",
                    "encodedList": "uH4s"
                }
            })
            .to_string()
        );
    }

    #[test]
    fn subject_type_may_be_an_array_of_one() {
        let subject: BitstringStatusList = serde_json::from_value(json!({
            "type": ["BitstringStatusList"], "statusPurpose": "suspension",
            "encodedList": "u", "ttl": 300000, "statusSize": 1
        }))
        .unwrap();
        assert_eq!(subject.list_type, BitstringStatusList::TYPE);
        assert_eq!(subject.ttl, Some(300_000));
        assert_eq!(subject.extra["statusSize"], 1);
    }
}
