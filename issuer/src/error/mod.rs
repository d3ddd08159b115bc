//! The service's one error type and its HTTP mapping.
//!
//! Every handler returns `Result<_, ApiError>`; the body is always
//! `{"error": "snake_case_code", "message": "..."}` with a stable code.
//! diesel's `NotFound` becomes 404 here, in one place. 5xx bodies stay
//! generic: the cause goes to the log only. The codes are one enum,
//! [`ErrorCode`] (`code.rs`), listed in `issuer/openapi.json`.

mod code;
mod domain;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::db::DbError;

pub use code::ErrorCode;

/// An error answered to an HTTP client.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// The request is malformed or a value is invalid (400).
    #[error("{message}")]
    BadRequest {
        /// Stable code of the body's `error` field.
        code: ErrorCode,
        /// Human-readable reason.
        message: String,
    },
    /// A text field holds a control character (400, `control_character`):
    /// see [`crate::text`]. The body names the field in `field`.
    #[error("{}", crate::text::refusal(field, *found))]
    InvalidText {
        /// The field, as the API names it.
        field: &'static str,
        /// The first refused character.
        found: char,
    },
    /// No valid session or API token (401).
    #[error("authentication required")]
    Unauthenticated,
    /// Authenticated, but not allowed (403). Cross-organisation reads answer
    /// [`ApiError::NotFound`] instead, so ids of others are not confirmed.
    #[error("{0}")]
    Forbidden(String),
    /// The thing does not exist, or is not visible to the caller (404).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request conflicts with the current state (409).
    #[error("{message}")]
    Conflict {
        /// Stable code of the body's `error` field.
        code: ErrorCode,
        /// Human-readable reason.
        message: String,
    },
    /// The body or an upload is too large (413).
    #[error("{0}")]
    PayloadTooLarge(String),
    /// Unsupported media type (415).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Too many attempts, retry later (429).
    #[error("too many attempts, retry later")]
    TooManyRequests,
    /// A client error whose status needs a more specific code than the
    /// variants above give it, such as an image upload's `image_too_large`
    /// (413) or `image_unsupported_format` (415). Always a 4xx.
    #[error("{message}")]
    Refused {
        /// The 4xx status.
        status: StatusCode,
        /// Stable code of the body's `error` field.
        code: ErrorCode,
        /// Human-readable reason.
        message: String,
    },
    /// A client error whose body carries more than the code and the message:
    /// a revoked credential's `revocationReason` (410), a CSV file's row
    /// `errors` (400). `details` follow `message` in the body, in order.
    #[error("{message}")]
    Detailed {
        /// The 4xx status.
        status: StatusCode,
        /// Stable code of the body's `error` field.
        code: ErrorCode,
        /// Human-readable reason.
        message: String,
        /// Further fields of the body (boxed: they are rare, and every
        /// `Result<_, ApiError>` would otherwise carry their size).
        details: Box<serde_json::Map<String, serde_json::Value>>,
    },
    /// Anything else (500); the detail is logged, never answered.
    #[error("internal error")]
    Internal(String),
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorCode,
    message: String,
    /// The field at fault, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    /// Further fields ([`ApiError::Detailed`]).
    #[serde(flatten)]
    details: Option<&'a serde_json::Map<String, serde_json::Value>>,
}

