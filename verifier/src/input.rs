//! Input detection: what the user gave the verifier, from its bytes alone.
//!
//! A credential reaches the verifier as its JSON, as a compact JWS (a
//! VC-JWT, OB 3.0 §8.2), baked into a PNG or SVG image (OB 3.0 §5.3), or as
//! a URL to fetch. [`detect`] classifies the raw bytes, unbakes images and
//! classifies what they carry, and recognises Open Badges 2.0 assertions so
//! that they are verified by their own rules ([`crate::ob2`]) instead of
//! failing as bad OB 3.0.
//!
//! The bytes come from anyone: sizes are bounded before anything is read,
//! JSON nesting is bounded before it is parsed, and every refusal is a
//! specific [`InputError`]. Nothing here checks a signature: the result is
//! unverified input.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::Value;

use crate::bake::{self, BakeError, ImageFormat, Unbaked, MAX_IMAGE_BYTES, PNG_SIGNATURE};

/// The largest raw JSON or JWS input, in bytes (4 MiB). Images may be up to
/// [`MAX_IMAGE_BYTES`].
pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;

/// The deepest JSON nesting accepted (objects and arrays). A credential
/// nests a handful of levels; serde_json's own limit (128) is kept as a
/// backstop only.
pub const MAX_JSON_DEPTH: usize = 64;

/// The JSON-LD contexts of Open Badges 2.0 and its predecessor.
const OB2_CONTEXTS: [&str; 2] = [
    "https://w3id.org/openbadges/v2",
    "https://w3id.org/openbadges/v1",
];

/// The UTF-8 byte-order mark, ignored before text input.
const BOM: &str = "\u{FEFF}";

/// Where the input came from, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// JSON given directly.
    Json,
    /// A compact JWS given directly.
    Jwt,
    /// Baked into a PNG image.
    Png,
    /// Baked into an SVG image.
    Svg,
    /// A URL given directly.
    Url,
}

impl From<ImageFormat> for Source {
    fn from(format: ImageFormat) -> Self {
        match format {
            ImageFormat::Png => Self::Png,
            ImageFormat::Svg => Self::Svg,
        }
    }
}

/// What the input holds, not yet verified.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum InputContent {
    /// An Open Badges 3.0 credential (or any other verifiable credential).
    Credential(CredentialInput),
    /// An Open Badges 2.0 (or 1.x) assertion: verified by [`crate::ob2`], not
    /// as OB 3.0.
    OpenBadges2(Ob2Input),
    /// A URL, to be fetched by the caller.
    Url(String),
}

/// An unverified credential, in one of its two securing formats.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CredentialInput {
    /// A JSON object, secured (if at all) by an embedded proof.
    Json(Value),
    /// A compact JWS (VC-JWT), trimmed.
    Jwt(String),
}

/// An Open Badges 2.0 assertion, in one of its three forms.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Ob2Input {
    /// A hosted assertion's URL.
    Url(String),
    /// The assertion's JSON.
    Json(Value),
    /// A signed assertion, as a compact JWS.
    Jws(String),
}

/// The result of [`detect`]: what the input holds and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectedInput {
    /// The input's format, or the image it was baked into.
    pub source: Source,
    /// What it holds.
    pub content: InputContent,
}

