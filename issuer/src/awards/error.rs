//! Why an award could not be issued, found, revoked, signed again, erased
//! or shown as a QR code, in the domain's words; `error/domain.rs` says how
//! each case is answered (status, code, message).
//!
//! A CSV file's bad rows are no error here: [`super::csv::read`] returns them
//! as [`super::csv::RowError`]s, every one, for the caller to show.

use crate::achievements::AchievementError;
use crate::db::DbError;
use crate::org_keys::KeyError;
use crate::status_list::StatusListError;
use crate::text::TextError;

/// What went wrong with an award, its request or its credential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AwardError {
    /// The recipient's name is empty or longer than [`super::MAX_NAME`]
    /// characters.
    #[error("recipient_name: 1 to {} characters", super::MAX_NAME)]
    InvalidRecipientName,
    /// The recipient's e-mail address does not look like one, or is longer
    /// than 254 bytes.
    #[error("recipient_email: not an e-mail address")]
    InvalidRecipientEmail,
    /// The narrative is longer than [`super::MAX_NARRATIVE`] characters.
    #[error("narrative: at most {} characters", super::MAX_NARRATIVE)]
    InvalidNarrative,
    /// The evidence URL is not an http(s) URL of at most [`super::MAX_URL`]
    /// bytes.
    #[error(
        "evidence_url: an http(s) URL of at most {} characters",
        super::MAX_URL
    )]
    InvalidEvidenceUrl,
    /// The idempotency key is longer than [`super::MAX_IDEMPOTENCY_KEY`]
    /// bytes or holds other than printable ASCII.
    #[error(
        "idempotency key: 1 to {} printable ASCII characters",
        super::MAX_IDEMPOTENCY_KEY
    )]
    InvalidIdempotencyKey,
    /// A revocation reason is empty or longer than [`super::MAX_REASON`]
    /// characters.
    #[error("reason: 1 to {} characters", super::MAX_REASON)]
    InvalidReason,
    /// The credential built would not conform to Open Badges 3.0 (for
    /// instance because of the achievement's fields); `0` lists the findings.
    #[error("the credential would not conform to Open Badges 3.0: {0}")]
    NonConforming(String),
    /// The award to revoke is revoked already.
    #[error("this award is already revoked")]
    AlreadyRevoked,
    /// The earner's consent changed on a revoked award: its credential is
    /// not signed again.
    #[error("a revoked award is not signed again")]
    Revoked,
    /// No award of this organisation has this id.
    #[error("award not found")]
    NotFound,
    /// No credential is published under this token (or its organisation is
    /// gone).
    #[error("credential not found")]
    CredentialNotFound,
    /// No award has this claim code, or the text typed cannot be one.
    #[error("claim code not found")]
    ClaimCodeNotFound,
    /// The award's organisation is gone.
    #[error("organisation not found")]
    OrganisationNotFound,
    /// An award's stored credential does not read back as a credential.
    #[error("stored credential {award_id}: {source}")]
    StoredCredential {
        /// The award's id.
        award_id: String,
        /// What the JSON reader said.
        source: serde_json::Error,
    },
    /// A credential could not be turned into JSON.
    #[error("serialising a credential: {0}")]
    Serialise(#[source] serde_json::Error),
    /// The Data Integrity proof could not be made.
    #[error("Data Integrity signing: {0}")]
    DataIntegrity(#[source] keys::di::DataIntegrityError),
    /// The VC-JWT could not be signed.
    #[error("VC-JWT signing: {0}")]
    Jwt(#[source] keys::JwtError),
    /// A signing thread stopped (panicked) before signing its share.
    #[error("a signing thread stopped")]
    SigningThread,
    /// The unique values drawn for new awards (status index, token, claim
    /// code) kept clashing with concurrent awards.
    #[error("award insert kept clashing")]
    KeptClashing,
    /// Issuing one award gave back none.
    #[error("one award expected")]
    NoOutcome,
    /// The claim URL does not fit in a QR code.
    #[error("QR code: {0}")]
    QrCode(#[source] qrcode::types::QrError),
    /// The QR code is wider than an image can be.
    #[error("QR too wide")]
    QrTooWide,
    /// The QR code's PNG could not be written.
    #[error("PNG: {0}")]
    Png(#[source] image::ImageError),
    /// The achievement awarded could not be read (not found, another
    /// organisation's).
    #[error(transparent)]
    Achievement(#[from] AchievementError),
    /// The organisation's signing key could not be read or unsealed.
    #[error(transparent)]
    Keys(#[from] KeyError),
    /// No status list index could be drawn, or a revocation bit set.
    #[error(transparent)]
    StatusList(#[from] StatusListError),
    /// A text field holds a control character.
    #[error(transparent)]
    Text(#[from] TextError),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for AwardError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Database(e.into())
    }
}

#[cfg(test)]
mod tests {
    use super::AwardError as A;

    /// The messages are part of the JSON bodies (and of the logs, for the
    /// 5xx): they must not drift.
    #[test]
    fn messages_say_what_the_api_answered_before() {
        let cases = [
            (
                A::InvalidRecipientName,
                "recipient_name: 1 to 200 characters",
            ),
            (
                A::InvalidRecipientEmail,
                "recipient_email: not an e-mail address",
            ),
            (A::InvalidNarrative, "narrative: at most 5000 characters"),
            (
                A::InvalidEvidenceUrl,
                "evidence_url: an http(s) URL of at most 2000 characters",
            ),
            (
                A::InvalidIdempotencyKey,
                "idempotency key: 1 to 200 printable ASCII characters",
            ),
            (A::InvalidReason, "reason: 1 to 500 characters"),
            (
                A::NonConforming("name: missing".into()),
                "the credential would not conform to Open Badges 3.0: name: missing",
            ),
            (A::AlreadyRevoked, "this award is already revoked"),
            (A::Revoked, "a revoked award is not signed again"),
            (A::SigningThread, "a signing thread stopped"),
            (A::KeptClashing, "award insert kept clashing"),
            (A::NoOutcome, "one award expected"),
            (A::QrTooWide, "QR too wide"),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
    }
}
