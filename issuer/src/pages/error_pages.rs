//! Error pages for people: whatever answered an error (a route of the API
//! mounted outside `/api/`, such as `/credentials/{token}`, an unknown path,
//! a body over a limit, a throttle), a browser gets a short page in its
//! language with a way back home, instead of a JSON problem body.
//!
//! A browser is a client whose `Accept` header names `text/html` at least as
//! high as any JSON type; clients that name no media type or only `*/*`
//! (curl, verifiers, wallets) and everything under `/api/` keep the JSON
//! body, which stays the stable interface ([`crate::error::ApiError`]).

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse};

use crate::accept;
use crate::i18n::Lang;
use crate::pages::response::{error_page, ErrorPage};
use crate::pages::ui::{here, lang_of};
use crate::pages::Ui;

/// The catalogue ids of the heading and the help of an error page for
/// `status` on `path`.
pub fn message_ids(status: StatusCode, path: &str) -> (&'static str, &'static str) {
    let badge = path.starts_with("/credentials/") || path.starts_with("/claim");
    match status.as_u16() {
        404 if badge => ("error-badge-not-found", "error-badge-not-found-help"),
        404 | 405 => ("error-not-found", "error-not-found-help"),
        410 => ("error-gone", "error-gone-help"),
        413 => ("error-too-large", "error-too-large-help"),
        429 => ("error-too-many", "error-too-many-help"),
        401 | 403 => ("error-forbidden", "error-forbidden-help"),
        500.. => ("error-internal", "error-internal-help"),
        _ => ("error-bad-request", "error-bad-request-help"),
    }
}

/// Whether the client prefers an HTML page: it names `text/html` (or
/// XHTML) with a quality above zero and at least that of any JSON type.
pub fn prefers_html(req: &HttpRequest) -> bool {
    let html = accept::quality(req, accept::is_html);
    let json = accept::quality(req, |media| {
        media.starts_with("application/") && media.contains("json") || media.ends_with("jwt")
    });
    html > 0.0 && html >= json
}

/// Whether `req` is for the JSON API.
fn is_api(req: &HttpRequest) -> bool {
    req.path() == "/api" || req.path().starts_with("/api/")
}

/// Whether an error answered to `req` is shown as a page.
fn wants_page(req: &HttpRequest) -> bool {
    !is_api(req) && prefers_html(req)
}

/// Middleware: replaces the body of an error answer that is not HTML with
/// an error page when a browser asked (`wants_page`). The status and
/// `Retry-After` are kept.
pub async fn html_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let page = wants_page(req.request());
    // Errors that are still errors here (not answers yet) pass on as they
    // are: the routes inside turn theirs into answers.
    let response = next.call(req).await?.map_into_boxed_body();
    let status = response.status();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let error = status.is_client_error() || status.is_server_error();
    if !page || is_html || !error {
        let mut response = response;
        let vary = response.headers().contains_key(header::VARY);
        if error && !is_api(response.request()) && !is_html && !vary {
            // The same address answers a page to browsers: caches must
            // keep the two apart.
            response
                .headers_mut()
                .insert(header::VARY, HeaderValue::from_static("Accept"));
        }
        return Ok(response);
    }
    let (request, original) = response.into_parts();
    let mut html = page_for(&request, status);
    let headers = html.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    if let Some(value) = original.headers().get(header::RETRY_AFTER) {
        headers.insert(header::RETRY_AFTER, value.clone());
    }
    Ok(ServiceResponse::new(request, html))
}

/// The error page for `status` in the request's language.
fn page_for(req: &HttpRequest, status: StatusCode) -> HttpResponse {
    let lang: Lang = lang_of(req);
    let ui = Ui::anonymous(lang, &here(req));
    let (heading, detail) = message_ids(status, req.path());
    let page = ErrorPage {
        heading: ui.t(heading),
        detail: ui.t(detail),
        ui,
    };
    error_page(status, page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn accept(value: &str) -> bool {
        prefers_html(
            &TestRequest::get()
                .insert_header((header::ACCEPT, value))
                .to_http_request(),
        )
    }

    #[test]
    fn browsers_prefer_html_and_programs_do_not() {
        assert!(accept(
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        ));
        assert!(!accept("*/*"));
        assert!(!accept("application/json"));
        assert!(!accept("application/json, text/html;q=0.5"));
        assert!(!accept("application/ld+json, text/html;q=0.9"));
        assert!(!accept("text/html;q=0"));
        assert!(!prefers_html(&TestRequest::get().to_http_request()));
    }

    #[test]
    fn every_status_has_words_in_both_languages() {
        for code in [400, 401, 403, 404, 405, 410, 413, 415, 429, 500, 503] {
            let status = StatusCode::from_u16(code).unwrap();
            for path in ["/", "/credentials/x"] {
                let (heading, help) = message_ids(status, path);
                for lang in Lang::ALL {
                    assert!(crate::i18n::has_message(lang, heading), "{heading}");
                    assert!(crate::i18n::has_message(lang, help), "{help}");
                }
            }
        }
    }
}
