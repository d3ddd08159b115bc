//! `IdentityObject`: how a credential names its earner without a DID — an
//! e-mail address, a name or a system id, usually hashed with a salt so that
//! the credential does not disclose it.
//!
//! Hash rule (OB 3.0 `IdentityHash`, <https://www.imsglobal.org/spec/ob/v3p0/#identityhash>):
//! `identityHash` is `"<algorithm>$<hex digest>"` where the digest is taken over
//! the UTF-8 bytes of the identity value followed by the salt, the algorithm is
//! `sha256` (or `md5`, accepted when reading) and hex digits may be either case.
//!
//! Before hashing, this project normalises e-mail addresses with
//! [`normalise_email`] and names with [`normalise_name`]; [`IdentityObject::matches`]
//! applies the same rule to the candidate, so an earner is recognised whatever
//! the case or spacing they type.

use md5::Md5;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use super::shape::exactly_one;

/// `identityType` for an e-mail address.
pub const IDENTITY_TYPE_EMAIL: &str = "emailAddress";
/// `identityType` for a person's name.
pub const IDENTITY_TYPE_NAME: &str = "name";
/// OB 2.0's spelling of the e-mail identity type, still seen in OB 3.0
/// examples (the implementation guide uses it); treated as [`IDENTITY_TYPE_EMAIL`].
const LEGACY_IDENTITY_TYPE_EMAIL: &str = "email";

/// The `IdentifierTypeEnum` of OB 3.0, used by `identityType` and
/// `identifierType` (<https://www.imsglobal.org/spec/ob/v3p0/#identifiertypeenum>).
pub const IDENTIFIER_TYPES: &[&str] = &[
    "name",
    "sourcedId",
    "systemId",
    "productId",
    "userName",
    "accountId",
    "emailAddress",
    "nationalIdentityNumber",
    "isbn",
    "issn",
    "lisSourcedId",
    "oneRosterSourcedId",
    "sisSourcedId",
    "ltiContextId",
    "ltiDeploymentId",
    "ltiToolId",
    "ltiPlatformId",
    "ltiUserId",
    "identifier",
];

/// Whether `value` is a valid `identityType` / `identifierType`: a member of
/// [`IDENTIFIER_TYPES`] or an `ext:` extension.
pub fn is_valid_identifier_type(value: &str) -> bool {
    IDENTIFIER_TYPES.contains(&value) || super::achievement::is_extension_term(value)
}

/// An identity of the earner (<https://www.imsglobal.org/spec/ob/v3p0/#identityobject>).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdentityObject {
    /// Must be `IdentityObject`.
    #[serde(rename = "type", deserialize_with = "exactly_one")]
    pub identity_object_type: String,
    /// Whether `identity_hash` is a hash or the plain value.
    pub hashed: bool,
    /// `"sha256$<hex>"` when hashed, else the plain identity value.
    #[serde(rename = "identityHash")]
    pub identity_hash: String,
    /// Kind of identity: one of [`IDENTIFIER_TYPES`] or an `ext:` value.
    #[serde(rename = "identityType")]
    pub identity_type: String,
    /// Salt appended to the value before hashing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salt: Option<String>,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl IdentityObject {
    /// A hashed identity: `identityHash` = `"sha256$"` + lowercase hex of
    /// SHA-256(`plain_value` + `salt`). The value is hashed as given: normalise
    /// it first (or use [`IdentityObject::hashed_email`] / [`IdentityObject::hashed_name`]).
    pub fn hashed(identity_type: &str, plain_value: &str, salt: &str) -> Self {
        IdentityObject {
            identity_object_type: "IdentityObject".to_owned(),
            hashed: true,
            identity_hash: format!("sha256${}", hex::encode(sha256(plain_value, salt))),
            identity_type: identity_type.to_owned(),
            salt: Some(salt.to_owned()),
            extra: Map::new(),
        }
    }

    /// A hashed `emailAddress` identity of [`normalise_email`]`(email)`.
    pub fn hashed_email(email: &str, salt: &str) -> Self {
        Self::hashed(IDENTITY_TYPE_EMAIL, &normalise_email(email), salt)
    }

    /// A hashed `name` identity of [`normalise_name`]`(name)`.
    pub fn hashed_name(name: &str, salt: &str) -> Self {
        Self::hashed(IDENTITY_TYPE_NAME, &normalise_name(name), salt)
    }

    /// Whether `candidate` is the identity this object names.
    ///
    /// The candidate is tried as given and, for e-mail (`emailAddress`, or the
    /// legacy `email`) and `name` identities, in its normalised form
    /// ([`normalise_email`], [`normalise_name`]). A hashed identity matches when
    /// the `sha256` or `md5` digest of candidate + salt equals the stored digest
    /// (hex compared case-insensitively); an unknown algorithm or a hash
    /// without `$` never matches. A plain identity matches when the normalised
    /// forms are equal (exact comparison for other identity types).
    pub fn matches(&self, candidate: &str) -> bool {
        let normalised = self.normalise(candidate);
        if !self.hashed {
            return self.normalise(&self.identity_hash) == normalised;
        }
        let Some((algorithm, digest)) = self.identity_hash.split_once('$') else {
            return false;
        };
        let salt = self.salt.as_deref().unwrap_or("");
        let hash = |value: &str| match algorithm.to_ascii_lowercase().as_str() {
            "sha256" => Some(hex::encode(sha256(value, salt))),
            "md5" => Some(hex::encode(
                Md5::new().chain_update(value).chain_update(salt).finalize(),
            )),
            _ => None,
        };
        // Bound to a local so the array's temporaries end before `normalised`.
        let found = [candidate, normalised.as_str()]
            .into_iter()
            .filter_map(hash)
            .any(|computed| computed.eq_ignore_ascii_case(digest));
        found
    }

    /// The candidate in the normal form of this identity's type.
    fn normalise(&self, value: &str) -> String {
        match self.identity_type.as_str() {
            IDENTITY_TYPE_EMAIL | LEGACY_IDENTITY_TYPE_EMAIL => normalise_email(value),
            IDENTITY_TYPE_NAME => normalise_name(value),
            _ => value.to_owned(),
        }
    }
}

