//! Achievements (badges) and their versions.
//!
//! An achievement is a stable identity (`achievements`) with numbered
//! versions (`achievement_versions`). Editing a version that no credential
//! points at changes it in place; editing one that has been awarded creates
//! the next version, so awarded credentials keep pointing at theirs. The
//! published OB 3.0 `Achievement` id is `<base>/achievements/<version id>`.

use diesel::prelude::*;
use schemas::{Achievement, Alignment, Criteria, Image, Profile};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit::{self, Actor, AuditEvent, Target};
use crate::db::schema::{achievement_versions, achievements, awards};
use crate::db::{DbConnection, DbError};
use crate::frameworks;
use crate::ids::{AchievementId, OrgId};
use crate::text::{self, TextError};
use crate::time::{new_id, now};

/// The longest extension name accepted after `ext:` (an input limit of
/// ours; the term itself is checked by [`schemas::is_valid_achievement_type`]).
const MAX_EXTENSION_TYPE_BYTES: usize = 99;

/// Why an achievement could not be created, changed or found.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AchievementError {
    /// A text field is empty or longer than `max` characters.
    #[error("{field}: 1 to {max} characters")]
    TextLength {
        /// The field, as the API names it.
        field: &'static str,
        /// The most characters it takes.
        max: usize,
    },
    /// The achievement type is neither in the Open Badges vocabulary nor a
    /// valid `ext:` extension.
    #[error("achievement_type: unknown {0:?}")]
    UnknownType(String),
    /// More than 20 tags, or one empty or longer than 50 characters.
    #[error("tags: at most 20, each 1 to 50 characters")]
    InvalidTags,
    /// The language is not a BCP 47 tag.
    #[error("language: a BCP 47 tag such as fr or en-GB")]
    InvalidLanguage,
    /// More than 21 alignments.
    #[error("alignments: at most 21")]
    TooManyAlignments,
    /// An alignment names a framework the issuer does not know.
    #[error("alignments: unknown framework {0:?}")]
    UnknownFramework(String),
    /// An alignment names a competence its framework lacks.
    #[error("alignments: no competence {code:?} in {framework}")]
    UnknownCompetence {
        /// The framework named.
        framework: String,
        /// The competence code named.
        code: String,
    },
    /// The image id is not one of the organisation's images.
    #[error("image_id: no such image in this organisation")]
    UnknownImage,
    /// No such achievement (or not the organisation's).
    #[error("achievement not found")]
    NotFound,
    /// The alignments could not be serialised (a bug).
    #[error("serialising alignments: {0}")]
    Serialise(String),
    /// A text field holds a control character.
    #[error(transparent)]
    Text(#[from] TextError),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for AchievementError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Database(e.into())
    }
}

/// A stored version.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = achievement_versions)]
pub struct AchievementVersion {
    /// Version id: the published Achievement id's last segment.
    pub id: String,
    /// The achievement it is a version of.
    pub achievement_id: String,
    /// 1, 2, ...
    pub version: i32,
    /// `name`.
    pub name: String,
    /// `description`.
    pub description: String,
    /// `criteria.narrative`.
    pub criteria_narrative: String,
    /// Uploaded image id.
    pub image_id: Option<String>,
    /// `achievementType`.
    pub achievement_type: String,
    /// `tag`, JSON array of strings.
    pub tags_json: String,
    /// `inLanguage`.
    pub language: String,
    /// `alignment`, JSON array of OB 3.0 Alignment objects.
    pub alignments_json: String,
    /// Created, Unix seconds.
    pub created_at: i64,
}

/// A competence to align to.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlignmentInput {
    /// Framework id (`digcomp-2.2`).
    pub framework: String,
    /// Competence code (`1.1` ... `5.4`).
    pub code: String,
}

/// An achievement as created or edited through the API.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AchievementInput {
    /// Name, 1 to 200 characters.
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// Description, 1 to 5000 characters.
    #[schema(min_length = 1, max_length = 5000)]
    pub description: String,
    /// Criteria narrative (what the participant did), 1 to 5000 characters.
    #[schema(min_length = 1, max_length = 5000)]
    pub criteria_narrative: String,
    /// `achievementType`, default `Badge`.
    #[serde(default)]
    pub achievement_type: Option<String>,
    /// Tags, at most 20 of at most 50 characters.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub tags: Vec<String>,
    /// BCP 47 language, default `fr`.
    #[serde(default)]
    pub language: Option<String>,
    /// An image uploaded to the same organisation.
    #[serde(default)]
    pub image_id: Option<String>,
    /// Competences, at most 21.
    #[serde(default)]
    #[schema(max_items = 21)]
    pub alignments: Vec<AlignmentInput>,
}

