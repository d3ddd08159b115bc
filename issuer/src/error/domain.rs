//! The web edge: each domain error becomes an [`ApiError`] here, in one
//! place, so that domain modules say what went wrong and this module alone
//! says how it is answered (status, code, message).

use actix_web::http::StatusCode;

use super::{ApiError, ErrorCode};
use crate::achievements::AchievementError;
use crate::auth::AuthError;
use crate::awards::AwardError;
use crate::delivery::DeliveryError;
use crate::images::{ImageError, StoredImageError};
use crate::networks::NetworkError;
use crate::org_keys::{KeyError, KeyGenerationError};
use crate::orgs::OrgError;
use crate::status_list::StatusListError;
use crate::text::TextError;
use crate::users::UserError;
use crate::workshops::WorkshopError;

impl From<TextError> for ApiError {
    fn from(e: TextError) -> Self {
        Self::InvalidText {
            field: e.field,
            found: e.found,
        }
    }
}

impl From<KeyGenerationError> for ApiError {
    fn from(e: KeyGenerationError) -> Self {
        Self::internal(e.to_string())
    }
}

impl From<KeyError> for ApiError {
    fn from(e: KeyError) -> Self {
        match e {
            KeyError::Database(e) => e.into(),
            other => Self::internal(other.to_string()),
        }
    }
}

impl From<OrgError> for ApiError {
    fn from(e: OrgError) -> Self {
        let message = e.to_string();
        let code = match e {
            OrgError::InvalidSlug => ErrorCode::InvalidSlug,
            OrgError::NameRequired | OrgError::InvalidName => ErrorCode::InvalidName,
            OrgError::InvalidEmail => ErrorCode::InvalidEmail,
            OrgError::InvalidDescription => ErrorCode::InvalidDescription,
            OrgError::InvalidUrl(_) => ErrorCode::InvalidUrl,
            OrgError::SlugTaken(_) => return Self::conflict(ErrorCode::SlugTaken, message),
            OrgError::NotFound => return Self::NotFound("organisation"),
            OrgError::Text(e) => return e.into(),
            OrgError::Keys(e) => return e.into(),
            OrgError::Database(e) => return e.into(),
        };
        Self::bad_request(code, message)
    }
}

impl From<NetworkError> for ApiError {
    fn from(e: NetworkError) -> Self {
        match e {
            NetworkError::SelfMembership => {
                Self::bad_request(ErrorCode::InvalidNetwork, e.to_string())
            }
            NetworkError::Database(e) => e.into(),
        }
    }
}

impl From<UserError> for ApiError {
    fn from(e: UserError) -> Self {
        let message = e.to_string();
        let code = match e {
            UserError::WeakPassword => ErrorCode::WeakPassword,
            UserError::InvalidEmail => ErrorCode::InvalidEmail,
            UserError::InvalidName => ErrorCode::InvalidName,
            UserError::EmailTaken => return Self::conflict(ErrorCode::EmailTaken, message),
            UserError::Hashing(_) => return Self::internal(message),
            UserError::Text(e) => return e.into(),
            UserError::Database(e) => return e.into(),
        };
        Self::bad_request(code, message)
    }
}

impl From<ImageError> for ApiError {
    fn from(e: ImageError) -> Self {
        let status = match &e {
            ImageError::TooLarge | ImageError::TooManyPixels => StatusCode::PAYLOAD_TOO_LARGE,
            ImageError::UnsupportedFormat => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ImageError::Undecodable(_) | ImageError::UnsafeSvg(_) => StatusCode::BAD_REQUEST,
            ImageError::Encode(detail) => return Self::internal(format!("image: {detail}")),
        };
        Self::Refused {
            status,
            code: ErrorCode::from(&e),
            message: e.to_string(),
        }
    }
}

/// The stable code an image refusal is answered with, by the API and by the
/// badge form alike.
impl From<&ImageError> for ErrorCode {
    fn from(e: &ImageError) -> Self {
        match e {
            ImageError::TooLarge | ImageError::TooManyPixels => Self::ImageTooLarge,
            ImageError::UnsupportedFormat => Self::ImageUnsupportedFormat,
            ImageError::Undecodable(_) => Self::ImageUndecodable,
            ImageError::UnsafeSvg(_) => Self::SvgUnsafe,
            ImageError::Encode(_) => Self::Internal,
        }
    }
}

impl From<AchievementError> for ApiError {
    fn from(e: AchievementError) -> Self {
        use AchievementError as A;
        let message = e.to_string();
        let code = match e {
            A::TextLength { .. } | A::InvalidTags | A::InvalidLanguage | A::TooManyAlignments => {
                ErrorCode::InvalidField
            }
            A::UnknownType(_) => ErrorCode::InvalidAchievementType,
            A::UnknownFramework(_) => ErrorCode::UnknownFramework,
            A::UnknownCompetence { .. } => ErrorCode::UnknownCompetence,
            A::UnknownImage => ErrorCode::UnknownImage,
            A::NotFound => return Self::NotFound("achievement"),
            A::Serialise(_) => return Self::internal(message),
            A::Text(e) => return e.into(),
            A::Database(e) => return e.into(),
        };
        Self::bad_request(code, message)
    }
}

