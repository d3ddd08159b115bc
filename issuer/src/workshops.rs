//! Workshops: a cycle of sessions (for example three sessions of "Faire ses
//! démarches en ligne") leading to a badge, with participants and their
//! attendance. Awarding the badge to everyone who attended every session is
//! one action, in one transaction, and idempotent: a participant is awarded
//! once per workshop (their `award_id` is set, and the award's idempotency
//! key is `workshop:<workshop>:<participant>`).

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::achievements;
use crate::audit::{self, Actor, AuditEvent, Target};
use crate::db::schema::{attendance, workshop_participants, workshop_sessions, workshops};
use crate::db::DbConnection;
use crate::i18n::Lang;
use crate::ids::{AchievementId, OrgId, WorkshopId};
use crate::time::{new_id, now};
use crate::users::looks_like_email;

mod award;
mod edit;
mod error;

pub use award::award_qualifying;
pub use edit::{change_attendance, update_session, MarkChange, SessionUpdate};
pub use error::WorkshopError;

/// Most sessions in a workshop.
pub const MAX_SESSIONS: i32 = 20;
/// Most participants in a workshop.
pub const MAX_PARTICIPANTS: i64 = 200;

/// A workshop row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = workshops)]
pub struct Workshop {
    /// Id.
    pub id: String,
    /// Organisation.
    #[schema(value_type = String)]
    pub org_id: OrgId,
    /// The badge it leads to.
    pub achievement_id: String,
    /// Title, e.g. "Faire ses démarches en ligne, mars".
    pub title: String,
    /// User id of its creator.
    pub created_by: String,
    /// Created, Unix seconds.
    pub created_at: i64,
}

/// A session row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = workshop_sessions)]
pub struct Session {
    /// Id.
    pub id: String,
    /// Workshop.
    pub workshop_id: String,
    /// 1, 2, ...
    pub position: i32,
    /// Label, e.g. "Séance 1".
    pub label: String,
    /// Date, `YYYY-MM-DD`.
    pub held_on: Option<String>,
}

/// A participant row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = workshop_participants)]
pub struct Participant {
    /// Id.
    pub id: String,
    /// Workshop.
    pub workshop_id: String,
    /// Name.
    pub name: String,
    /// E-mail, if they have one.
    pub email: Option<String>,
    /// 1 when they agreed to have their name written on the badge.
    pub name_consent: i32,
    /// The award made to them from this workshop.
    pub award_id: Option<String>,
    /// Added, Unix seconds.
    pub created_at: i64,
    /// The language of their e-mail: `fr` or `en`.
    pub language: String,
}

/// A new workshop.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWorkshop {
    /// Title, 1 to 200 characters.
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    /// The badge (achievement id) of this organisation.
    pub achievement_id: String,
    /// Number of sessions, 1 to 20.
    #[schema(minimum = 1, maximum = 20)]
    pub sessions: i32,
}

/// A new participant.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewParticipant {
    /// Name, 1 to 200 characters.
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// E-mail (optional).
    #[serde(default)]
    pub email: Option<String>,
    /// Whether their name may be written on the badge.
    #[serde(default)]
    pub name_consent: bool,
    /// The language of the e-mail sent with the badge awarded from the
    /// workshop: `fr` (default) or `en` (a BCP 47 tag such as `en-GB` is read
    /// as its language); other languages are refused with `invalid_language`.
    #[serde(default)]
    pub language: Option<String>,
}

/// A workshop with everything its page shows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WorkshopDetail {
    /// The workshop.
    pub workshop: Workshop,
    /// Its badge's current name.
    pub badge_name: String,
    /// Sessions, in order.
    pub sessions: Vec<Session>,
    /// Participants by name (then in the order they were added): a stable,
    /// findable order on the attendance sheet.
    pub participants: Vec<ParticipantAttendance>,
}

/// A participant and the sessions they attended.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ParticipantAttendance {
    /// The participant.
    pub participant: Participant,
    /// One flag per session, in session order.
    pub present: Vec<bool>,
}

impl ParticipantAttendance {
    /// Whether they attended every session.
    pub fn attended_all(&self) -> bool {
        !self.present.is_empty() && self.present.iter().all(|p| *p)
    }
}

