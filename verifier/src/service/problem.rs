//! The service's one error type, [`ServiceError`], and how it is answered:
//! a JSON problem body `{"error": "snake_case_code", "message": "..."}` for
//! JSON clients, a readable page in French or English for browsers.
//!
//! A credential that does not verify is not an error here: it is a report
//! (200). Errors are requests the service cannot act on: nothing sent, too
//! large, not a badge, a URL it will not or cannot open. 5xx bodies stay
//! generic; the cause goes to the log.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use serde::Serialize;

use super::ui::Ui;
use crate::i18n::{self, Lang};
use crate::input::InputError;
use crate::pipeline::VerifyError;

/// Why a request could not be served.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServiceError {
    /// Nothing was sent (400 `empty_input`).
    #[error("nothing was sent: give a file, a text or a URL")]
    EmptyInput,
    /// The body is larger than accepted (413 `too_large`).
    #[error("the request is larger than the {limit} bytes accepted")]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The input holds no credential this service reads (422 `not_a_badge`).
    #[error("{0}")]
    NotABadge(String),
    /// The URL does not parse or is not http(s) (400 `invalid_url`).
    #[error("{0}")]
    InvalidUrl(String),
    /// The URL leads to a private, loopback or link-local address
    /// (403 `private_address`).
    #[error("{0}")]
    PrivateAddress(String),
    /// The URL is refused by the fetch rules, e.g. plain http (403 `url_refused`).
    #[error("{0}")]
    UrlRefused(String),
    /// The URL could not be read: unreachable, timeout, an HTTP error, not
    /// a credential (422 `url_unreadable`).
    #[error("{0}")]
    UrlUnreadable(String),
    /// The credential does not verify, so it is not baked nor certified
    /// (422 `not_verified`).
    #[error("the credential does not verify ({check}): {message}")]
    NotVerified {
        /// The code of the first failed check.
        check: &'static str,
        /// Its message.
        message: String,
    },
    /// A malformed request (400).
    #[error("{message}")]
    BadRequest {
        /// Stable snake_case code.
        code: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The body did not arrive within the read timeout (408 `body_timeout`).
    #[error("the request body did not arrive within {seconds} seconds")]
    BodyTimeout {
        /// The timeout, in seconds.
        seconds: f32,
    },
    /// Every image-building slot is taken (503 `busy`, with `Retry-After`).
    #[error("the service is building other images; retry in {retry_after} seconds")]
    Busy {
        /// Seconds to wait before retrying.
        retry_after: u32,
    },
    /// No such route (404 `not_found`).
    #[error("no such page")]
    NotFound,
    /// Anything else (500 `internal`); the detail is logged, never answered.
    #[error("internal error")]
    Internal(String),
}

impl ServiceError {
    /// A 400 with a code and a message.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            message: message.into(),
        }
    }

    /// The stable code of the body's `error` field.
    pub fn code(&self) -> &'static str {
        match self {
            Self::EmptyInput => "empty_input",
            Self::TooLarge { .. } => "too_large",
            Self::NotABadge(_) => "not_a_badge",
            Self::InvalidUrl(_) => "invalid_url",
            Self::PrivateAddress(_) => "private_address",
            Self::UrlRefused(_) => "url_refused",
            Self::UrlUnreadable(_) => "url_unreadable",
            Self::NotVerified { .. } => "not_verified",
            Self::BadRequest { code, .. } => code,
            Self::Busy { .. } => "busy",
            Self::BodyTimeout { .. } => "body_timeout",
            Self::NotFound => "not_found",
            Self::Internal(_) => "internal",
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::EmptyInput | Self::InvalidUrl(_) | Self::BadRequest { .. } => {
                StatusCode::BAD_REQUEST
            }
            Self::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::PrivateAddress(_) | Self::UrlRefused(_) => StatusCode::FORBIDDEN,
            Self::NotABadge(_) | Self::UrlUnreadable(_) | Self::NotVerified { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Self::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::BodyTimeout { .. } => StatusCode::REQUEST_TIMEOUT,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The page's explanation in `lang`.
    fn explanation(&self, lang: Lang) -> String {
        let id = match self {
            Self::EmptyInput => "error-empty",
            Self::TooLarge { limit } => {
                let size = human_size(*limit, lang);
                return i18n::message_with(lang, "error-too-large", &[("size", &size)]);
            }
            Self::NotABadge(_) => "error-not-a-badge",
            Self::InvalidUrl(_) => "error-url-invalid",
            Self::PrivateAddress(_) => "error-private-address",
            Self::UrlRefused(_) => "error-url-refused",
            Self::UrlUnreadable(_) => "error-fetch",
            Self::NotVerified { check, .. } => {
                let why = i18n::check_message(lang, check).unwrap_or_default();
                return format!("{} {why}", i18n::message(lang, "error-not-verified"));
            }
            Self::BadRequest { .. } => "error-bad-request",
            Self::Busy { .. } => "error-busy",
            Self::BodyTimeout { .. } => "error-body-timeout",
            Self::NotFound => "error-not-found",
            Self::Internal(_) => "error-internal",
        };
        i18n::message(lang, id)
    }
}

impl From<InputError> for ServiceError {
    fn from(error: InputError) -> Self {
        match error {
            InputError::Empty => Self::EmptyInput,
            InputError::TooLarge { limit, .. } => Self::TooLarge { limit },
            InputError::InvalidUrl(e) => Self::InvalidUrl(format!("invalid URL: {e}")),
            other => Self::NotABadge(other.to_string()),
        }
    }
}

impl From<VerifyError> for ServiceError {
    fn from(error: VerifyError) -> Self {
        match error {
            VerifyError::Input(e) => e.into(),
            other => Self::UrlUnreadable(other.to_string()),
        }
    }
}

/// A size in words: "2 Mo" in French, "2 MB" in English.
pub(crate) fn human_size(bytes: usize, lang: Lang) -> String {
    let mib = bytes as f64 / (1024.0 * 1024.0);
    let unit = match lang {
        Lang::Fr => "Mo",
        Lang::En => "MB",
    };
    let number = format!("{}", (mib * 10.0).round() / 10.0);
    match lang {
        Lang::Fr => format!("{} {unit}", number.replace('.', ",")),
        Lang::En => format!("{number} {unit}"),
    }
}

/// How an answer is given: in which language, as JSON or as a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Presentation {
    /// The page language.
    pub(crate) lang: Lang,
    /// Answer JSON rather than HTML.
    pub(crate) json: bool,
}