/// Why the input could not be classified.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// Nothing was given (or only whitespace).
    #[error("the input is empty")]
    Empty,
    /// The input is larger than accepted for its kind.
    #[error("the input is {size} bytes long, more than the {limit} bytes accepted")]
    TooLarge {
        /// The input's size in bytes.
        size: usize,
        /// The limit for this kind of input, in bytes.
        limit: usize,
    },
    /// The input is neither an image nor UTF-8 text.
    #[error("the input is not UTF-8 text (invalid byte at offset {offset}) nor a PNG image")]
    InvalidUtf8 {
        /// The offset of the first invalid byte.
        offset: usize,
    },
    /// An image format that cannot carry an Open Badges credential.
    #[error("{0} images cannot carry a badge: give a PNG or SVG image")]
    UnsupportedImage(&'static str),
    /// The JSON nests deeper than [`MAX_JSON_DEPTH`].
    #[error("the JSON nests deeper than {limit} levels")]
    TooDeep {
        /// The depth limit.
        limit: usize,
    },
    /// The input starts like JSON but does not parse.
    #[error("the input is not valid JSON: {0}")]
    InvalidJson(#[source] serde_json::Error),
    /// The JSON is valid but not an object (a credential is one).
    #[error("the JSON is not an object: a credential is a JSON object")]
    NotAnObject,
    /// The input starts like a URL but does not parse as one.
    #[error("the input is not a valid URL: {0}")]
    InvalidUrl(#[source] url::ParseError),
    /// The input is none of the known formats.
    #[error(
        "unknown input format: expected a PNG or SVG badge, a JSON credential, a VC-JWT or a URL"
    )]
    UnknownFormat,
    /// The image carries no credential.
    #[error("the {0} image carries no Open Badges credential")]
    NotBaked(ImageFormat),
    /// The image carries text that is neither JSON nor a compact JWS (nor,
    /// for Open Badges 2.0, a URL).
    #[error("the credential baked in the {0} image is neither JSON nor a compact JWS")]
    UnrecognisedBakedContent(ImageFormat),
    /// The image could not be read.
    #[error(transparent)]
    Image(#[from] BakeError),
}

impl InputError {
    /// Whether the input was read and holds no badge: a verdict ("not a
    /// badge", `verified: false` with this reason), not a failure to run.
    /// What stays an error: nothing given, an input too large to be read,
    /// a malformed URL.
    pub fn is_not_a_badge(&self) -> bool {
        !matches!(
            self,
            InputError::Empty
                | InputError::TooLarge { .. }
                | InputError::InvalidUrl(_)
                | InputError::Image(
                    BakeError::ImageTooLarge { .. } | BakeError::CredentialTooLarge { .. }
                )
        )
    }

    /// The image the input was, when the error tells.
    fn image_format(&self) -> Option<ImageFormat> {
        match self {
            InputError::NotBaked(format) | InputError::UnrecognisedBakedContent(format) => {
                Some(*format)
            }
            InputError::Image(BakeError::MultipleCredentials(format)) => Some(*format),
            _ => None,
        }
    }
}

/// The image format of raw input, judged by its first bytes, when an
/// [`InputError`] does not tell.
pub fn image_format_of(bytes: &[u8], error: &InputError) -> Option<ImageFormat> {
    error.image_format().or_else(|| {
        if bytes.starts_with(&PNG_SIGNATURE) {
            Some(ImageFormat::Png)
        } else {
            let text = bytes.strip_prefix(BOM.as_bytes()).unwrap_or(bytes);
            let start = text.iter().position(|b| !b.is_ascii_whitespace());
            start
                .is_some_and(|i| text[i] == b'<')
                .then_some(ImageFormat::Svg)
        }
    })
}

/// Classifies raw input: a PNG or SVG image (unbaked, and what it carries
/// classified in turn), a JSON object, a compact JWS or an http(s) URL.
pub fn detect(bytes: &[u8]) -> Result<DetectedInput, InputError> {
    if bytes.is_empty() {
        return Err(InputError::Empty);
    }
    check_size(bytes.len(), MAX_IMAGE_BYTES)?;
    if bytes.starts_with(&PNG_SIGNATURE) {
        return from_image(ImageFormat::Png, bake::unbake_png(bytes)?);
    }
    if let Some(format) = unsupported_image(bytes) {
        return Err(InputError::UnsupportedImage(format));
    }
    let text = std::str::from_utf8(bytes).map_err(|error| InputError::InvalidUtf8 {
        offset: error.valid_up_to(),
    })?;
    let text = text.strip_prefix(BOM).unwrap_or(text).trim();
    if text.is_empty() {
        return Err(InputError::Empty);
    }
    if text.starts_with('<') {
        return from_image(ImageFormat::Svg, bake::unbake_svg(text.as_bytes())?);
    }
    check_size(bytes.len(), MAX_INPUT_BYTES)?;
    let detected = |source, content| DetectedInput { source, content };
    if text.starts_with(['{', '[']) {
        return Ok(detected(Source::Json, classify_json(parse_json(text)?)));
    }
    if is_http_url(text) {
        let url = url::Url::parse(text).map_err(InputError::InvalidUrl)?;
        return Ok(detected(Source::Url, InputContent::Url(url.into())));
    }
    if bake::is_compact_jws(text) {
        return Ok(detected(Source::Jwt, classify_jws(text)));
    }
    Err(InputError::UnknownFormat)
}

/// Classifies what an image carries.
fn from_image(format: ImageFormat, unbaked: Option<Unbaked>) -> Result<DetectedInput, InputError> {
    let unbaked = unbaked.ok_or(InputError::NotBaked(format))?;
    let text = unbaked.text().trim();
    let content = match unbaked {
        _ if text.starts_with('{') => classify_json(parse_json(text)?),
        _ if bake::is_compact_jws(text) => classify_jws(text),
        Unbaked::OpenBadges2(_) if is_http_url(text) => {
            InputContent::OpenBadges2(Ob2Input::Url(text.to_owned()))
        }
        _ => return Err(InputError::UnrecognisedBakedContent(format)),
    };
    Ok(DetectedInput {
        source: format.into(),
        content,
    })
}

/// Classifies a JSON object: an Open Badges 2.0 assertion, or a credential.
fn classify_json(value: Value) -> InputContent {
    if is_open_badges_2(&value) {
        InputContent::OpenBadges2(Ob2Input::Json(value))
    } else {
        InputContent::Credential(CredentialInput::Json(value))
    }
}

/// Classifies a compact JWS by its payload: a signed Open Badges 2.0
/// assertion, or a VC-JWT. A payload that does not decode is left for the
/// verifier to report, as a VC-JWT.
fn classify_jws(jws: &str) -> InputContent {
    let jws = jws.trim().to_owned();
    let ob2 = jws
        .split('.')
        .nth(1)
        .and_then(|payload| URL_SAFE_NO_PAD.decode(payload).ok())
        .and_then(|payload| String::from_utf8(payload).ok())
        .and_then(|payload| parse_json(&payload).ok())
        .is_some_and(|payload| is_open_badges_2(&payload));
    if ob2 {
        InputContent::OpenBadges2(Ob2Input::Jws(jws))
    } else {
        InputContent::Credential(CredentialInput::Jwt(jws))
    }
}

/// Whether a JSON object is an Open Badges 2.0 (or 1.x) assertion: its
/// `@context` names an OB 2.0 context, or its `type` is `Assertion`, or it
/// has the shape of an Open Badges 1.0 assertion (no context nor type, but
/// a `verify` object beside its `recipient` and `badge`).
fn is_open_badges_2(value: &Value) -> bool {
    let ob1 = value.get("verify").is_some_and(Value::is_object)
        && value.get("recipient").is_some()
        && value.get("badge").is_some()
        && value.get("@context").is_none();
    ob1 || names_open_badges_2(value)
}

fn names_open_badges_2(value: &Value) -> bool {
    let names = |value: Option<&Value>, wanted: &dyn Fn(&str) -> bool| match value {
        Some(Value::String(text)) => wanted(text),
        Some(Value::Array(items)) => items.iter().any(|item| item.as_str().is_some_and(wanted)),
        _ => false,
    };
    let ob2_context = |text: &str| {
        let text = text.trim_end_matches('/');
        OB2_CONTEXTS.contains(&text)
    };
    names(value.get("@context"), &ob2_context)
        || names(value.get("type"), &|text| text == "Assertion")
}

/// Parses a JSON object, its nesting checked first.
fn parse_json(text: &str) -> Result<Value, InputError> {
    check_json_depth(text)?;
    let value: Value = serde_json::from_str(text).map_err(InputError::InvalidJson)?;
    if !value.is_object() {
        return Err(InputError::NotAnObject);
    }
    Ok(value)
}

/// Refuses JSON nesting deeper than [`MAX_JSON_DEPTH`], in one pass over
/// the bytes and before parsing (brackets inside strings do not count).
/// Malformed JSON passes here and fails in the parser.
fn check_json_depth(text: &str) -> Result<(), InputError> {
    let mut depth = 0_usize;
    let mut in_string = false;
    let mut escaped = false;
    for byte in text.bytes() {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(InputError::TooDeep {
                        limit: MAX_JSON_DEPTH,
                    });
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Whether `text` starts like an http(s) URL and holds no whitespace.
fn is_http_url(text: &str) -> bool {
    let starts_with = |prefix: &str| {
        text.as_bytes()
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    (starts_with("http://") || starts_with("https://")) && !text.contains(char::is_whitespace)
}

/// Names image formats recognised by their signature that carry no badge.
fn unsupported_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("JPEG")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("GIF")
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some("WebP")
    } else {
        None
    }
}

/// Checks an input's size against a limit.
fn check_size(size: usize, limit: usize) -> Result<(), InputError> {
    if size > limit {
        return Err(InputError::TooLarge { size, limit });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_depth_ignores_brackets_in_strings() {
        let nested = format!("{}{}", "[".repeat(65), "]".repeat(65));
        assert!(matches!(
            check_json_depth(&nested),
            Err(InputError::TooDeep { limit: 64 })
        ));
        let quoted = format!("{{\"a\":\"{}\\\"{}\"}}", "[".repeat(100), "{".repeat(100));
        assert!(check_json_depth(&quoted).is_ok());
        let at_limit = format!("{}{}", "[".repeat(64), "]".repeat(64));
        assert!(check_json_depth(&at_limit).is_ok());
    }

    #[test]
    fn open_badges_2_markers() {
        let by_context = serde_json::json!({"@context": "https://w3id.org/openbadges/v2"});
        let by_type = serde_json::json!({"type": ["Assertion"]});
        let ob3 = serde_json::json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential", "OpenBadgeCredential"]
        });
        assert!(is_open_badges_2(&by_context));
        assert!(is_open_badges_2(&by_type));
        assert!(!is_open_badges_2(&ob3));
        let ob1 = serde_json::json!({"uid": "1", "recipient": {}, "badge": "https://a.example/b",
            "verify": {"type": "hosted", "url": "https://a.example/1"}});
        assert!(is_open_badges_2(&ob1));
    }

    #[test]
    fn url_shape() {
        assert!(is_http_url("https://example.org/a"));
        assert!(is_http_url("HTTP://example.org"));
        assert!(!is_http_url("ftp://example.org"));
        assert!(!is_http_url("https://example.org/a b"));
        assert!(!is_http_url("http"));
    }
}
