//! Baking and unbaking: a credential carried inside its badge image.
//!
//! Open Badges 3.0 §5.3 ["Baking"](https://www.imsglobal.org/spec/ob/v3p0/#baking)
//! puts the credential (its JSON, or the compact JWS of a VC-JWT) in a PNG
//! `iTXt` chunk with the keyword `openbadgecredential`, or in an SVG
//! `<openbadges:credential>` element. Open Badges 2.0 images (`openbadges`
//! chunk, `<openbadges:assertion>` element) are read too, and reported apart
//! as [`Unbaked::OpenBadges2`] so that the report can say what they are.
//!
//! Images come from anyone: the PNG chunk parser is written here, small and
//! bounded (sizes, CRCs, a decompression limit), the SVG reader refuses any
//! DTD so that no entity is ever expanded, and nothing decodes pixels.
//!
//! This module depends on no other part of the verifier, so that baking
//! exists once and can be shared.

mod chunks;
mod png;
mod svg;
mod xml;

pub use png::{bake_png, unbake_png};
pub use svg::{bake_svg, unbake_svg};

/// The 8 bytes every PNG file starts with.
pub const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// The largest image accepted for baking or unbaking, in bytes (10 MiB).
pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;

/// The largest credential read from or written to an image, in bytes
/// (1 MiB), after decompression: a credential is a few kilobytes, and this
/// bounds what a compressed chunk may inflate to.
pub const MAX_CREDENTIAL_BYTES: usize = 1024 * 1024;

/// The deepest element nesting accepted in an SVG document.
pub const MAX_XML_DEPTH: usize = 128;

/// The PNG `iTXt` keyword of an Open Badges 3.0 credential.
pub const OB3_PNG_KEYWORD: &str = "openbadgecredential";

/// The PNG `iTXt` (or legacy `tEXt`) keyword of an Open Badges 2.0 assertion.
pub const OB2_PNG_KEYWORD: &str = "openbadges";

/// The XML namespace of the SVG `<openbadges:credential>` element (OB 3.0).
pub const OB3_SVG_NAMESPACE: &str = "https://purl.imsglobal.org/ob/v3p0";

/// The XML namespace of the SVG `<openbadges:assertion>` element (OB 2.0).
pub const OB2_SVG_NAMESPACE: &str = "http://openbadges.org";

/// An image format that carries a baked credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImageFormat {
    /// A PNG image (`iTXt` chunk).
    Png,
    /// An SVG image (`<openbadges:credential>` element).
    Svg,
}

impl std::fmt::Display for ImageFormat {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(match self {
            Self::Png => "PNG",
            Self::Svg => "SVG",
        })
    }
}

/// What an image carries, as text, not yet parsed nor verified.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unbaked {
    /// An Open Badges 3.0 credential: its JSON or a compact JWS (VC-JWT).
    OpenBadges3(String),
    /// An Open Badges 2.0 assertion: a URL, its JSON or a compact JWS.
    OpenBadges2(String),
}

impl Unbaked {
    /// The carried text, whatever its version.
    pub fn text(&self) -> &str {
        match self {
            Self::OpenBadges3(text) | Self::OpenBadges2(text) => text,
        }
    }
}

