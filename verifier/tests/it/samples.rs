//! Test material for the baking and input tests, generated here: images
//! drawn with the image crate, the sample credential (`sample_credential`,
//! shared with the benches), a JWS-shaped
//! token, and a small independent PNG chunk writer/reader to build and
//! inspect files the way hostile or foreign tools would.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use image::codecs::png::PngEncoder;
use image::{ImageEncoder, RgbaImage};

pub use crate::sample_credential::JSON_CREDENTIAL;

/// An Open Badges 2.0 hosted assertion URL.
pub const OB2_URL: &str = "https://badges.example.org/assertions/42";

/// A compact JWS shaped like a VC-JWT whose payload is [`JSON_CREDENTIAL`]
/// (the signature is filler: nothing here verifies it).
pub fn jws() -> String {
    jws_with_payload(JSON_CREDENTIAL)
}

/// A compact JWS shaped token with the given payload.
pub fn jws_with_payload(payload: &str) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"EdDSA","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(payload.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode([7_u8; 64]);
    format!("{header}.{payload}.{signature}")
}

/// A patterned RGBA image, so that pixel comparisons mean something.
pub fn pattern(width: u32, height: u32) -> RgbaImage {
    RgbaImage::from_fn(width, height, |x, y| {
        image::Rgba([(x * 7) as u8, (y * 13) as u8, ((x + y) * 3) as u8, 255])
    })
}

/// A PNG image encoded by the image crate.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    encode_png(&pattern(width, height))
}

/// Encodes pixels as PNG with the image crate.
pub fn encode_png(pixels: &RgbaImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    PngEncoder::new(&mut bytes)
        .write_image(
            pixels.as_raw(),
            pixels.width(),
            pixels.height(),
            image::ExtendedColorType::Rgba8,
        )
        .expect("encoding a small image");
    bytes
}

/// Decodes a PNG with the image crate.
pub fn decode_png(bytes: &[u8]) -> RgbaImage {
    image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
        .expect("a decodable PNG")
        .to_rgba8()
}

/// A hand-drawn SVG badge, with a comment, entities and nested groups.
pub const SVG: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<!-- Badge drawn by hand for the tests -->
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">
  <title>Badge &amp; test</title>
  <g fill="#2a6">
    <circle cx="50" cy="50" r="40"/>
    <text x="50" y="55">OB &#x2713;</text>
  </g>
</svg>
"##;

/// One serialised PNG chunk with a correct CRC.
pub fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(kind);
    hasher.update(data);
    chunk.extend_from_slice(&hasher.finalize().to_be_bytes());
    chunk
}

/// The chunks of a well-formed PNG: type and data, in order.
pub fn chunks(png: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
    let mut chunks = Vec::new();
    let mut position = 8;
    while position + 12 <= png.len() {
        let length = u32::from_be_bytes(png[position..position + 4].try_into().expect("4 bytes"));
        let kind: [u8; 4] = png[position + 4..position + 8].try_into().expect("4 bytes");
        let end = position + 8 + length as usize;
        chunks.push((kind, png[position + 8..end].to_vec()));
        position = end + 4;
    }
    chunks
}

/// Rebuilds a PNG from chunks, computing every CRC.
pub fn assemble(chunks: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    for (kind, data) in chunks {
        png.extend_from_slice(&chunk(kind, data));
    }
    png
}

/// Inserts a chunk into a PNG before the first chunk of type `before`.
pub fn insert_before(png: &[u8], before: &[u8; 4], kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut list = chunks(png);
    let index = list
        .iter()
        .position(|(existing, _)| existing == before)
        .expect("the chunk type is present");
    list.insert(index, (*kind, data.to_vec()));
    assemble(&list)
}

/// The data of an `iTXt` chunk, compressed or not.
pub fn itxt(keyword: &str, text: &[u8], compressed: bool) -> Vec<u8> {
    let mut data = keyword.as_bytes().to_vec();
    data.extend_from_slice(&[0, u8::from(compressed), 0]);
    data.extend_from_slice(b"en\0Badge\0");
    data.extend_from_slice(text);
    data
}

/// The data of a `tEXt` chunk.
pub fn text_chunk(keyword: &str, text: &str) -> Vec<u8> {
    let mut data = keyword.as_bytes().to_vec();
    data.push(0);
    data.extend_from_slice(text.as_bytes());
    data
}

/// zlib-compresses bytes.
pub fn zlib(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

/// The text chunks of a PNG whose keyword is `keyword`.
pub fn text_chunks_with_keyword(png: &[u8], keyword: &str) -> Vec<([u8; 4], Vec<u8>)> {
    chunks(png)
        .into_iter()
        .filter(|(kind, data)| {
            matches!(kind, b"iTXt" | b"tEXt" | b"zTXt")
                && data.starts_with(keyword.as_bytes())
                && data.get(keyword.len()) == Some(&0)
        })
        .collect()
}

/// A zlib stream inflating to `1 + 258 * copies` zero bytes, at the highest
/// ratio deflate allows (13 bits per 258 bytes): one fixed-Huffman block
/// holding a literal 0 then `copies` back-references of length 258 at
/// distance 1 (RFC 1951 §3.2.6). Written by hand: compressing gigabytes
/// here would take longer than the test.
pub fn zlib_bomb(copies: usize) -> Vec<u8> {
    struct Bits {
        bytes: Vec<u8>,
        used: u32,
    }
    impl Bits {
        /// Appends a Huffman code, most significant bit first.
        fn code(&mut self, value: u32, length: u32) {
            for shift in (0..length).rev() {
                let bit_in_byte = self.used & 7;
                if bit_in_byte == 0 {
                    self.bytes.push(0);
                }
                let bit = ((value >> shift) & 1) as u8;
                let last = self.bytes.len() - 1;
                self.bytes[last] |= bit << bit_in_byte;
                self.used += 1;
            }
        }
    }
    let mut bits = Bits {
        bytes: vec![0x78, 0x01],
        used: 0,
    };
    // BFINAL = 1 then BTYPE = 01, header bits are written LSB first.
    bits.code(1, 1);
    bits.code(1, 1);
    bits.code(0, 1);
    bits.code(0b0011_0000, 8); // literal 0
    for _ in 0..copies {
        bits.code(0b1100_0101, 8); // length code 285: 258 bytes
        bits.code(0, 5); // distance code 0: distance 1
    }
    bits.code(0, 7); // end of block
    let length = 1 + 258 * copies as u64;
    let adler = ((length % 65_521) << 16) | 1;
    let mut stream = bits.bytes;
    stream.extend_from_slice(&(adler as u32).to_be_bytes());
    stream
}