/// What awarding a workshop did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AwardOutcome {
    /// Awarded now: participant id, name, award id.
    pub awarded: Vec<(String, String, String)>,
    /// Not awarded now: participant name and why.
    pub skipped: Vec<Skipped>,
}

/// A participant not awarded by this action.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Skipped {
    /// Name.
    pub name: String,
    /// `already_awarded`, or `missed_sessions` with the sessions in `missed`.
    #[schema(value_type = String)]
    pub reason: &'static str,
    /// Positions of the sessions they missed.
    pub missed: Vec<i32>,
}

/// `value` as a [`crate::text::line`] of 1 to `max` characters.
fn check_text(field: &'static str, value: &str, max: usize) -> Result<String, WorkshopError> {
    let value = crate::text::line(field, value)?;
    let length = value.chars().count();
    if length == 0 || length > max {
        return Err(WorkshopError::TextLength { field, max });
    }
    Ok(value)
}

/// Creates a workshop with its sessions ("Séance 1", "Séance 2", ...).
pub fn create(
    conn: &mut DbConnection,
    org_id: &OrgId,
    input: NewWorkshop,
    actor: Actor<'_>,
) -> Result<Workshop, WorkshopError> {
    let title = check_text("title", &input.title, 200)?;
    if !(1..=MAX_SESSIONS).contains(&input.sessions) {
        return Err(WorkshopError::SessionCount);
    }
    crate::db::write_transaction(conn, |conn| {
        achievements::current(
            conn,
            org_id,
            &AchievementId::from(input.achievement_id.as_str()),
        )?;
        let workshop = Workshop {
            id: new_id(),
            org_id: org_id.to_owned(),
            achievement_id: input.achievement_id.clone(),
            title,
            created_by: actor.as_str().to_owned(),
            created_at: now(),
        };
        diesel::insert_into(workshops::table)
            .values(&workshop)
            .execute(conn)?;
        let sessions: Vec<Session> = (1..=input.sessions)
            .map(|position| Session {
                id: new_id(),
                workshop_id: workshop.id.clone(),
                position,
                label: format!("{position}"),
                held_on: None,
            })
            .collect();
        // One statement per row: batch inserts are not portable across the
        // SQLite/PostgreSQL multi-connection.
        for session in &sessions {
            diesel::insert_into(workshop_sessions::table)
                .values(session)
                .execute(conn)?;
        }
        audit::record(
            conn,
            AuditEvent::new(
                org_id,
                actor,
                "workshop.create",
                Target::Workshop(&workshop.id),
            ),
        )?;
        Ok(workshop)
    })
}

/// The organisation's workshops, newest first.
pub fn list(conn: &mut DbConnection, org_id: &OrgId) -> QueryResult<Vec<Workshop>> {
    workshops::table
        .filter(workshops::org_id.eq(org_id))
        .order(workshops::created_at.desc())
        .select(Workshop::as_select())
        .load(conn)
}

fn by_id(
    conn: &mut DbConnection,
    org_id: &OrgId,
    id: &WorkshopId,
) -> Result<Workshop, WorkshopError> {
    workshops::table
        .filter(workshops::id.eq(id.as_str()))
        .filter(workshops::org_id.eq(org_id))
        .select(Workshop::as_select())
        .first(conn)
        .optional()?
        .ok_or(WorkshopError::NotFound)
}