/// Why an image could not be baked or unbaked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BakeError {
    /// The image is larger than [`MAX_IMAGE_BYTES`].
    #[error("the image is {size} bytes long, more than the {limit} bytes accepted")]
    ImageTooLarge {
        /// The image's size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The credential is larger than [`MAX_CREDENTIAL_BYTES`] (once inflated).
    #[error("the baked credential is larger than the {limit} bytes accepted")]
    CredentialTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The credential to bake is empty, or the baked one is.
    #[error("the credential is empty")]
    EmptyCredential,
    /// The credential to bake contains a NUL character, which PNG text forbids.
    #[error("the credential contains a NUL character")]
    NulInCredential,
    /// The file does not start with the PNG signature.
    #[error("not a PNG image: the PNG signature is missing")]
    NotPng,
    /// The PNG file ends inside a chunk, or before its `IEND` chunk.
    #[error("the PNG image is truncated at byte {offset}")]
    Truncated {
        /// Where the missing bytes should have started.
        offset: usize,
    },
    /// A chunk declares a length above the PNG maximum (2^31 - 1).
    #[error("the PNG chunk at byte {offset} declares an invalid length of {length} bytes")]
    ChunkLength {
        /// The chunk's offset in the file.
        offset: usize,
        /// The declared length.
        length: u32,
    },
    /// A chunk's CRC does not match its content: the file is corrupt.
    #[error("the PNG chunk {chunk} at byte {offset} is corrupt (CRC mismatch)")]
    Crc {
        /// The chunk type, e.g. `iTXt`.
        chunk: String,
        /// The chunk's offset in the file.
        offset: usize,
    },
    /// The first chunk is not `IHDR`, or an image has no `IDAT` to bake before.
    #[error("the PNG image is malformed: {0}")]
    PngStructure(&'static str),
    /// A text chunk with a badge keyword is malformed.
    #[error("the PNG {chunk} chunk holding the badge is malformed: {reason}")]
    TextChunk {
        /// The chunk type, e.g. `iTXt`.
        chunk: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// A compressed text chunk could not be inflated.
    #[error("the compressed PNG text chunk could not be inflated: {0}")]
    Inflate(#[source] std::io::Error),
    /// The image carries more than one Open Badges 3.0 credential.
    #[error("the {0} image carries more than one Open Badges credential")]
    MultipleCredentials(ImageFormat),
    /// The baked text, or the SVG file, is not valid UTF-8.
    #[error("the {0} image holds text that is not valid UTF-8")]
    InvalidUtf8(ImageFormat),
    /// The SVG document's type declaration has an internal subset
    /// (`<!DOCTYPE svg [...]>`) or comes after the root element: refused. A
    /// declaration with an external identifier alone is accepted (never
    /// fetched).
    #[error(
        "the SVG document declares an internal DTD subset (<!DOCTYPE ... [...]>), which is refused"
    )]
    DoctypeForbidden,
    /// The SVG document declares entities (`<!ENTITY`), refused outright: an
    /// entity expansion attack ("billion laughs") starts this way.
    #[error("the SVG document declares XML entities (<!ENTITY ...>), which are refused")]
    EntityForbidden,
    /// The SVG document nests elements deeper than [`MAX_XML_DEPTH`].
    #[error("the SVG document nests elements deeper than {limit} levels")]
    TooDeep {
        /// The depth limit.
        limit: usize,
    },
    /// The document is well-formed XML but its root element is not `<svg>`.
    #[error("not an SVG image: the root element is not <svg>")]
    NotSvg,
    /// The SVG document is not well-formed XML.
    #[error("the SVG document is not well-formed XML at byte {offset}: {message}")]
    Xml {
        /// Where the reader stopped.
        offset: u64,
        /// The XML reader's message.
        message: String,
    },
}

/// Whether `text` (trimmed) has the shape of a compact JWS: three base64url
/// segments separated by dots, the header and payload not empty. The
/// signature may be empty (`alg: none`): the verifier refuses it later, with
/// a clearer reason than "unknown format".
pub fn is_compact_jws(text: &str) -> bool {
    let mut segments = text.trim().split('.');
    let (Some(header), Some(payload), Some(signature), None) = (
        segments.next(),
        segments.next(),
        segments.next(),
        segments.next(),
    ) else {
        return false;
    };
    let base64url = |segment: &str| {
        segment
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
    };
    !header.is_empty()
        && !payload.is_empty()
        && base64url(header)
        && base64url(payload)
        && base64url(signature)
}

/// Checks a credential before baking it: neither empty nor too large.
fn check_credential(credential: &str) -> Result<&str, BakeError> {
    let credential = credential.trim();
    if credential.is_empty() {
        return Err(BakeError::EmptyCredential);
    }
    if credential.len() > MAX_CREDENTIAL_BYTES {
        return Err(BakeError::CredentialTooLarge {
            limit: MAX_CREDENTIAL_BYTES,
        });
    }
    Ok(credential)
}

/// Checks an image's size against [`MAX_IMAGE_BYTES`].
fn check_image_size(size: usize) -> Result<(), BakeError> {
    if size > MAX_IMAGE_BYTES {
        return Err(BakeError::ImageTooLarge {
            size,
            limit: MAX_IMAGE_BYTES,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_jws_shape() {
        assert!(is_compact_jws("eyJh.eyJi.c2ln"));
        assert!(is_compact_jws(" eyJh.eyJi.c2ln\n"));
        assert!(is_compact_jws("eyJh.eyJi."));
        assert!(!is_compact_jws("eyJh.eyJi"));
        assert!(!is_compact_jws("eyJh.eyJi.c2ln.more"));
        assert!(!is_compact_jws(".eyJi.c2ln"));
        assert!(!is_compact_jws("eyJh.ey Ji.c2ln"));
        assert!(!is_compact_jws("eyJh.eyJi.c2l="));
        assert!(!is_compact_jws("{\"a\":\"b.c.d\"}"));
    }

    #[test]
    fn credential_checks() {
        assert!(matches!(
            check_credential("  \n"),
            Err(BakeError::EmptyCredential)
        ));
        let large = "a".repeat(MAX_CREDENTIAL_BYTES + 1);
        assert!(matches!(
            check_credential(&large),
            Err(BakeError::CredentialTooLarge { .. })
        ));
        assert_eq!(check_credential(" {} ").ok(), Some("{}"));
    }
}
