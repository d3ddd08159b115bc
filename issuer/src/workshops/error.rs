//! Why a workshop could not be created, read, edited or awarded, in the
//! domain's words; `error/domain.rs` says how each case is answered.

use crate::achievements::AchievementError;
use crate::awards::AwardError;
use crate::db::DbError;
use crate::text::TextError;

/// What went wrong with a workshop, its sessions, participants or
/// attendance.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WorkshopError {
    /// A title, name or label is empty or longer than `max` characters.
    #[error("{field}: 1 to {max} characters")]
    TextLength {
        /// The field, as the request names it.
        field: &'static str,
        /// Most characters allowed.
        max: usize,
    },
    /// The number of sessions asked for is outside 1 to
    /// [`super::MAX_SESSIONS`].
    #[error("sessions: 1 to {}", super::MAX_SESSIONS)]
    SessionCount,
    /// A session's date is not a calendar date `YYYY-MM-DD`.
    #[error("held_on: a date, YYYY-MM-DD")]
    InvalidDate,
    /// A participant's e-mail address does not look like one.
    #[error("email: not an e-mail address")]
    InvalidEmail,
    /// A participant's language is neither French nor English.
    #[error("language: fr or en")]
    InvalidLanguage,
    /// The workshop already has [`super::MAX_PARTICIPANTS`] participants.
    #[error("a workshop has at most {} participants", super::MAX_PARTICIPANTS)]
    TooManyParticipants,
    /// An attendance mark names a participant or session of another
    /// workshop (or none).
    #[error("participant {participant_id} or session {session_id} is not in this workshop")]
    UnknownAttendance {
        /// The participant named.
        participant_id: String,
        /// The session named.
        session_id: String,
    },
    /// A participant was removed while the badge was being awarded; nothing
    /// was awarded.
    #[error("a participant was removed meanwhile; nothing was awarded, try again")]
    Changed,
    /// No workshop of this organisation has this id.
    #[error("workshop not found")]
    NotFound,
    /// The workshop has no session with this id.
    #[error("session not found")]
    SessionNotFound,
    /// The workshop's badge could not be read.
    #[error(transparent)]
    Achievement(#[from] AchievementError),
    /// A qualifying participant's award could not be made (a name or an
    /// address the award refuses, the organisation's key...).
    #[error(transparent)]
    Award(#[from] AwardError),
    /// A text field holds a control character.
    #[error(transparent)]
    Text(#[from] TextError),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for WorkshopError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Database(e.into())
    }
}

#[cfg(test)]
mod tests {
    use super::WorkshopError as W;

    /// The messages are part of the JSON bodies: they must not drift.
    #[test]
    fn messages_say_what_the_api_answered_before() {
        let cases = [
            (
                W::TextLength {
                    field: "title",
                    max: 200,
                },
                "title: 1 to 200 characters",
            ),
            (W::SessionCount, "sessions: 1 to 20"),
            (W::InvalidDate, "held_on: a date, YYYY-MM-DD"),
            (W::InvalidEmail, "email: not an e-mail address"),
            (W::InvalidLanguage, "language: fr or en"),
            (
                W::TooManyParticipants,
                "a workshop has at most 200 participants",
            ),
            (
                W::UnknownAttendance {
                    participant_id: "p".into(),
                    session_id: "s".into(),
                },
                "participant p or session s is not in this workshop",
            ),
            (
                W::Changed,
                "a participant was removed meanwhile; nothing was awarded, try again",
            ),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
    }
}
