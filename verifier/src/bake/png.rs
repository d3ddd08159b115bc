//! Baking into and unbaking from PNG text chunks.
//!
//! OB 3.0 §5.3.1: one `iTXt` chunk, keyword `openbadgecredential`, not
//! compressed, holding the credential's JSON or compact JWS. Reading is more
//! lenient than writing: the chunk may stand anywhere among the chunks, may
//! be compressed (inflated under [`MAX_CREDENTIAL_BYTES`]), and the Open
//! Badges 2.0 keyword `openbadges` (in `iTXt`, `tEXt` or `zTXt`) is
//! recognised and reported apart.

use std::borrow::Cow;
use std::io::Read;

use flate2::read::ZlibDecoder;

use super::chunks::{chunks, write_chunk, Chunk};
use super::{
    check_credential, check_image_size, BakeError, ImageFormat, Unbaked, MAX_CREDENTIAL_BYTES,
    OB2_PNG_KEYWORD, OB3_PNG_KEYWORD, PNG_SIGNATURE,
};

/// The longest keyword PNG allows, in bytes.
const MAX_KEYWORD_LENGTH: usize = 79;

/// Which badge, if any, a text chunk carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BadgeVersion {
    OpenBadges3,
    OpenBadges2,
}

/// Bakes `credential` (JSON or compact JWS) into a PNG image: one
/// uncompressed `iTXt` chunk with the keyword `openbadgecredential`, placed
/// before the first `IDAT` chunk. Any credential already baked (OB 3.0 or
/// OB 2.0) is removed first, so baking a baked image replaces its credential.
///
/// The whole image is checked (framing and CRCs) before anything is written.
pub fn bake_png(image: &[u8], credential: &str) -> Result<Vec<u8>, BakeError> {
    let credential = check_credential(credential)?;
    if credential.contains('\0') {
        return Err(BakeError::NulInCredential);
    }
    let new_chunk = write_chunk(*b"iTXt", &itxt_data(credential))?;
    let mut baked = Vec::with_capacity(image.len() + new_chunk.len());
    baked.extend_from_slice(&PNG_SIGNATURE);
    let mut inserted = false;
    for chunk in chunks(image)? {
        let chunk = chunk?;
        if badge_version(&chunk).is_some() {
            continue;
        }
        if &chunk.kind == b"IDAT" && !inserted {
            baked.extend_from_slice(&new_chunk);
            inserted = true;
        }
        baked.extend_from_slice(chunk.raw);
    }
    if !inserted {
        return Err(BakeError::PngStructure("the image has no IDAT chunk"));
    }
    check_image_size(baked.len())?;
    Ok(baked)
}

/// Reads the credential baked in a PNG image, if any.
///
/// Every chunk is checked (framing and CRC). An Open Badges 3.0 credential
/// is preferred to an Open Badges 2.0 assertion when both are present; two
/// OB 3.0 chunks are an error, since which one the issuer meant is unknown.
pub fn unbake_png(bytes: &[u8]) -> Result<Option<Unbaked>, BakeError> {
    let mut credential: Option<Chunk<'_>> = None;
    let mut assertion: Option<Chunk<'_>> = None;
    for chunk in chunks(bytes)? {
        let chunk = chunk?;
        match badge_version(&chunk) {
            Some(BadgeVersion::OpenBadges3) if credential.is_some() => {
                return Err(BakeError::MultipleCredentials(ImageFormat::Png));
            }
            Some(BadgeVersion::OpenBadges3) => credential = Some(chunk),
            Some(BadgeVersion::OpenBadges2) if assertion.is_none() => assertion = Some(chunk),
            _ => {}
        }
    }
    if let Some(chunk) = credential {
        return Ok(Some(Unbaked::OpenBadges3(chunk_text(&chunk)?)));
    }
    assertion
        .map(|chunk| chunk_text(&chunk).map(Unbaked::OpenBadges2))
        .transpose()
}

/// The data of an uncompressed `iTXt` chunk: keyword, compression flag and
/// method (0), empty language tag and translated keyword, then the text.
fn itxt_data(text: &str) -> Vec<u8> {
    let mut data = Vec::with_capacity(OB3_PNG_KEYWORD.len() + 5 + text.len());
    data.extend_from_slice(OB3_PNG_KEYWORD.as_bytes());
    data.extend_from_slice(&[0, 0, 0, 0, 0]);
    data.extend_from_slice(text.as_bytes());
    data
}

/// Which badge a chunk carries: a text chunk with one of the badge keywords.
fn badge_version(chunk: &Chunk<'_>) -> Option<BadgeVersion> {
    if !matches!(&chunk.kind, b"iTXt" | b"tEXt" | b"zTXt") {
        return None;
    }
    let (keyword, _) = split_keyword(chunk.data)?;
    if keyword == OB3_PNG_KEYWORD.as_bytes() {
        Some(BadgeVersion::OpenBadges3)
    } else if keyword == OB2_PNG_KEYWORD.as_bytes() {
        Some(BadgeVersion::OpenBadges2)
    } else {
        None
    }
}