impl From<StatusListError> for ApiError {
    fn from(e: StatusListError) -> Self {
        match e {
            StatusListError::NotFound => Self::NotFound("status list"),
            StatusListError::Keys(e) => e.into(),
            StatusListError::Database(e) => e.into(),
            other => Self::internal(other.to_string()),
        }
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        let message = e.to_string();
        match e {
            AuthError::Unauthenticated => Self::Unauthenticated,
            AuthError::Throttled => Self::TooManyRequests,
            AuthError::InvalidCredentials => {
                Self::bad_request(ErrorCode::InvalidCredentials, message)
            }
            AuthError::InvalidTokenName => Self::bad_request(ErrorCode::InvalidName, message),
            AuthError::TokenNotFound => Self::NotFound("token"),
            AuthError::Text(e) => e.into(),
            AuthError::Database(e) => e.into(),
        }
    }
}

impl From<StoredImageError> for ApiError {
    fn from(e: StoredImageError) -> Self {
        match e {
            StoredImageError::NotFound => Self::NotFound("image"),
            StoredImageError::Database(e) => e.into(),
            other => Self::internal(other.to_string()),
        }
    }
}

impl From<WorkshopError> for ApiError {
    fn from(e: WorkshopError) -> Self {
        use WorkshopError as W;
        let message = e.to_string();
        let code = match e {
            W::TextLength { .. } | W::SessionCount | W::InvalidDate => ErrorCode::InvalidField,
            W::InvalidEmail => ErrorCode::InvalidEmail,
            W::InvalidLanguage => ErrorCode::InvalidLanguage,
            W::TooManyParticipants => ErrorCode::TooManyParticipants,
            W::UnknownAttendance { .. } => ErrorCode::UnknownAttendance,
            W::Changed => return Self::conflict(ErrorCode::WorkshopChanged, message),
            W::NotFound => return Self::NotFound("workshop"),
            W::SessionNotFound => return Self::NotFound("session"),
            W::Achievement(e) => return e.into(),
            W::Award(e) => return e.into(),
            W::Text(e) => return e.into(),
            W::Database(e) => return e.into(),
        };
        Self::bad_request(code, message)
    }
}

impl From<AwardError> for ApiError {
    fn from(e: AwardError) -> Self {
        use AwardError as A;
        let message = e.to_string();
        let code = match e {
            A::InvalidRecipientName => ErrorCode::InvalidRecipientName,
            A::InvalidRecipientEmail => ErrorCode::InvalidRecipientEmail,
            A::InvalidNarrative => ErrorCode::InvalidNarrative,
            A::InvalidEvidenceUrl => ErrorCode::InvalidEvidenceUrl,
            A::InvalidIdempotencyKey => ErrorCode::InvalidIdempotencyKey,
            A::InvalidReason => ErrorCode::InvalidReason,
            A::NonConforming(_) => ErrorCode::InvalidCredential,
            A::AlreadyRevoked => return Self::conflict(ErrorCode::AlreadyRevoked, message),
            A::Revoked => return Self::conflict(ErrorCode::Revoked, message),
            A::NotFound => return Self::NotFound("award"),
            A::CredentialNotFound => return Self::NotFound("credential"),
            A::ClaimCodeNotFound => return Self::NotFound("claim code"),
            A::OrganisationNotFound => return Self::NotFound("organisation"),
            A::StoredCredential { .. }
            | A::Serialise(_)
            | A::DataIntegrity(_)
            | A::Jwt(_)
            | A::SigningThread
            | A::KeptClashing
            | A::NoOutcome
            | A::QrCode(_)
            | A::QrTooWide
            | A::Png(_) => return Self::internal(message),
            A::Achievement(e) => return e.into(),
            A::Keys(e) => return e.into(),
            A::StatusList(e) => return e.into(),
            A::Text(e) => return e.into(),
            A::Database(e) => return e.into(),
        };
        Self::bad_request(code, message)
    }
}

