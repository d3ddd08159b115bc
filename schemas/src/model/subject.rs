//! Credential subjects and what they carry: `AchievementSubject` (the earner
//! and the achievement), `AchievementResult` (the spec's `Result`),
//! `EndorsementSubject` and `Evidence`.
//! Spec: <https://www.imsglobal.org/spec/ob/v3p0/#achievementsubject>.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

use super::shape::one_or_many;
use super::{Achievement, Alignment, IdentityObject, Image, Profile};

/// The earner of an achievement and the achievement itself.
///
/// OB 3.0 requires `id` or at least one `identifier`, and an `achievement`;
/// `achievement` is optional here so that a non-conforming credential can still
/// be read (validation reports it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AchievementSubject {
    /// The earner's identifier (a DID or URI), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The types; must include `AchievementSubject`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub types: Vec<String>,
    /// Other identities of the earner (e-mail, name, system ids), possibly hashed.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub identifier: Vec<IdentityObject>,
    /// The achievement awarded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achievement: Option<Achievement>,
    /// Narrative of how the earner met the criteria.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
    /// End of the activity that led to the achievement.
    #[serde(
        rename = "activityEndDate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub activity_end_date: Option<String>,
    /// Start of the activity that led to the achievement.
    #[serde(
        rename = "activityStartDate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub activity_start_date: Option<String>,
    /// Credits earned.
    #[serde(
        rename = "creditsEarned",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub credits_earned: Option<Number>,
    /// Image of the earner's achievement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// Licence number.
    #[serde(
        rename = "licenseNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub license_number: Option<String>,
    /// Results obtained.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub result: Vec<AchievementResult>,
    /// Role of the earner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The organisation that assessed the earner, if not the issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Profile>,
    /// Academic term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
    /// Display name of the earner (not an OB 3.0 property; some issuers add it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl AchievementSubject {
    /// A subject of type `AchievementSubject` for `achievement`; set `id` or
    /// `identifier` to name the earner.
    pub fn new(achievement: Achievement) -> Self {
        AchievementSubject {
            types: vec!["AchievementSubject".to_owned()],
            achievement: Some(achievement),
            ..AchievementSubject::default()
        }
    }
}

/// A result of an assessment: the spec's `Result`, renamed to avoid a clash
/// with `std::result::Result` (<https://www.imsglobal.org/spec/ob/v3p0/#result>).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AchievementResult {
    /// The types; must include `Result`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub types: Vec<String>,
    /// Id of the rubric level achieved.
    #[serde(
        rename = "achievedLevel",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub achieved_level: Option<String>,
    /// Alignments of the result.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub alignment: Vec<Alignment>,
    /// Id of the `ResultDescription` this result answers.
    #[serde(
        rename = "resultDescription",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub result_description: Option<String>,
    /// Status (`Completed`, `Enrolled`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The value obtained.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What an endorsement is about (<https://www.imsglobal.org/spec/ob/v3p0/#endorsementsubject>).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EndorsementSubject {
    /// Id of the endorsed credential, achievement or profile.
    pub id: String,
    /// The types; must include `EndorsementSubject`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub types: Vec<String>,
    /// The endorser's comment.
    #[serde(
        rename = "endorsementComment",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub endorsement_comment: Option<String>,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Evidence of an achievement (<https://www.imsglobal.org/spec/ob/v3p0/#evidence>).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// URL of the evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The types; must include `Evidence`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub types: Vec<String>,
    /// Markdown narrative of the evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
    /// Name of the evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description of the evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Kind of evidence ("Research", "Portfolio").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub genre: Option<String>,
    /// Intended audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