/// Splits a text chunk's data into its keyword and the rest, after the NUL
/// separator; `None` when no keyword of a valid length ends in a NUL.
fn split_keyword(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let end = data
        .iter()
        .take(MAX_KEYWORD_LENGTH + 1)
        .position(|byte| *byte == 0)?;
    (end > 0).then(|| (&data[..end], &data[end + 1..]))
}

/// The text of a badge chunk, whatever its type.
fn chunk_text(chunk: &Chunk<'_>) -> Result<String, BakeError> {
    // badge_version() found the keyword and its NUL: the split succeeds.
    let rest = split_keyword(chunk.data).map_or(&[][..], |(_, rest)| rest);
    let text = match &chunk.kind {
        b"iTXt" => itxt_text(rest)?,
        b"zTXt" => {
            let chunk_kind = "zTXt";
            match rest.split_first() {
                Some((0, compressed)) => latin1(&inflate(compressed)?),
                Some(_) => return Err(text_error(chunk_kind, "unknown compression method")),
                None => return Err(text_error(chunk_kind, "missing compression method")),
            }
        }
        _ => {
            check_length(rest.len())?;
            latin1(rest)
        }
    };
    let text = text.trim();
    if text.is_empty() {
        return Err(BakeError::EmptyCredential);
    }
    Ok(text.to_owned())
}

/// The text of an `iTXt` chunk after its keyword: compression flag and
/// method, language tag, translated keyword, then UTF-8 text.
fn itxt_text(rest: &[u8]) -> Result<String, BakeError> {
    let [flag, method, rest @ ..] = rest else {
        return Err(text_error("iTXt", "missing compression flag"));
    };
    let (_language, rest) =
        split_nul(rest).ok_or_else(|| text_error("iTXt", "unterminated language tag"))?;
    let (_translated_keyword, text) =
        split_nul(rest).ok_or_else(|| text_error("iTXt", "unterminated translated keyword"))?;
    let text = match (flag, method) {
        (0, _) => {
            check_length(text.len())?;
            Cow::Borrowed(text)
        }
        (1, 0) => Cow::Owned(inflate(text)?),
        (1, _) => return Err(text_error("iTXt", "unknown compression method")),
        _ => return Err(text_error("iTXt", "invalid compression flag")),
    };
    String::from_utf8(text.into_owned()).map_err(|_| BakeError::InvalidUtf8(ImageFormat::Png))
}

/// Splits at the first NUL byte.
fn split_nul(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let end = bytes.iter().position(|byte| *byte == 0)?;
    Some((&bytes[..end], &bytes[end + 1..]))
}

/// Inflates zlib data, reading at most one byte past the credential limit:
/// a small chunk inflating to gigabytes (a decompression bomb) stops there.
fn inflate(compressed: &[u8]) -> Result<Vec<u8>, BakeError> {
    let mut inflated = Vec::new();
    ZlibDecoder::new(compressed)
        .take(MAX_CREDENTIAL_BYTES as u64 + 1)
        .read_to_end(&mut inflated)
        .map_err(BakeError::Inflate)?;
    check_length(inflated.len())?;
    Ok(inflated)
}

/// Checks a credential's length against [`MAX_CREDENTIAL_BYTES`].
fn check_length(length: usize) -> Result<(), BakeError> {
    if length > MAX_CREDENTIAL_BYTES {
        return Err(BakeError::CredentialTooLarge {
            limit: MAX_CREDENTIAL_BYTES,
        });
    }
    Ok(())
}

/// Decodes ISO 8859-1 text (`tEXt`, `zTXt`): each byte is its code point.
fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| char::from(*byte)).collect()
}

/// A malformed badge text chunk.
fn text_error(chunk: &'static str, reason: &'static str) -> BakeError {
    BakeError::TextChunk { chunk, reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_split() {
        assert_eq!(
            split_keyword(b"openbadges\0text"),
            Some((&b"openbadges"[..], &b"text"[..]))
        );
        assert_eq!(split_keyword(b"\0text"), None);
        assert_eq!(split_keyword(b"no separator"), None);
        let long = [b'k'; 80];
        assert_eq!(split_keyword(&long), None);
    }

    #[test]
    fn itxt_fields() {
        let data = itxt_data("{}");
        let (keyword, rest) = split_keyword(&data).expect("keyword");
        assert_eq!(keyword, OB3_PNG_KEYWORD.as_bytes());
        assert_eq!(itxt_text(rest).expect("text"), "{}");
        assert!(matches!(
            itxt_text(&[2, 0, 0, 0]),
            Err(BakeError::TextChunk { .. })
        ));
        assert!(matches!(
            itxt_text(&[0, 0, b'f', b'r']),
            Err(BakeError::TextChunk { .. })
        ));
        assert!(matches!(
            itxt_text(&[0, 0, 0, 0, 0xFF]),
            Err(BakeError::InvalidUtf8(ImageFormat::Png))
        ));
    }

    #[test]
    fn latin1_maps_bytes_to_code_points() {
        assert_eq!(latin1(b"caf\xe9"), "café");
    }
}