/// An achievement's current version as the API answers it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AchievementView {
    /// Stable achievement id.
    pub id: String,
    /// Current version id.
    pub version_id: String,
    /// Current version number.
    pub version: i32,
    /// The published OB 3.0 Achievement of this version.
    #[schema(value_type = Object)]
    pub achievement: Achievement,
}

/// `value` as [`text::line`] (or [`text::paragraphs`]), 1 to `max` characters.
fn checked_text(
    field: &'static str,
    value: &str,
    max: usize,
    paragraphs: bool,
) -> Result<String, AchievementError> {
    let value = if paragraphs {
        text::paragraphs(field, value)?
    } else {
        text::line(field, value)?
    };
    let length = value.chars().count();
    if length == 0 || length > max {
        return Err(AchievementError::TextLength { field, max });
    }
    Ok(value)
}

/// Validates the input into a version row (not yet stored).
fn to_version(
    achievement_id: &str,
    version: i32,
    input: AchievementInput,
) -> Result<AchievementVersion, AchievementError> {
    let name = checked_text("name", &input.name, 200, false)?;
    let description = checked_text("description", &input.description, 5000, true)?;
    let criteria_narrative =
        checked_text("criteria_narrative", &input.criteria_narrative, 5000, true)?;
    let achievement_type =
        text::optional_line("achievement_type", input.achievement_type.as_deref())?
            .unwrap_or_else(|| "Badge".into());
    let within_limit = achievement_type
        .strip_prefix("ext:")
        .is_none_or(|name| name.len() <= MAX_EXTENSION_TYPE_BYTES);
    if !within_limit || !schemas::is_valid_achievement_type(&achievement_type) {
        return Err(AchievementError::UnknownType(achievement_type));
    }
    let tags = input
        .tags
        .iter()
        .map(|t| text::line("tags", t))
        .collect::<Result<Vec<_>, _>>()?;
    if tags.len() > 20 || tags.iter().any(|t| t.is_empty() || t.chars().count() > 50) {
        return Err(AchievementError::InvalidTags);
    }
    let language = input.language.unwrap_or_else(|| "fr".into());
    let valid_language = (2..=35).contains(&language.len())
        && language
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !valid_language {
        return Err(AchievementError::InvalidLanguage);
    }
    if input.alignments.len() > 21 {
        return Err(AchievementError::TooManyAlignments);
    }
    let alignments = input
        .alignments
        .iter()
        .map(|a| {
            let framework = frameworks::framework(&a.framework)
                .ok_or_else(|| AchievementError::UnknownFramework(a.framework.clone()))?;
            let competence = framework.competence(&a.code).ok_or_else(|| {
                AchievementError::UnknownCompetence {
                    framework: a.framework.clone(),
                    code: a.code.clone(),
                }
            })?;
            Ok(framework.alignment(competence, &language))
        })
        .collect::<Result<Vec<_>, AchievementError>>()?;
    Ok(AchievementVersion {
        id: new_id(),
        achievement_id: achievement_id.to_owned(),
        version,
        name,
        description,
        criteria_narrative,
        image_id: input.image_id,
        achievement_type,
        tags_json: json!(tags).to_string(),
        language,
        alignments_json: serde_json::to_string(&alignments)
            .map_err(|e| AchievementError::Serialise(e.to_string()))?,
        created_at: now(),
    })
}

fn check_image(
    conn: &mut DbConnection,
    org_id: &OrgId,
    image_id: Option<&str>,
) -> Result<(), AchievementError> {
    use crate::db::schema::images;
    if let Some(id) = image_id {
        let found: i64 = images::table
            .filter(images::id.eq(id))
            .filter(images::org_id.eq(org_id))
            .count()
            .get_result(conn)?;
        if found == 0 {
            return Err(AchievementError::UnknownImage);
        }
    }
    Ok(())
}

/// Creates an achievement with its first version.
pub fn create(
    conn: &mut DbConnection,
    org_id: &OrgId,
    input: AchievementInput,
    actor: Actor<'_>,
) -> Result<AchievementVersion, AchievementError> {
    let achievement_id = new_id();
    let version = to_version(&achievement_id, 1, input)?;
    crate::db::write_transaction(conn, |conn| {
        check_image(conn, org_id, version.image_id.as_deref())?;
        diesel::insert_into(achievements::table)
            .values((
                achievements::id.eq(&achievement_id),
                achievements::org_id.eq(org_id),
                achievements::created_at.eq(now()),
            ))
            .execute(conn)?;
        diesel::insert_into(achievement_versions::table)
            .values(&version)
            .execute(conn)?;
        audit::record(
            conn,
            AuditEvent::new(
                org_id,
                actor,
                "achievement.create",
                Target::Achievement(&version.id),
            ),
        )?;
        Ok(version.clone())
    })
}