impl From<DeliveryError> for ApiError {
    fn from(e: DeliveryError) -> Self {
        match e {
            DeliveryError::Award(e) => e.into(),
            DeliveryError::Sending(e) => Self::internal(e.to_string()),
            DeliveryError::Database(e) => e.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use actix_web::ResponseError as _;

    use super::*;

    /// How an error is answered: status, code, message; for a 500, the
    /// detail logged instead of the (generic) message.
    fn answered(error: impl Into<ApiError>) -> (u16, &'static str, String) {
        let error = error.into();
        let message = match &error {
            ApiError::Internal(detail) => detail.clone(),
            other => other.to_string(),
        };
        (error.status_code().as_u16(), error.code().as_str(), message)
    }

    fn invalid_json() -> serde_json::Error {
        serde_json::from_str::<serde_json::Value>("{").unwrap_err()
    }

    /// What the API answered for each case before awards had errors of
    /// their own (`ApiError` built in `awards/*`), pinned.
    #[test]
    fn award_errors_are_answered_as_before() {
        use AwardError as A;
        let cases: Vec<(AwardError, (u16, &str, &str))> = vec![
            (
                A::InvalidRecipientName,
                (
                    400,
                    "invalid_recipient_name",
                    "recipient_name: 1 to 200 characters",
                ),
            ),
            (
                A::InvalidRecipientEmail,
                (
                    400,
                    "invalid_recipient_email",
                    "recipient_email: not an e-mail address",
                ),
            ),
            (
                A::InvalidNarrative,
                (
                    400,
                    "invalid_narrative",
                    "narrative: at most 5000 characters",
                ),
            ),
            (
                A::InvalidEvidenceUrl,
                (
                    400,
                    "invalid_evidence_url",
                    "evidence_url: an http(s) URL of at most 2000 characters",
                ),
            ),
            (
                A::InvalidIdempotencyKey,
                (
                    400,
                    "invalid_idempotency_key",
                    "idempotency key: 1 to 200 printable ASCII characters",
                ),
            ),
            (
                A::InvalidReason,
                (400, "invalid_reason", "reason: 1 to 500 characters"),
            ),
            (
                A::NonConforming("achievement.name: required".into()),
                (
                    400,
                    "invalid_credential",
                    "the credential would not conform to Open Badges 3.0: achievement.name: required",
                ),
            ),
            (
                A::AlreadyRevoked,
                (409, "already_revoked", "this award is already revoked"),
            ),
            (
                A::Revoked,
                (409, "revoked", "a revoked award is not signed again"),
            ),
            (A::NotFound, (404, "not_found", "award not found")),
            (
                A::CredentialNotFound,
                (404, "not_found", "credential not found"),
            ),
            (
                A::ClaimCodeNotFound,
                (404, "not_found", "claim code not found"),
            ),
            (
                A::OrganisationNotFound,
                (404, "not_found", "organisation not found"),
            ),
            (
                A::StoredCredential {
                    award_id: "a1".into(),
                    source: invalid_json(),
                },
                (
                    500,
                    "internal",
                    "stored credential a1: EOF while parsing an object at line 1 column 1",
                ),
            ),
            (
                A::Serialise(invalid_json()),
                (
                    500,
                    "internal",
                    "serialising a credential: EOF while parsing an object at line 1 column 1",
                ),
            ),
            (
                A::DataIntegrity(keys::di::DataIntegrityError::NotAnObject("document")),
                (
                    500,
                    "internal",
                    "Data Integrity signing: document must be a JSON object",
                ),
            ),
            (
                A::SigningThread,
                (500, "internal", "a signing thread stopped"),
            ),
            (
                A::KeptClashing,
                (500, "internal", "award insert kept clashing"),
            ),
            (A::NoOutcome, (500, "internal", "one award expected")),
            (
                A::QrCode(qrcode::types::QrError::DataTooLong),
                (500, "internal", "QR code: data too long"),
            ),
            (A::QrTooWide, (500, "internal", "QR too wide")),
            (
                A::Achievement(AchievementError::NotFound),
                (404, "not_found", "achievement not found"),
            ),
            (
                A::StatusList(StatusListError::NoFreeIndex),
                (500, "internal", "no free status list index"),
            ),
            (
                A::Text(crate::text::TextError {
                    field: "reason",
                    found: '\u{7}',
                }),
                (
                    400,
                    "control_character",
                    "reason: contains the control character U+0007 (line breaks, tabs and other invisible characters are not accepted here)",
                ),
            ),
            (
                A::from(diesel::result::Error::NotFound),
                (404, "not_found", "resource not found"),
            ),
        ];
        for (error, (status, code, message)) in cases {
            let debug = format!("{error:?}");
            assert_eq!(
                answered(error),
                (status, code, message.to_owned()),
                "{debug}"
            );
        }
    }

    /// A workshop's awarding answers what the award it could not make does,
    /// and a participant removed meanwhile as before.
    #[test]
    fn workshop_award_errors_are_answered_as_before() {
        assert_eq!(
            answered(WorkshopError::from(AwardError::InvalidRecipientEmail)),
            (
                400,
                "invalid_recipient_email",
                "recipient_email: not an e-mail address".to_owned()
            )
        );
        assert_eq!(
            answered(WorkshopError::Changed),
            (
                409,
                "workshop_changed",
                "a participant was removed meanwhile; nothing was awarded, try again".to_owned()
            )
        );
    }

    #[test]
    fn delivery_errors_are_answered_as_before() {
        assert_eq!(
            answered(DeliveryError::from(AwardError::NotFound)),
            (404, "not_found", "award not found".to_owned())
        );
        assert_eq!(
            answered(DeliveryError::from(diesel::result::Error::NotFound)),
            (404, "not_found", "resource not found".to_owned())
        );
    }
}
