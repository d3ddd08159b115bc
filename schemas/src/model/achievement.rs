//! `Achievement` (what a badge recognises) and its parts: `Criteria`,
//! `Alignment`, `ResultDescription`, `RubricCriterionLevel`, `Related`, plus the
//! spec's enumerated `achievementType` vocabulary.
//! Spec: <https://www.imsglobal.org/spec/ob/v3p0/#achievement>.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

use super::shape::one_or_many;
use super::{EndorsementCredential, IdentifierEntry, Image, Profile};

/// An accomplishment that can be awarded: a skill, a course, a competency.
///
/// `id` and `name` are required; `criteria` and `description`, also required by
/// OB 3.0, are optional here so that a non-conforming achievement can still be
/// read (validation reports them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Achievement {
    /// Unique URI of the achievement.
    pub id: String,
    /// The types; must include `Achievement`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub types: Vec<String>,
    /// Name of the achievement.
    pub name: String,
    /// Short description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How the achievement is earned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criteria: Option<Criteria>,
    /// Kind of achievement: one of [`ACHIEVEMENT_TYPES`] or an `ext:` extension;
    /// see [`is_valid_achievement_type`].
    #[serde(
        rename = "achievementType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub achievement_type: Option<String>,
    /// Language of the achievement (BCP 47).
    #[serde(
        rename = "inLanguage",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub in_language: Option<String>,
    /// Version of the achievement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Who created the achievement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator: Option<Profile>,
    /// Keywords.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub tag: Vec<String>,
    /// Alignments to competency frameworks or other achievements.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub alignment: Vec<Alignment>,
    /// Badge image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// Credit hours available.
    #[serde(
        rename = "creditsAvailable",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub credits_available: Option<Number>,
    /// Endorsements of the achievement.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub endorsement: Vec<EndorsementCredential>,
    /// Endorsements of the achievement as compact JWS strings.
    #[serde(
        rename = "endorsementJwt",
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub endorsement_jwt: Vec<String>,
    /// Field of study.
    #[serde(
        rename = "fieldOfStudy",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub field_of_study: Option<String>,
    /// Code used by humans for the achievement.
    #[serde(rename = "humanCode", default, skip_serializing_if = "Option::is_none")]
    pub human_code: Option<String>,
    /// Other identifiers of the achievement.
    #[serde(
        rename = "otherIdentifier",
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub other_identifier: Vec<IdentifierEntry>,
    /// Related achievements (other languages, versions).
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub related: Vec<Related>,
    /// Results an earner may obtain.
    #[serde(
        rename = "resultDescription",
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub result_description: Vec<ResultDescription>,
    /// Specialisation within the field of study.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specialization: Option<String>,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Achievement {
    /// An achievement of type `Achievement` with an id and a name.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Achievement {
            id: id.into(),
            types: vec!["Achievement".to_owned()],
            name: name.into(),
            ..Achievement::default()
        }
    }
}

/// How an achievement is earned (<https://www.imsglobal.org/spec/ob/v3p0/#criteria>).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Criteria {
    /// URI of a page describing the criteria.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Markdown narrative of the criteria.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An alignment to a node of an educational or competency framework
/// (<https://www.imsglobal.org/spec/ob/v3p0/#alignment>).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Alignment {
    /// The types; must include `Alignment`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub types: Vec<String>,
    /// Name of the node (required by OB 3.0).
    #[serde(
        rename = "targetName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub target_name: Option<String>,
    /// URL of the node (required by OB 3.0).
    #[serde(rename = "targetUrl", default, skip_serializing_if = "Option::is_none")]
    pub target_url: Option<String>,
    /// Locally unique code of the node within its framework.
    #[serde(
        rename = "targetCode",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub target_code: Option<String>,
    /// Description of the node.
    #[serde(
        rename = "targetDescription",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub target_description: Option<String>,
    /// Name of the framework.
    #[serde(
        rename = "targetFramework",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub target_framework: Option<String>,
    /// Kind of node: `ceasn:Competency`, `CFItem`, `ext:...`.
    #[serde(
        rename = "targetType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub target_type: Option<String>,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Alignment {
    /// An alignment of type `Alignment` to the named node at `target_url`.
    pub fn new(target_name: impl Into<String>, target_url: impl Into<String>) -> Self {
        Alignment {
            types: vec!["Alignment".to_owned()],
            target_name: Some(target_name.into()),
            target_url: Some(target_url.into()),
            ..Alignment::default()
        }
    }
}

