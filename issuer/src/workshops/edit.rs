//! Editing a workshop once it exists: a session's label and date, and
//! attendance one mark (or a few) at a time, for a facilitator ticking
//! names during a session rather than sending the whole grid again.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;

use super::{by_id, check_text, Session, WorkshopError};
use crate::db::schema::{attendance, workshop_participants, workshop_sessions};
use crate::db::DbConnection;
use crate::ids::{OrgId, SessionId, WorkshopId};

/// A change to one session; absent fields are left as they are.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionUpdate {
    /// New label, 1 to 100 characters, e.g. "Séance 1 : la messagerie".
    #[serde(default)]
    #[schema(min_length = 1, max_length = 100)]
    pub label: Option<String>,
    /// New date, `YYYY-MM-DD`; an empty string clears it.
    #[serde(default)]
    pub held_on: Option<String>,
}

/// One attendance change: this participant was (or was not) at this session.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkChange {
    /// Participant id.
    pub participant_id: String,
    /// Session id.
    pub session_id: String,
    /// Present or not.
    pub present: bool,
}

/// `""` clears the date; anything else must be a calendar date.
fn parse_date(value: &str) -> Result<Option<String>, WorkshopError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map(|date| Some(date.format("%Y-%m-%d").to_string()))
        .map_err(|_| WorkshopError::InvalidDate)
}

/// Renames or dates a session of a workshop of `org_id`; returns it.
pub fn update_session(
    conn: &mut DbConnection,
    org_id: &OrgId,
    workshop_id: &WorkshopId,
    session_id: &SessionId,
    update: SessionUpdate,
) -> Result<Session, WorkshopError> {
    let label = update
        .label
        .as_deref()
        .map(|l| check_text("label", l, 100))
        .transpose()?;
    let held_on = update.held_on.as_deref().map(parse_date).transpose()?;
    crate::db::write_transaction(conn, |conn| {
        by_id(conn, org_id, workshop_id)?;
        let session = workshop_sessions::table
            .filter(workshop_sessions::id.eq(session_id.as_str()))
            .filter(workshop_sessions::workshop_id.eq(workshop_id.as_str()));
        let found: i64 = session.count().get_result(conn)?;
        if found == 0 {
            return Err(WorkshopError::SessionNotFound);
        }
        if let Some(label) = label {
            diesel::update(session)
                .set(workshop_sessions::label.eq(label))
                .execute(conn)?;
        }
        if let Some(held_on) = held_on {
            diesel::update(session)
                .set(workshop_sessions::held_on.eq(held_on))
                .execute(conn)?;
        }
        Ok(session.select(Session::as_select()).first(conn)?)
    })
}

/// Applies attendance changes, leaving every other mark as it is, in one
/// transaction. Changes naming another workshop's people are refused.
pub fn change_attendance(
    conn: &mut DbConnection,
    org_id: &OrgId,
    workshop_id: &WorkshopId,
    changes: &[MarkChange],
) -> Result<(), WorkshopError> {
    crate::db::write_transaction(conn, |conn| {
        by_id(conn, org_id, workshop_id)?;
        let sessions: Vec<String> = workshop_sessions::table
            .filter(workshop_sessions::workshop_id.eq(workshop_id.as_str()))
            .select(workshop_sessions::id)
            .load(conn)?;
        let participants: Vec<String> = workshop_participants::table
            .filter(workshop_participants::workshop_id.eq(workshop_id.as_str()))
            .select(workshop_participants::id)
            .load(conn)?;
        let known = |c: &MarkChange| {
            sessions.contains(&c.session_id) && participants.contains(&c.participant_id)
        };
        if let Some(bad) = changes.iter().find(|c| !known(c)) {
            return Err(WorkshopError::UnknownAttendance {
                participant_id: bad.participant_id.clone(),
                session_id: bad.session_id.clone(),
            });
        }
        // Delete then insert: portable on both backends, and idempotent
        // when the same change is sent twice.
        for change in changes {
            let mark = attendance::table
                .filter(attendance::session_id.eq(&change.session_id))
                .filter(attendance::participant_id.eq(&change.participant_id));
            diesel::delete(mark).execute(conn)?;
            if change.present {
                diesel::insert_into(attendance::table)
                    .values((
                        attendance::session_id.eq(&change.session_id),
                        attendance::participant_id.eq(&change.participant_id),
                    ))
                    .execute(conn)?;
            }
        }
        Ok(())
    })
}
