//! How a page answers: rendered with the security headers every page
//! carries ([`render`], [`see_other`], [`CSP`]), or refused as a readable
//! page in the visitor's language ([`PageError`], `ErrorPage`).
//!
//! Every page module uses these (through the re-exports of [`crate::pages`]);
//! this module uses none of them.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::error::ApiError;
use crate::i18n::Lang;
use crate::pages::ui::{self, Ui};

/// Content-Security-Policy of every page: no inline script or style, no
/// framing, forms post only here.
pub const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

/// Adds the security headers every HTML page carries.
pub fn secure(mut response: HttpResponse) -> HttpResponse {
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Renders a template as a page with `status`.
pub fn render_status(status: StatusCode, page: &impl Template) -> Result<HttpResponse, PageError> {
    let body = page
        .render()
        .map_err(|e| PageError::from(ApiError::internal(format!("template: {e}"))))?;
    Ok(secure(
        HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(body),
    ))
}

/// Renders a template as a 200 page.
pub fn render(page: &impl Template) -> Result<HttpResponse, PageError> {
    render_status(StatusCode::OK, page)
}

/// A 303 redirect (POST-redirect-GET).
pub fn see_other(location: &str) -> HttpResponse {
    secure(
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, location.to_owned()))
            .finish(),
    )
}

/// What a refused request did wrong, in words for a page in `lang`: a
/// refused character names the field as the form labels it; other errors
/// give their own message.
pub fn explain(error: &ApiError, lang: Lang) -> String {
    match error {
        ApiError::InvalidText { field, found } => crate::i18n::message_with(
            lang,
            "text-control-character",
            &[
                ("field", &field_label(lang, field)),
                ("character", &crate::text::code_point(*found)),
            ],
        ),
        other => other.to_string(),
    }
}

/// The label of an API field in `lang` (`field-<name>` in the catalogue), or
/// the field's own name.
fn field_label(lang: Lang, field: &str) -> String {
    let id = format!("field-{}", field.replace('_', "-"));
    if crate::i18n::has_message(lang, &id) {
        crate::i18n::message(lang, &id)
    } else {
        field.to_owned()
    }
}

/// Why a page could not be shown, answered as a readable page in the
/// visitor's language (or a redirect to the login page).
#[derive(Debug)]
pub struct PageError {
    /// The underlying error.
    pub error: ApiError,
    /// The page language.
    pub lang: Lang,
    /// When set: not logged in, go to the login page, then back here.
    pub login_then: Option<String>,
}

impl PageError {
    /// The same error, shown in `lang`.
    pub fn in_lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }
}

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> Self {
        Self {
            error,
            lang: Lang::Fr,
            login_then: None,
        }
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.error.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        if let Some(next) = &self.login_then {
            return see_other(&format!("/login?next={}", ui::encode(next)));
        }
        // Log the cause of a 5xx through ApiError's own mapping.
        let _ = self.error.error_response();
        let ui = Ui::anonymous(self.lang, "/");
        let (heading, detail) = match &self.error {
            ApiError::NotFound(_) => (ui.t("error-not-found"), ui.t("error-not-found-help")),
            ApiError::Forbidden(_) => (ui.t("error-forbidden"), ui.t("error-forbidden-help")),
            ApiError::Internal(_) => (ui.t("error-internal"), ui.t("error-internal-help")),
            ApiError::TooManyRequests => (ui.t("error-too-many"), ui.t("error-too-many-help")),
            other => (ui.t("error-bad-request"), explain(other, self.lang)),
        };
        let page = ErrorPage {
            ui,
            heading,
            detail,
        };
        error_page(self.status_code(), page)
    }
}

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorPage {
    pub(crate) ui: Ui,
    pub(crate) heading: String,
    pub(crate) detail: String,
}

/// Renders an error page with `status`, or a plain-text answer if the
/// template fails (it has no fallible part: never seen).
pub(crate) fn error_page(status: StatusCode, page: ErrorPage) -> HttpResponse {
    render_status(status, &page).unwrap_or_else(|_| {
        HttpResponse::build(status)
            .content_type("text/plain; charset=utf-8")
            .body(status.canonical_reason().unwrap_or("error"))
    })
}
