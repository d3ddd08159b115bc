//! A hardened reader of PNG chunks, at the byte level.
//!
//! A PNG file is its 8-byte signature then chunks: a 4-byte big-endian
//! length, a 4-byte type, the data, and a CRC-32 over type and data
//! (PNG §5.3, <https://www.w3.org/TR/png-3/#5Chunk-layout>). Baking only
//! adds and removes text chunks, so this reader checks the framing (lengths
//! within the file and below 2^31, types made of letters, CRCs, `IHDR`
//! first, `IEND` last) and never decodes pixels. Bytes after `IEND` are
//! ignored, as decoders do.

use super::{check_image_size, BakeError, PNG_SIGNATURE};

/// The largest chunk length PNG allows (2^31 - 1).
const MAX_CHUNK_LENGTH: u32 = 0x7FFF_FFFF;

/// Length, type and CRC fields around a chunk's data.
const CHUNK_OVERHEAD: usize = 12;

/// One chunk, borrowed from the file.
#[derive(Debug, Clone, Copy)]
pub(super) struct Chunk<'a> {
    /// The chunk type, e.g. `*b"iTXt"`.
    pub kind: [u8; 4],
    /// The chunk data, without length, type and CRC.
    pub data: &'a [u8],
    /// The whole chunk as it stands in the file, CRC included.
    pub raw: &'a [u8],
}

impl Chunk<'_> {
    /// The chunk type as text, for messages.
    pub fn kind_name(&self) -> String {
        String::from_utf8_lossy(&self.kind).into_owned()
    }
}

/// Iterates over the chunks of a PNG file, checking each one; stops after
/// the first error.
pub(super) struct Chunks<'a> {
    png: &'a [u8],
    position: usize,
    finished: bool,
}

/// Starts reading `png`: checks its size and signature.
pub(super) fn chunks(png: &[u8]) -> Result<Chunks<'_>, BakeError> {
    check_image_size(png.len())?;
    if !png.starts_with(&PNG_SIGNATURE) {
        return Err(BakeError::NotPng);
    }
    Ok(Chunks {
        png,
        position: PNG_SIGNATURE.len(),
        finished: false,
    })
}

/// Serialises one chunk: length, type, data and CRC.
pub(super) fn write_chunk(kind: [u8; 4], data: &[u8]) -> Result<Vec<u8>, BakeError> {
    let length = u32::try_from(data.len())
        .ok()
        .filter(|length| *length <= MAX_CHUNK_LENGTH)
        .ok_or(BakeError::CredentialTooLarge {
            limit: super::MAX_CREDENTIAL_BYTES,
        })?;
    let mut chunk = Vec::with_capacity(data.len() + CHUNK_OVERHEAD);
    chunk.extend_from_slice(&length.to_be_bytes());
    chunk.extend_from_slice(&kind);
    chunk.extend_from_slice(data);
    chunk.extend_from_slice(&crc(kind, data).to_be_bytes());
    Ok(chunk)
}

/// The CRC-32 of a chunk's type and data.
fn crc(kind: [u8; 4], data: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&kind);
    hasher.update(data);
    hasher.finalize()
}

/// Reads a big-endian `u32` at `offset`, if the four bytes are there.
fn be_u32(bytes: &[u8], offset: usize) -> Option<u32> {
    let field = bytes.get(offset..offset.checked_add(4)?)?;
    Some(u32::from_be_bytes([field[0], field[1], field[2], field[3]]))
}

