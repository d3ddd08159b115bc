//! The Open Badges 3.0 data model as serde types
//! (<https://www.imsglobal.org/spec/ob/v3p0/#data-model>).
//!
//! Reading is lenient about shape, writing is strict: single values are
//! accepted wherever JSON-LD compaction may produce them (`"type": "Profile"`,
//! one `proof` object, one `@context` string), and serialisation always emits
//! arrays for multi-valued properties and scalars for single-valued ones, as
//! the OB 3.0 JSON Schema expects. Every struct keeps the properties it does
//! not name in an `extra` map, so a parse -> serialise round trip loses nothing.
//! Dates are kept as the strings read (a signature covers their exact text);
//! helpers parse them.
//!
//! Field order is serialisation order, and it is the order the issuer has
//! always emitted (identity, then name and description, then the rest): a
//! VC-JWT signs the payload's bytes and stored documents are compared byte for
//! byte, so reorder fields only knowing that issued documents change with them.

mod achievement;
mod credential;
mod identity;
mod profile;
pub mod shape;
mod status_list;
mod subject;
mod vc;

pub use achievement::{
    is_valid_achievement_type, Achievement, Alignment, Criteria, Related, ResultDescription,
    RubricCriterionLevel, ACHIEVEMENT_TYPES,
};
pub use credential::{
    parse_date, AchievementCredential, ContextEntry, Credential, EndorsementCredential,
    OpenBadgeCredential, OB_V3_CONTEXT, VC_V1_CONTEXT, VC_V2_CONTEXT,
};
pub use identity::{
    is_valid_identifier_type, normalise_email, normalise_name, IdentityObject, IDENTIFIER_TYPES,
    IDENTITY_TYPE_EMAIL, IDENTITY_TYPE_NAME,
};
pub use profile::{Address, GeoCoordinates, IdentifierEntry, Image, Issuer, Profile};
pub use status_list::{BitstringStatusList, BitstringStatusListCredential};
pub use subject::{AchievementResult, AchievementSubject, EndorsementSubject, Evidence};
pub use vc::{
    CredentialSchema, CredentialStatus, Proof, RefreshService, StatusListIndex, TermsOfUse,
};

/// Errors reading values out of the model.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// A date property is not an RFC 3339 date-time with a time zone.
    #[error("`{property}` is not a date-time with a time zone: {value:?}")]
    InvalidDate {
        /// The property, e.g. `validFrom`.
        property: &'static str,
        /// The text read.
        value: String,
        /// Why chrono refused it.
        #[source]
        source: chrono::ParseError,
    },
}
