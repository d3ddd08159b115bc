//! The middleware every request goes through: it refuses a declared body
//! larger than [`MAX_BODY_BYTES`] before any handler runs, puts the security
//! headers on every response (pages, images, JSON, errors), and logs one line
//! per request: the method, path, status, time and, for a verification, its
//! outcome ([`LoggedOutcome`]). Never a query string (it may hold the name
//! typed in the holder field), never a body, never what a credential says.

use std::time::Instant;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::ResponseError as _;

use super::problem::{Presentation, ServiceError};
use super::MAX_BODY_BYTES;

/// The Content-Security-Policy of every response: nothing inline (styles and
/// the script are files under `/static/`), images from here, `data:` and
/// https (achievement images), no framing, forms post only here.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data: https:; \
style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// The headers set on every response, whatever a handler set.
const SECURITY_HEADERS: [(HeaderName, &str); 4] = [
    (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "no-referrer"),
    (header::X_FRAME_OPTIONS, "DENY"),
];

/// Sets the security headers, and `Cache-Control: no-store` unless the
/// handler chose a caching policy (static files): results are personal.
fn secure(headers: &mut HeaderMap) {
    for (name, value) in SECURITY_HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// The outcome of a verification, put in the response's extensions by the
/// handler for the request's log line: two booleans, nothing about whom or
/// what the credential names.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LoggedOutcome {
    /// The report's `verified`.
    pub(crate) verified: bool,
    /// The report's `authentic`.
    pub(crate) authentic: bool,
}

/// The body length a request declares, if it declares one.
fn declared_length(req: &ServiceRequest) -> Option<u64> {
    req.headers()
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// The middleware: body limit, security headers, safe log line.
pub(crate) async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.path().to_owned();
    let too_large = declared_length(&req).is_some_and(|n| n > MAX_BODY_BYTES as u64);
    let mut response = if too_large {
        let presentation = Presentation::of(req.request(), path == "/bake");
        let problem = presentation.problem(ServiceError::TooLarge {
            limit: MAX_BODY_BYTES,
        });
        let answer = problem.error_response();
        req.into_response(answer).map_into_right_body()
    } else {
        next.call(req).await?.map_into_left_body()
    };
    secure(response.headers_mut());
    let outcome = response
        .response()
        .extensions()
        .get::<LoggedOutcome>()
        .copied();
    tracing::info!(
        %method,
        path = %path,
        status = response.status().as_u16(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        verified = outcome.map(|o| o.verified),
        authentic = outcome.map(|o| o.authentic),
        "request"
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secure_keeps_a_chosen_cache_policy_and_overrides_the_rest() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=3600"),
        );
        headers.insert(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("SAMEORIGIN"),
        );
        secure(&mut headers);
        assert_eq!(
            headers.get(header::CACHE_CONTROL).unwrap(),
            "public, max-age=3600"
        );
        assert_eq!(headers.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
        let mut empty = HeaderMap::new();
        secure(&mut empty);
        assert_eq!(empty.get(header::CACHE_CONTROL).unwrap(), "no-store");
        assert!(empty
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'"));
    }
}
