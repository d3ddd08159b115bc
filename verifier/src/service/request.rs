//! Reading what a visitor sent: a raw body (JSON, JWS, PNG, SVG or a URL),
//! a multipart form (`file`, `text`, `url`, `holder`), or a URL-encoded
//! form, each bounded in size before it is kept.

use std::time::Duration;

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{web, HttpRequest};
use futures_util::StreamExt as _;

use super::problem::ServiceError;
use super::verify::Input;

/// The most form fields read from one request.
const MAX_FIELDS: usize = 16;

/// The longest holder name or e-mail address accepted, in bytes.
const MAX_HOLDER_BYTES: usize = 320;

/// What a form or body gave.
#[derive(Debug, Default)]
pub(crate) struct Submission {
    /// A file's bytes.
    file: Option<Vec<u8>>,
    /// A pasted text.
    text: Option<String>,
    /// A URL.
    url: Option<String>,
    /// The holder's name or e-mail address.
    pub(crate) holder: Option<String>,
}

impl Submission {
    /// The input to verify: the file, else the text, else the URL.
    pub(crate) fn input(&self) -> Result<Input, ServiceError> {
        if let Some(file) = self.file.as_ref().filter(|f| !f.is_empty()) {
            return Ok(Input::Bytes(file.clone()));
        }
        if let Some(text) = self.text.as_ref().filter(|t| !t.trim().is_empty()) {
            return Ok(Input::Bytes(text.as_bytes().to_vec()));
        }
        if let Some(url) = self.url.as_ref().filter(|u| !u.trim().is_empty()) {
            return Ok(Input::Url(url.trim().to_owned()));
        }
        Err(ServiceError::EmptyInput)
    }

    /// Keeps a field by name; unknown fields are ignored.
    fn set(&mut self, name: &str, value: Vec<u8>) -> Result<(), ServiceError> {
        let text = |value: Vec<u8>| {
            String::from_utf8(value)
                .map_err(|_| ServiceError::bad_request("invalid_form", "a form field is not UTF-8"))
        };
        match name {
            "file" => self.file = Some(value),
            "text" => self.text = Some(text(value)?),
            "url" => self.url = Some(text(value)?),
            "holder" => self.holder = holder(&text(value)?)?,
            _ => {}
        }
        Ok(())
    }
}

/// A holder name or e-mail address: trimmed, `None` when blank.
pub(crate) fn holder(value: &str) -> Result<Option<String>, ServiceError> {
    let value = value.trim();
    if value.len() > MAX_HOLDER_BYTES {
        return Err(ServiceError::bad_request(
            "holder_too_long",
            format!("the holder field is longer than {MAX_HOLDER_BYTES} bytes"),
        ));
    }
    Ok((!value.is_empty()).then(|| value.to_owned()))
}

/// The media type of a request, lower-cased, without parameters.
fn media_type(req: &HttpRequest) -> String {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Reads a POST: multipart form, URL-encoded form, or raw body, within
/// `timeout` for the whole body (a sender trickling bytes would otherwise
/// hold the connection and its buffer for as long as it likes). A
/// URL-encoded body that names none of the form's fields is a raw body
/// (`curl -d @credential.json` sends JSON with that content type).
pub(crate) async fn read_submission(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
    timeout: Duration,
) -> Result<Submission, ServiceError> {
    within(timeout, read_submission_untimed(req, payload, limit)).await
}

/// Runs a body read, or answers [`ServiceError::BodyTimeout`] when it takes
/// longer than `timeout`.
async fn within<T>(
    timeout: Duration,
    read: impl std::future::Future<Output = Result<T, ServiceError>>,
) -> Result<T, ServiceError> {
    actix_web::rt::time::timeout(timeout, read)
        .await
        .map_err(|_| ServiceError::BodyTimeout {
            seconds: timeout.as_secs_f32(),
        })?
}

async fn read_submission_untimed(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
) -> Result<Submission, ServiceError> {
    match media_type(req).as_str() {
        "multipart/form-data" => read_multipart(req, payload, limit).await,
        "application/x-www-form-urlencoded" => {
            let body = read_body_untimed(payload, limit).await?;
            let mut submission = Submission::default();
            let mut named = false;
            for (name, value) in url::form_urlencoded::parse(&body) {
                named |= matches!(name.as_ref(), "text" | "url" | "holder");
                if name != "file" {
                    submission.set(&name, value.into_owned().into_bytes())?;
                }
            }
            if !named {
                submission = Submission {
                    file: Some(body),
                    ..Submission::default()
                };
            }
            Ok(submission)
        }
        _ => Ok(Submission {
            file: Some(read_body_untimed(payload, limit).await?),
            ..Submission::default()
        }),
    }
}

/// Reads a whole body, refusing more than `limit` bytes or taking longer
/// than `timeout`.
pub(crate) async fn read_body(
    payload: web::Payload,
    limit: usize,
    timeout: Duration,
) -> Result<Vec<u8>, ServiceError> {
    within(timeout, read_body_untimed(payload, limit)).await
}

async fn read_body_untimed(
    mut payload: web::Payload,
    limit: usize,
) -> Result<Vec<u8>, ServiceError> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            ServiceError::bad_request("unreadable_body", format!("the body cannot be read: {e}"))
        })?;
        if body.len() + chunk.len() > limit {
            return Err(ServiceError::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Reads a multipart form, refusing more than `limit` bytes in all and more
/// than [`MAX_FIELDS`] fields.
async fn read_multipart(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
) -> Result<Submission, ServiceError> {
    let invalid = |e: actix_multipart::MultipartError| {
        ServiceError::bad_request("invalid_form", format!("the form cannot be read: {e}"))
    };
    let mut multipart = Multipart::new(req.headers(), payload);
    let mut submission = Submission::default();
    let (mut total, mut fields) = (0usize, 0usize);
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(invalid)?;
        fields += 1;
        if fields > MAX_FIELDS {
            return Err(ServiceError::bad_request(
                "invalid_form",
                format!("the form has more than {MAX_FIELDS} fields"),
            ));
        }
        let name = field.name().unwrap_or_default().to_owned();
        let mut value = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(invalid)?;
            total += chunk.len();
            if total > limit {
                return Err(ServiceError::TooLarge { limit });
            }
            value.extend_from_slice(&chunk);
        }
        submission.set(&name, value)?;
    }
    Ok(submission)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_wins_over_text_over_url() {
        let mut submission = Submission::default();
        assert!(matches!(submission.input(), Err(ServiceError::EmptyInput)));
        submission.set("url", b" https://x.fr/c ".to_vec()).unwrap();
        assert!(matches!(submission.input(), Ok(Input::Url(u)) if u == "https://x.fr/c"));
        submission.set("text", b"{}".to_vec()).unwrap();
        assert!(matches!(submission.input(), Ok(Input::Bytes(b)) if b == b"{}"));
        submission.set("file", Vec::new()).unwrap();
        assert!(matches!(submission.input(), Ok(Input::Bytes(b)) if b == b"{}"));
        submission.set("file", b"PNG".to_vec()).unwrap();
        assert!(matches!(submission.input(), Ok(Input::Bytes(b)) if b == b"PNG"));
    }

    #[test]
    fn holder_is_trimmed_and_bounded() {
        assert_eq!(holder("  Marie ").unwrap().as_deref(), Some("Marie"));
        assert_eq!(holder("   ").unwrap(), None);
        assert!(holder(&"x".repeat(400)).is_err());
    }
}