/// Edits an achievement: in place if its current version was never awarded,
/// otherwise as a new version.
pub fn update(
    conn: &mut DbConnection,
    org_id: &OrgId,
    achievement_id: &AchievementId,
    input: AchievementInput,
    actor: Actor<'_>,
) -> Result<AchievementVersion, AchievementError> {
    crate::db::write_transaction(conn, |conn| {
        let current = current(conn, org_id, achievement_id)?;
        let awarded: i64 = awards::table
            .filter(awards::achievement_version_id.eq(&current.id))
            .count()
            .get_result(conn)?;
        let mut next = to_version(
            achievement_id.as_str(),
            current.version + i32::from(awarded > 0),
            input,
        )?;
        check_image(conn, org_id, next.image_id.as_deref())?;
        if awarded > 0 {
            diesel::insert_into(achievement_versions::table)
                .values(&next)
                .execute(conn)?;
            audit::record(
                conn,
                AuditEvent::new(
                    org_id,
                    actor,
                    "achievement.new_version",
                    Target::Achievement(&next.id),
                ),
            )?;
        } else {
            next.id = current.id;
            diesel::update(achievement_versions::table.find(&next.id))
                .set(&next)
                .execute(conn)?;
            audit::record(
                conn,
                AuditEvent::new(
                    org_id,
                    actor,
                    "achievement.update",
                    Target::Achievement(&next.id),
                ),
            )?;
        }
        Ok(next)
    })
}

/// The latest version of an achievement of this organisation.
pub fn current(
    conn: &mut DbConnection,
    org_id: &OrgId,
    achievement_id: &AchievementId,
) -> Result<AchievementVersion, AchievementError> {
    achievement_versions::table
        .inner_join(achievements::table)
        .filter(achievements::id.eq(achievement_id.as_str()))
        .filter(achievements::org_id.eq(org_id))
        .order(achievement_versions::version.desc())
        .select(AchievementVersion::as_select())
        .first(conn)
        .optional()?
        .ok_or(AchievementError::NotFound)
}

/// A version by id, with its organisation id.
pub fn version(
    conn: &mut DbConnection,
    version_id: &str,
) -> Result<(AchievementVersion, OrgId), AchievementError> {
    achievement_versions::table
        .inner_join(achievements::table)
        .filter(achievement_versions::id.eq(version_id))
        .select((AchievementVersion::as_select(), achievements::org_id))
        .first(conn)
        .optional()?
        .ok_or(AchievementError::NotFound)
}

/// The current version of every achievement of an organisation.
pub fn list(conn: &mut DbConnection, org_id: &OrgId) -> QueryResult<Vec<AchievementVersion>> {
    let all: Vec<AchievementVersion> = achievement_versions::table
        .inner_join(achievements::table)
        .filter(achievements::org_id.eq(org_id))
        .order((
            achievement_versions::achievement_id.asc(),
            achievement_versions::version.desc(),
        ))
        .select(AchievementVersion::as_select())
        .load(conn)?;
    let mut latest: Vec<AchievementVersion> = Vec::new();
    for v in all {
        if latest
            .last()
            .is_none_or(|l| l.achievement_id != v.achievement_id)
        {
            latest.push(v);
        }
    }
    Ok(latest)
}

/// The published OB 3.0 `Achievement` of a version, created by `creator_id`.
///
/// Tags and alignments are stored as JSON arrays (written by `to_version`);
/// one that does not read back is left out rather than published half-read.
pub fn achievement(v: &AchievementVersion, base: &str, creator_id: &str) -> Achievement {
    Achievement {
        description: Some(v.description.clone()),
        criteria: Some(Criteria {
            narrative: Some(v.criteria_narrative.clone()),
            ..Criteria::default()
        }),
        achievement_type: Some(v.achievement_type.clone()),
        in_language: Some(v.language.clone()),
        version: Some(v.version.to_string()),
        creator: Some(Profile::new(creator_id)),
        tag: serde_json::from_str(&v.tags_json).unwrap_or_default(),
        alignment: serde_json::from_str::<Vec<Alignment>>(&v.alignments_json).unwrap_or_default(),
        image: v.image_id.as_ref().map(|image| Image {
            caption: Some(v.name.clone()),
            ..Image::new(format!("{base}/images/{image}.png"))
        }),
        ..Achievement::new(format!("{base}/achievements/{}", v.id), v.name.clone())
    }
}

/// The API view of a version.
pub fn view(v: &AchievementVersion, base: &str, creator_id: &str) -> AchievementView {
    AchievementView {
        id: v.achievement_id.clone(),
        version_id: v.id.clone(),
        version: v.version,
        achievement: achievement(v, base, creator_id),
    }
}