/// A possible result of an achievement (<https://www.imsglobal.org/spec/ob/v3p0/#resultdescription>).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResultDescription {
    /// Identifier referenced by `AchievementResult::result_description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The types; must include `ResultDescription`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub types: Vec<String>,
    /// Alignments of the result.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub alignment: Vec<Alignment>,
    /// Ordered allowed values.
    #[serde(
        rename = "allowedValue",
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub allowed_value: Vec<String>,
    /// Name of the result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Rubric level required to earn the achievement.
    #[serde(
        rename = "requiredLevel",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub required_level: Option<String>,
    /// Value required to earn the achievement.
    #[serde(
        rename = "requiredValue",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub required_value: Option<String>,
    /// Kind of result (`LetterGrade`, `Status`, `ext:...`).
    #[serde(
        rename = "resultType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub result_type: Option<String>,
    /// Rubric levels.
    #[serde(
        rename = "rubricCriterionLevel",
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub rubric_criterion_level: Vec<RubricCriterionLevel>,
    /// Maximum value.
    #[serde(rename = "valueMax", default, skip_serializing_if = "Option::is_none")]
    pub value_max: Option<String>,
    /// Minimum value.
    #[serde(rename = "valueMin", default, skip_serializing_if = "Option::is_none")]
    pub value_min: Option<String>,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One level of a rubric criterion (<https://www.imsglobal.org/spec/ob/v3p0/#rubriccriterionlevel>).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RubricCriterionLevel {
    /// Identifier of the level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The types; must include `RubricCriterionLevel`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub types: Vec<String>,
    /// Alignments of the level.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub alignment: Vec<Alignment>,
    /// Description of the level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Qualitative level ("Mastered").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// Name of the level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Points for the level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<String>,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A related achievement or profile (<https://www.imsglobal.org/spec/ob/v3p0/#related>).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Related {
    /// Identifier of the related object.
    pub id: String,
    /// The types; must include `Related`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub types: Vec<String>,
    /// Language of the related object.
    #[serde(
        rename = "inLanguage",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub in_language: Option<String>,
    /// Version of the related object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `AchievementType` enumeration of OB 3.0
/// (<https://www.imsglobal.org/spec/ob/v3p0/#achievementtype-enumeration>).
pub const ACHIEVEMENT_TYPES: &[&str] = &[
    "Achievement",
    "ApprenticeshipCertificate",
    "Assessment",
    "Assignment",
    "AssociateDegree",
    "Award",
    "Badge",
    "BachelorDegree",
    "Certificate",
    "CertificateOfCompletion",
    "Certification",
    "CommunityService",
    "Competency",
    "Course",
    "CoCurricular",
    "Degree",
    "Diploma",
    "DoctoralDegree",
    "Fieldwork",
    "GeneralEducationDevelopment",
    "JourneymanCertificate",
    "LearningProgram",
    "License",
    "Membership",
    "ProfessionalDoctorate",
    "QualityAssuranceCredential",
    "MasterCertificate",
    "MasterDegree",
    "MicroCredential",
    "ResearchDoctorate",
    "SecondarySchoolDiploma",
];

/// Whether `value` is a valid `achievementType`: a member of
/// [`ACHIEVEMENT_TYPES`] or an extension `ext:` followed by letters, digits,
/// `.`, `-`, `_` or `|` (the schema's pattern).
pub fn is_valid_achievement_type(value: &str) -> bool {
    ACHIEVEMENT_TYPES.contains(&value) || is_extension_term(value)
}

/// Whether `value` is an `ext:` extension term of an extensible enumeration.
pub(crate) fn is_extension_term(value: &str) -> bool {
    value.strip_prefix("ext:").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '|'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn achievement_types_accept_the_enumeration_and_extensions() {
        assert!(is_valid_achievement_type("Competency"));
        assert!(is_valid_achievement_type("ext:MediationNumerique"));
        assert!(!is_valid_achievement_type("competency"));
        assert!(!is_valid_achievement_type("ext:"));
        assert!(!is_valid_achievement_type("ext:with space"));
    }
}