impl Presentation {
    /// The presentation a request asks for: `?lang=` then `Accept-Language`;
    /// JSON when `Accept` names JSON, HTML when it names HTML, else
    /// `json_by_default`.
    pub(crate) fn of(req: &HttpRequest, json_by_default: bool) -> Self {
        let header_text = |name| req.headers().get(name).and_then(|v| v.to_str().ok());
        let query_lang = super::query::query_param(req, "lang");
        let lang = Lang::negotiate(query_lang.as_deref(), header_text(header::ACCEPT_LANGUAGE));
        let accept = header_text(header::ACCEPT).unwrap_or_default();
        let json = if accept.contains("application/json") || accept.contains("+json") {
            true
        } else if accept.contains("text/html") {
            false
        } else {
            json_by_default
        };
        Presentation { lang, json }
    }

    /// `error` answered this way.
    pub(crate) fn problem(self, error: ServiceError) -> Problem {
        Problem {
            error,
            presentation: self,
        }
    }
}

/// A [`ServiceError`] with the way to answer it.
#[derive(Debug)]
pub struct Problem {
    error: ServiceError,
    presentation: Presentation,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

#[derive(Serialize)]
struct ProblemBody<'a> {
    error: &'a str,
    message: String,
}

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ui: Ui,
    explanation: String,
}

impl ResponseError for Problem {
    fn status_code(&self) -> StatusCode {
        self.error.status()
    }

    fn error_response(&self) -> HttpResponse {
        let message = match &self.error {
            ServiceError::Internal(detail) => {
                tracing::error!(detail = %detail, "internal error");
                "internal error".to_owned()
            }
            other => other.to_string(),
        };
        let mut response = HttpResponse::build(self.status_code());
        if let ServiceError::Busy { retry_after } = &self.error {
            response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
        }
        if self.presentation.json {
            return response.json(ProblemBody {
                error: self.error.code(),
                message,
            });
        }
        let lang = self.presentation.lang;
        let page = ErrorPage {
            ui: Ui::new(lang, format!("/?lang={}", lang.other().code())),
            explanation: self.error.explanation(lang),
        };
        match page.render() {
            Ok(html) => response.content_type("text/html; charset=utf-8").body(html),
            Err(e) => {
                tracing::error!(error = %e, "error page template");
                response
                    .content_type("text/plain; charset=utf-8")
                    .body(self.error.explanation(lang))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_each_language() {
        assert_eq!(human_size(2 * 1024 * 1024, Lang::Fr), "2 Mo");
        assert_eq!(human_size(1536 * 1024, Lang::En), "1.5 MB");
        assert_eq!(human_size(1536 * 1024, Lang::Fr), "1,5 Mo");
    }

    #[test]
    fn every_error_has_a_translated_explanation() {
        let errors = [
            ServiceError::EmptyInput,
            ServiceError::TooLarge { limit: 10 },
            ServiceError::NotABadge(String::new()),
            ServiceError::InvalidUrl(String::new()),
            ServiceError::PrivateAddress(String::new()),
            ServiceError::UrlRefused(String::new()),
            ServiceError::UrlUnreadable(String::new()),
            ServiceError::NotVerified {
                check: "status.revoked",
                message: String::new(),
            },
            ServiceError::bad_request("x", ""),
            ServiceError::Busy { retry_after: 2 },
            ServiceError::BodyTimeout { seconds: 20.0 },
            ServiceError::NotFound,
            ServiceError::Internal(String::new()),
        ];
        for error in errors {
            for lang in Lang::ALL {
                let text = error.explanation(lang);
                assert!(!text.starts_with("error-"), "{text}");
            }
            assert!(error.status().is_client_error() || error.status().is_server_error());
        }
    }
}