fn sha256(value: &str, salt: &str) -> [u8; 32] {
    Sha256::new()
        .chain_update(value)
        .chain_update(salt)
        .finalize()
        .into()
}

/// The normal form of an e-mail address: surrounding whitespace removed and
/// the whole address lowercased. (The local part is case-sensitive in theory;
/// no mail provider treats it so, and earners type it in any case.)
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The normal form of a person's name: Unicode NFC (so a composed "é" and
/// "e" + combining accent are the same), surrounding whitespace removed, every
/// run of whitespace inside reduced to one space, and lowercased.
/// "  Marie-Hélène   DUPONT " becomes "marie-hélène dupont".
pub fn normalise_name(name: &str) -> String {
    let composed: String = name.nfc().collect();
    composed
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The implementation guide's example: SHA-256 of
    /// `jjefferson18@example.com` + `FleurDeSel`.
    const GUIDE_HASH: &str =
        "sha256$658625b25ab3d75d613ca97d9a5a77f70e2192feca5557f4ad09a4d4f121f5fc";

    #[test]
    fn hashed_reproduces_the_implementation_guide_example() {
        let identity =
            IdentityObject::hashed("emailAddress", "jjefferson18@example.com", "FleurDeSel");
        assert_eq!(identity.identity_hash, GUIDE_HASH);
        assert!(identity.hashed);
        assert_eq!(identity.salt.as_deref(), Some("FleurDeSel"));
    }

    #[test]
    fn hashed_email_matches_any_case_and_nothing_else() {
        let identity = IdentityObject::hashed_email(" JJefferson18@Example.com", "FleurDeSel");
        assert_eq!(identity.identity_hash, GUIDE_HASH);
        assert!(identity.matches("jjefferson18@example.com"));
        assert!(identity.matches("JJEFFERSON18@EXAMPLE.COM "));
        assert!(!identity.matches("jjefferson19@example.com"));
    }

    #[test]
    fn uppercase_hex_and_md5_digests_match() {
        let mut identity = IdentityObject::hashed("emailAddress", "a@b.fr", "salt");
        identity.identity_hash = identity
            .identity_hash
            .to_uppercase()
            .replace("SHA256", "sha256");
        assert!(identity.matches("a@b.fr"));
        // md5("a@b.frsalt"), computed independently (Python hashlib).
        let md5 = "2b4f4a7e2db22de1d1d11107a2f20bec";
        identity.identity_hash = format!("md5${md5}");
        assert!(identity.matches("a@b.fr"));
        identity.identity_hash = format!("sha1${md5}");
        assert!(!identity.matches("a@b.fr"));
        identity.identity_hash = md5.to_owned();
        assert!(!identity.matches("a@b.fr"));
    }

    #[test]
    fn names_are_normalised_before_hashing_and_matching() {
        let identity = IdentityObject::hashed_name("Marie-Hélène  Dupont", "sel");
        assert!(identity.matches("marie-hélène dupont"));
        // Decomposed accent (e + U+0301) and extra spaces.
        assert!(identity.matches("  MARIE-He\u{301}le\u{300}ne\tDupont "));
        assert!(!identity.matches("Marie Hélène Dupont"));
        assert_eq!(
            normalise_name("  Marie-Hélène   DUPONT "),
            "marie-hélène dupont"
        );
    }

    #[test]
    fn plain_identities_compare_in_normal_form() {
        let identity: IdentityObject = serde_json::from_value(serde_json::json!({
            "type": "IdentityObject",
            "hashed": false,
            "identityHash": "Student@1EdTech.edu",
            "identityType": "email",
            "salt": "not-used"
        }))
        .unwrap();
        assert!(identity.matches("student@1edtech.edu"));
        assert!(!identity.matches("student@1edtech.org"));
        let system_id = IdentityObject {
            identity_type: "sourcedId".into(),
            identity_hash: "AbC".into(),
            ..identity
        };
        assert!(system_id.matches("AbC"));
        assert!(!system_id.matches("abc"));
    }

    #[test]
    fn identifier_types_accept_the_enumeration_and_extensions() {
        assert!(is_valid_identifier_type("emailAddress"));
        assert!(is_valid_identifier_type("ext:siret"));
        assert!(!is_valid_identifier_type("email"));
    }
}
