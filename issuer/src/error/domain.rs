//! The web edge: each domain error becomes an [`ApiError`] here, in one
//! place, so that domain modules say what went wrong and this module alone
//! says how it is answered (status, code, message).

use actix_web::http::StatusCode;

use super::{ApiError, ErrorCode};
use crate::achievements::AchievementError;
use crate::auth::AuthError;
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
            code: e.code(),
            message: e.to_string(),
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
            W::Text(e) => return e.into(),
            W::Database(e) => return e.into(),
        };
        Self::bad_request(code, message)
    }
}
