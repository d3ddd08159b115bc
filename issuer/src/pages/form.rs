//! Reading HTML forms posted as `multipart/form-data` (file inputs, and
//! repeated fields such as the competence checkboxes), within limits.

use actix_multipart::Multipart;
use actix_web::web::BytesMut;
use futures_util::StreamExt;

use crate::error::{ApiError, ErrorCode};

/// Most fields a form may carry: an attendance grid of 50 participants
/// over 20 sessions posts one field per ticked box.
const MAX_FIELDS: usize = 1_000;
/// Largest text field, unless the caller allows more.
pub const MAX_TEXT: usize = 64 * 1024;

/// A posted form: its text fields in order, and at most one file.
#[derive(Debug, Default)]
pub struct PostedForm {
    /// `(name, value)` of every text field, in order.
    pub fields: Vec<(String, String)>,
    /// The file input, if one was chosen: field name, content type, bytes.
    pub file: Option<PostedFile>,
    /// A file was chosen but was larger than allowed: it was dropped and
    /// the rest of the form read, so the page can keep what was typed.
    pub file_too_large: bool,
}

/// A file from a form.
#[derive(Debug)]
pub struct PostedFile {
    /// The input's name.
    pub field: String,
    /// The browser's declared content type.
    pub content_type: Option<String>,
    /// The bytes.
    pub bytes: Vec<u8>,
}

impl PostedForm {
    /// The first value of `name`, trimmed ("" if absent).
    pub fn text(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    }

    /// The first value of `name`, or `None` when absent or blank.
    pub fn optional(&self, name: &str) -> Option<String> {
        Some(self.text(name)).filter(|v| !v.is_empty())
    }

    /// Every value of `name` (checkboxes).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Whether the checkbox `name` was ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.fields.iter().any(|(k, _)| k == name)
    }
}

/// Reads a multipart form, with at most `max_file` bytes for its file.
pub async fn read(payload: Multipart, max_file: usize) -> Result<PostedForm, ApiError> {
    read_with(payload, max_file, MAX_TEXT).await
}

/// [`read`] with at most `max_text` bytes per text field.
pub async fn read_with(
    mut payload: Multipart,
    max_file: usize,
    max_text: usize,
) -> Result<PostedForm, ApiError> {
    let mut form = PostedForm::default();
    let mut count = 0;
    while let Some(item) = payload.next().await {
        let mut field =
            item.map_err(|e| ApiError::bad_request(ErrorCode::InvalidForm, e.to_string()))?;
        count += 1;
        if count > MAX_FIELDS {
            return Err(ApiError::bad_request(
                ErrorCode::InvalidForm,
                "too many fields",
            ));
        }
        let name = field.name().unwrap_or_default().to_owned();
        let is_file = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .is_some();
        let content_type = field.content_type().map(|m| m.essence_str().to_owned());
        let limit = if is_file { max_file } else { max_text };
        let mut bytes = BytesMut::new();
        let mut dropped = false;
        let mut drained = 0usize;
        while let Some(chunk) = field.next().await {
            let chunk =
                chunk.map_err(|e| ApiError::bad_request(ErrorCode::InvalidForm, e.to_string()))?;
            if dropped {
                // Read past a dropped file up to a bound, not forever.
                drained += chunk.len();
                if drained > limit.saturating_mul(4) {
                    return Err(ApiError::PayloadTooLarge(format!(
                        "{name}: at most {limit} bytes"
                    )));
                }
                continue;
            }
            if bytes.len() + chunk.len() > limit {
                if !is_file {
                    return Err(ApiError::PayloadTooLarge(format!(
                        "{name}: at most {limit} bytes"
                    )));
                }
                // Too large a file: drop it, read on (up to four times the
                // limit), and say so to the page.
                dropped = true;
                bytes = BytesMut::new();
                continue;
            }
            bytes.extend_from_slice(&chunk);
        }
        if dropped {
            form.file_too_large = true;
            continue;
        }
        if is_file {
            if !bytes.is_empty() {
                form.file = Some(PostedFile {
                    field: name,
                    content_type,
                    bytes: bytes.to_vec(),
                });
            }
        } else {
            let value = String::from_utf8(bytes.to_vec()).map_err(|_| {
                ApiError::bad_request(ErrorCode::InvalidForm, format!("{name}: not UTF-8"))
            })?;
            form.fields.push((name, value));
        }
    }
    Ok(form)
}