impl ApiError {
    /// A 400 with a code and a message.
    pub fn bad_request(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            message: message.into(),
        }
    }

    /// A 409 with a code and a message.
    pub fn conflict(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
        }
    }

    /// A 500 whose detail is logged only.
    pub fn internal(detail: impl Into<String>) -> Self {
        Self::Internal(detail.into())
    }

    /// A 4xx whose body adds the fields of `details` (a JSON object; any
    /// other value adds nothing) after the code and the message.
    pub fn detailed(
        status: StatusCode,
        code: ErrorCode,
        message: impl Into<String>,
        details: serde_json::Value,
    ) -> Self {
        let details = match details {
            serde_json::Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        Self::Detailed {
            status,
            code,
            message: message.into(),
            details: Box::new(details),
        }
    }

    /// The stable code of the body's `error` field.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::BadRequest { code, .. }
            | Self::Conflict { code, .. }
            | Self::Refused { code, .. }
            | Self::Detailed { code, .. } => *code,
            Self::InvalidText { .. } => ErrorCode::ControlCharacter,
            Self::Unauthenticated => ErrorCode::Unauthenticated,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            Self::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            Self::TooManyRequests => ErrorCode::TooManyRequests,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } | Self::InvalidText { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Self::Refused { status, .. } | Self::Detailed { status, .. } => *status,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let message = match self {
            Self::Internal(detail) => {
                tracing::error!(detail = %detail, "internal error");
                "internal error".to_owned()
            }
            other => other.to_string(),
        };
        let field = match self {
            Self::InvalidText { field, .. } => Some(*field),
            _ => None,
        };
        let details = match self {
            Self::Detailed { details, .. } => Some(&**details),
            _ => None,
        };
        HttpResponse::build(self.status_code()).json(ErrorBody {
            error: self.code(),
            message,
            field,
            details,
        })
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => Self::NotFound("resource"),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => Self::conflict(
                ErrorCode::AlreadyExists,
                "a resource with the same unique value already exists",
            ),
            // PostgreSQL refuses NUL in text; every stored field is checked
            // before (crate::text), so this is a looked-up value: an id in a
            // path, a query or a body. A client error, not a 500.
            Error::DatabaseError(_, info) if is_nul_refusal(info.message()) => Self::InvalidText {
                field: "request",
                found: '\0',
            },
            other => Self::internal(format!("database: {other}")),
        }
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Query(q) => q.into(),
            other => Self::internal(other.to_string()),
        }
    }
}

/// Whether a database error message is PostgreSQL refusing a NUL byte.
fn is_nul_refusal(message: &str) -> bool {
    message.contains("invalid byte sequence for encoding") && message.contains("0x00")
}

/// Maps actix's JSON extractor failures (size, syntax, content type) to [`ApiError`].
pub fn json_error(
    err: actix_web::error::JsonPayloadError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as J;
    let api = match &err {
        J::OverflowKnownLength { .. } | J::Overflow { .. } => {
            ApiError::PayloadTooLarge("JSON body too large".into())
        }
        J::ContentType => {
            ApiError::UnsupportedMediaType("expected Content-Type: application/json".into())
        }
        J::Deserialize(e) => ApiError::bad_request(ErrorCode::InvalidJson, e.to_string()),
        other => ApiError::bad_request(ErrorCode::InvalidBody, other.to_string()),
    };
    api.into()
}

/// Maps query string failures to [`ApiError`].
pub fn query_error(
    err: actix_web::error::QueryPayloadError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    ApiError::bad_request(ErrorCode::InvalidQuery, err.to_string()).into()
}

/// Maps path parameter failures to [`ApiError`].
pub fn path_error(
    err: actix_web::error::PathError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    ApiError::bad_request(ErrorCode::InvalidPath, err.to_string()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diesel_not_found_is_404() {
        let e: ApiError = diesel::result::Error::NotFound.into();
        assert_eq!(e.status_code(), StatusCode::NOT_FOUND);
        assert_eq!(e.code().as_str(), "not_found");
    }

    #[test]
    fn internal_body_is_generic() {
        let e = ApiError::internal("secret detail: key=abc");
        let resp = e.error_response();
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = actix_web::body::to_bytes(resp.into_body());
        let body = futures_lite_block(body);
        assert!(!String::from_utf8_lossy(&body).contains("secret"));
    }

    #[test]
    fn detailed_fields_follow_the_message_in_order() {
        let e = ApiError::detailed(
            StatusCode::GONE,
            ErrorCode::Revoked,
            "revoked",
            serde_json::json!({ "revocationReason": null, "credential": {"b": 1, "a": 2} }),
        );
        let resp = e.error_response();
        assert_eq!(resp.status(), StatusCode::GONE);
        let body = futures_lite_block(actix_web::body::to_bytes(resp.into_body()));
        assert_eq!(
            String::from_utf8_lossy(&body),
            r#"{"error":"revoked","message":"revoked","revocationReason":null,"credential":{"b":1,"a":2}}"#
        );
    }

    fn futures_lite_block<
        F: std::future::Future<Output = Result<actix_web::web::Bytes, E>>,
        E: std::fmt::Debug,
    >(
        f: F,
    ) -> actix_web::web::Bytes {
        actix_web::rt::System::new().block_on(f).unwrap()
    }
}