/// A workshop of `org_id` with its sessions, participants and attendance.
pub fn detail(
    conn: &mut DbConnection,
    org_id: &OrgId,
    id: &WorkshopId,
) -> Result<WorkshopDetail, WorkshopError> {
    let workshop = by_id(conn, org_id, id)?;
    let achievement = AchievementId::from(workshop.achievement_id.as_str());
    let badge_name = achievements::current(conn, org_id, &achievement)?.name;
    let sessions: Vec<Session> = workshop_sessions::table
        .filter(workshop_sessions::workshop_id.eq(id.as_str()))
        .order(workshop_sessions::position.asc())
        .select(Session::as_select())
        .load(conn)?;
    let participants: Vec<Participant> = workshop_participants::table
        .filter(workshop_participants::workshop_id.eq(id.as_str()))
        .order((
            workshop_participants::name.asc(),
            workshop_participants::created_at.asc(),
            workshop_participants::id.asc(),
        ))
        .select(Participant::as_select())
        .load(conn)?;
    let session_ids: Vec<&String> = sessions.iter().map(|s| &s.id).collect();
    let present: Vec<(String, String)> = attendance::table
        .filter(attendance::session_id.eq_any(session_ids))
        .select((attendance::session_id, attendance::participant_id))
        .load(conn)?;
    let participants = participants
        .into_iter()
        .map(|p| ParticipantAttendance {
            present: sessions
                .iter()
                .map(|s| {
                    present
                        .iter()
                        .any(|(sid, pid)| *sid == s.id && *pid == p.id)
                })
                .collect(),
            participant: p,
        })
        .collect();
    Ok(WorkshopDetail {
        workshop,
        badge_name,
        sessions,
        participants,
    })
}

/// Adds a participant.
pub fn add_participant(
    conn: &mut DbConnection,
    org_id: &OrgId,
    workshop_id: &WorkshopId,
    input: NewParticipant,
) -> Result<Participant, WorkshopError> {
    let name = check_text("name", &input.name, 200)?;
    let email =
        crate::text::optional_line("email", input.email.as_deref())?.map(|e| e.to_lowercase());
    if email.as_deref().is_some_and(|e| !looks_like_email(e)) {
        return Err(WorkshopError::InvalidEmail);
    }
    let language = match input.language.as_deref().map(str::trim) {
        None | Some("") => Lang::default(),
        Some(tag) => Lang::from_tag(tag).ok_or(WorkshopError::InvalidLanguage)?,
    };
    crate::db::write_transaction(conn, |conn| {
        by_id(conn, org_id, workshop_id)?;
        let count: i64 = workshop_participants::table
            .filter(workshop_participants::workshop_id.eq(workshop_id.as_str()))
            .count()
            .get_result(conn)?;
        if count >= MAX_PARTICIPANTS {
            return Err(WorkshopError::TooManyParticipants);
        }
        let participant = Participant {
            id: new_id(),
            workshop_id: workshop_id.to_string(),
            name,
            email,
            name_consent: i32::from(input.name_consent),
            award_id: None,
            created_at: now(),
            language: language.code().to_owned(),
        };
        diesel::insert_into(workshop_participants::table)
            .values(&participant)
            .execute(conn)?;
        Ok(participant)
    })
}

/// One attendance mark: this participant was at this session.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Mark {
    /// Participant id.
    pub participant_id: String,
    /// Session id.
    pub session_id: String,
}

/// Replaces the workshop's attendance with `present` (everyone else absent),
/// in one transaction. Marks naming another workshop's people are refused.
pub fn set_attendance(
    conn: &mut DbConnection,
    org_id: &OrgId,
    workshop_id: &WorkshopId,
    present: &[Mark],
) -> Result<(), WorkshopError> {
    crate::db::write_transaction(conn, |conn| {
        let detail = detail(conn, org_id, workshop_id)?;
        let known = |m: &Mark| {
            detail.sessions.iter().any(|s| s.id == m.session_id)
                && detail
                    .participants
                    .iter()
                    .any(|p| p.participant.id == m.participant_id)
        };
        if let Some(bad) = present.iter().find(|m| !known(m)) {
            return Err(WorkshopError::UnknownAttendance {
                participant_id: bad.participant_id.clone(),
                session_id: bad.session_id.clone(),
            });
        }
        let session_ids: Vec<&String> = detail.sessions.iter().map(|s| &s.id).collect();
        diesel::delete(attendance::table.filter(attendance::session_id.eq_any(session_ids)))
            .execute(conn)?;
        let mut rows: Vec<(String, String)> = present
            .iter()
            .map(|m| (m.session_id.clone(), m.participant_id.clone()))
            .collect();
        rows.sort();
        rows.dedup();
        for (session_id, participant_id) in rows {
            diesel::insert_into(attendance::table)
                .values((
                    attendance::session_id.eq(session_id),
                    attendance::participant_id.eq(participant_id),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}