impl<'a> Chunks<'a> {
    /// Reads the chunk at the current position.
    fn read_chunk(&mut self) -> Result<Chunk<'a>, BakeError> {
        let offset = self.position;
        let file_length = self.png.len();
        let truncated = || BakeError::Truncated {
            offset: file_length,
        };
        let length = be_u32(self.png, offset).ok_or_else(truncated)?;
        if length > MAX_CHUNK_LENGTH {
            return Err(BakeError::ChunkLength { offset, length });
        }
        let kind_bytes = self.png.get(offset + 4..offset + 8).ok_or_else(truncated)?;
        let kind = [kind_bytes[0], kind_bytes[1], kind_bytes[2], kind_bytes[3]];
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(BakeError::PngStructure(
                "a chunk type is not made of letters",
            ));
        }
        // length <= 2^31 - 1 and offset <= MAX_IMAGE_BYTES: no overflow even
        // on 32-bit targets, and checked all the same.
        let data_end = (offset + 8)
            .checked_add(length as usize)
            .ok_or(BakeError::ChunkLength { offset, length })?;
        let data = self.png.get(offset + 8..data_end).ok_or_else(truncated)?;
        let stored_crc = be_u32(self.png, data_end).ok_or_else(truncated)?;
        let chunk = Chunk {
            kind,
            data,
            raw: &self.png[offset..data_end + 4],
        };
        if stored_crc != crc(kind, data) {
            return Err(BakeError::Crc {
                chunk: chunk.kind_name(),
                offset,
            });
        }
        if offset == PNG_SIGNATURE.len() && &kind != b"IHDR" {
            return Err(BakeError::PngStructure("the first chunk is not IHDR"));
        }
        self.position = data_end + 4;
        Ok(chunk)
    }
}

impl<'a> Iterator for Chunks<'a> {
    type Item = Result<Chunk<'a>, BakeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let result = self.read_chunk();
        // Stop after IEND (trailing bytes are ignored) and after any error.
        self.finished = match &result {
            Ok(chunk) => &chunk.kind == b"IEND",
            Err(_) => true,
        };
        Some(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_png(chunks: &[Vec<u8>]) -> Vec<u8> {
        let mut png = PNG_SIGNATURE.to_vec();
        for chunk in chunks {
            png.extend_from_slice(chunk);
        }
        png
    }

    fn ihdr() -> Vec<u8> {
        let data = [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0];
        write_chunk(*b"IHDR", &data).expect("small chunk")
    }

    fn iend() -> Vec<u8> {
        write_chunk(*b"IEND", &[]).expect("small chunk")
    }

    #[test]
    fn reads_chunks_until_iend_and_ignores_trailing_bytes() {
        let mut png = tiny_png(&[ihdr(), iend()]);
        png.extend_from_slice(b"trailing");
        let kinds: Vec<[u8; 4]> = chunks(&png)
            .expect("signature")
            .map(|chunk| chunk.expect("valid chunk").kind)
            .collect();
        assert_eq!(kinds, vec![*b"IHDR", *b"IEND"]);
    }

    #[test]
    fn missing_iend_is_truncation() {
        let png = tiny_png(&[ihdr()]);
        let last = chunks(&png).expect("signature").last();
        assert!(matches!(last, Some(Err(BakeError::Truncated { .. }))));
    }

    #[test]
    fn oversized_length_is_refused() {
        let mut bad = ihdr();
        bad[0] = 0x80;
        let png = tiny_png(&[bad, iend()]);
        let first = chunks(&png).expect("signature").next();
        assert!(matches!(first, Some(Err(BakeError::ChunkLength { .. }))));
    }

    #[test]
    fn first_chunk_must_be_ihdr() {
        let png = tiny_png(&[iend()]);
        let first = chunks(&png).expect("signature").next();
        assert!(matches!(first, Some(Err(BakeError::PngStructure(_)))));
    }

    #[test]
    fn chunk_type_must_be_letters() {
        let mut bad = ihdr();
        bad[4] = b'1';
        let png = tiny_png(&[bad, iend()]);
        let first = chunks(&png).expect("signature").next();
        assert!(matches!(first, Some(Err(BakeError::PngStructure(_)))));
    }

    #[test]
    fn signature_is_checked() {
        assert!(matches!(chunks(b"GIF89a"), Err(BakeError::NotPng)));
    }
}
