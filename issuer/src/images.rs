//! Badge images: what an upload may be, and how it is stored.
//!
//! An upload is recognised by its content, never by its declared type or
//! name. PNG and JPEG are decoded under limits (at most
//! [`MAX_DIMENSION`] pixels a side and a bounded allocation, so that a small
//! file claiming a huge size cannot exhaust memory) and re-encoded as a
//! [`SIZE`]×[`SIZE`] PNG: the picture fits inside, keeps its ratio and is
//! centred on a transparent background. Re-encoding also drops every
//! metadata chunk (EXIF, GPS position, comments).
//!
//! An SVG is stored byte for byte once it is shown to be inert: no DOCTYPE
//! (hence no entity), no script, no `foreignObject`, no event attribute, and
//! no reference outside the document except embedded PNG or JPEG data. It is
//! served with a restrictive `Content-Security-Policy` as a second line of
//! defence (`crate::routes::images`).
//!
//! Images are rows of the `images` table (base64 text, portable across both
//! backends); the published URL is `<base>/images/<id>.png`, whatever the
//! stored type.

use std::io::Cursor;

use base64::Engine as _;
use diesel::prelude::*;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder as _, ImageFormat, ImageReader, Limits, RgbaImage};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::db::schema::images;
use crate::db::{DbConnection, DbError};
use crate::ids::OrgId;
use crate::time::{new_id, now};

/// Largest upload accepted, in bytes (20 MiB: a phone photo).
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
/// Largest width or height of a PNG or JPEG upload, in pixels.
pub const MAX_DIMENSION: u32 = 4096;
/// Most memory one decode may allocate: one 8-bit RGBA image of
/// [`MAX_DIMENSION`]² (64 MiB). A 16-bit picture that large (128 MiB from a
/// 130 KB file) is refused; a 16-bit one of 2896² fits.
pub const MAX_ALLOC: u64 = 4 * (MAX_DIMENSION as u64) * (MAX_DIMENSION as u64);

/// How many uploads are decoded at once; the others wait their turn, so
/// memory stays under `MAX_CONCURRENT_DECODES` x [`MAX_ALLOC`] plus the small
/// resized copies, whatever the number of uploads in flight.
pub const MAX_CONCURRENT_DECODES: usize = 2;
/// Side of the stored square PNG, in pixels.
pub const SIZE: u32 = 512;

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
const JPEG_SIGNATURE: &[u8] = b"\xff\xd8\xff";
const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// The type of a stored image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageType {
    /// `image/png`: every raster upload, normalised.
    Png,
    /// `image/svg+xml`: a checked SVG, as uploaded.
    Svg,
}

impl ImageType {
    /// The media type stored and served.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Svg => "image/svg+xml",
        }
    }

    /// The type of a stored media type, if it is one of ours.
    pub fn parse(media_type: &str) -> Option<Self> {
        match media_type {
            "image/png" => Some(Self::Png),
            "image/svg+xml" => Some(Self::Svg),
            _ => None,
        }
    }
}

/// An image ready to store or serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredImage {
    /// What the bytes are.
    pub content_type: ImageType,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Why an upload was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImageError {
    /// The file is larger than [`MAX_BYTES`].
    #[error("the image is larger than {MAX_BYTES} bytes")]
    TooLarge,
    /// The picture is wider or taller than [`MAX_DIMENSION`] pixels, or
    /// decoding it would need more than [`MAX_ALLOC`] bytes.
    #[error("the image is larger than {MAX_DIMENSION}×{MAX_DIMENSION} pixels")]
    TooManyPixels,
    /// The content is neither PNG, JPEG nor SVG.
    #[error("the image must be PNG, JPEG or SVG")]
    UnsupportedFormat,
    /// The content looks like PNG, JPEG or SVG but cannot be read.
    #[error("the image cannot be read: {0}")]
    Undecodable(String),
    /// The SVG could run code or fetch something; the reason says what.
    #[error("the SVG image is refused: {0}")]
    UnsafeSvg(String),
    /// The normalised PNG could not be encoded (a bug, not the upload's fault).
    #[error("the image could not be encoded: {0}")]
    Encode(String),
}

/// Why a stored image could not be read back.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoredImageError {
    /// No image has this id.
    #[error("image not found")]
    NotFound,
    /// The stored content type is not one this service stores (a broken row).
    #[error("image {id}: stored type {stored}")]
    UnknownType {
        /// The image's id.
        id: String,
        /// The stored content type.
        stored: String,
    },
    /// The stored data is not base64 (a broken row).
    #[error("image {id}: stored data: {source}")]
    Corrupt {
        /// The image's id.
        id: String,
        /// What the decoder said.
        source: base64::DecodeError,
    },
    /// The database failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for StoredImageError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Database(e.into())
    }
}

/// Checks an upload and turns it into what is stored: a [`SIZE`]² PNG for
/// PNG and JPEG, the same bytes for a safe SVG.
pub fn normalise(bytes: &[u8]) -> Result<StoredImage, ImageError> {
    if bytes.len() > MAX_BYTES {
        return Err(ImageError::TooLarge);
    }
    if bytes.starts_with(PNG_SIGNATURE) {
        return raster(bytes, ImageFormat::Png);
    }
    if bytes.starts_with(JPEG_SIGNATURE) {
        return raster(bytes, ImageFormat::Jpeg);
    }
    let text = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if text.trim_ascii_start().starts_with(b"<") {
        let text = std::str::from_utf8(text).map_err(|_| ImageError::UnsupportedFormat)?;
        check_svg(text)?;
        return Ok(StoredImage {
            content_type: ImageType::Svg,
            bytes: bytes.to_vec(),
        });
    }
    Err(ImageError::UnsupportedFormat)
}

fn decode_error(e: image::ImageError) -> ImageError {
    match e {
        image::ImageError::Limits(_) => ImageError::TooManyPixels,
        other => ImageError::Undecodable(other.to_string()),
    }
}

/// Decodes under [`MAX_DIMENSION`] and [`MAX_ALLOC`], applies the EXIF
/// orientation and fits the picture in a transparent [`SIZE`]² square.
fn raster(bytes: &[u8], format: ImageFormat) -> Result<StoredImage, ImageError> {
    let _turn = DECODES.wait_turn();
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits.clone());
    // `into_decoder` checks the dimensions from the header, before any pixel
    // is decoded; the output buffer is then reserved against the budget.
    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    limits
        .reserve(decoder.total_bytes())
        .map_err(decode_error)?;
    let orientation = decoder.orientation().map_err(decode_error)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    picture.apply_orientation(orientation);
    // A large picture is first boxed down to twice the stored size: the
    // filtered resize then works on a small copy, not on floating-point
    // buffers the size of the upload.
    if picture.width().max(picture.height()) > 2 * SIZE {
        picture = picture.thumbnail(2 * SIZE, 2 * SIZE);
    }
    let fitted = picture
        .resize(SIZE, SIZE, FilterType::CatmullRom)
        .to_rgba8();
    let mut square = RgbaImage::new(SIZE, SIZE);
    let x = (SIZE - fitted.width()) / 2;
    let y = (SIZE - fitted.height()) / 2;
    image::imageops::replace(&mut square, &fitted, i64::from(x), i64::from(y));
    let mut png = Vec::new();
    square
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|e| ImageError::Encode(e.to_string()))?;
    Ok(StoredImage {
        content_type: ImageType::Png,
        bytes: png,
    })
}

/// A counting semaphore: at most [`MAX_CONCURRENT_DECODES`] raster decodes at
/// once, the others wait (on the database pool's thread that runs them).
struct Turns {
    running: std::sync::Mutex<usize>,
    freed: std::sync::Condvar,
}

static DECODES: Turns = Turns {
    running: std::sync::Mutex::new(0),
    freed: std::sync::Condvar::new(),
};

/// A turn, given back when dropped.
struct Turn(&'static Turns);

impl Turns {
    fn wait_turn(&'static self) -> Turn {
        // A poisoned lock only means a decode panicked; the count is still right.
        let mut running = self
            .running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while *running >= MAX_CONCURRENT_DECODES {
            running = self
                .freed
                .wait(running)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        *running += 1;
        Turn(self)
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        let mut running = self
            .0
            .running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *running -= 1;
        self.0.freed.notify_one();
    }
}

/// Elements that run code or embed another document.
const FORBIDDEN_ELEMENTS: [&str; 7] = [
    "script",
    "foreignobject",
    "handler",
    "iframe",
    "embed",
    "object",
    "listener",
];

/// CSS that loads something without `url(...)`.
const FORBIDDEN_CSS: [&str; 3] = ["@import", "image-set(", "src("];

/// Refuses an SVG that could run code or load anything from outside itself.
fn check_svg(text: &str) -> Result<(), ImageError> {
    let unsafe_svg = |reason: &str| ImageError::UnsafeSvg(reason.to_owned());
    let malformed = |e: &dyn std::fmt::Display| ImageError::Undecodable(format!("XML: {e}"));
    // Belt and braces: the parser reports a DOCTYPE, but an entity
    // declaration must never reach any later XML reader either.
    if contains_ignore_case(text, "<!entity") {
        return Err(unsafe_svg("entity declarations are not allowed"));
    }
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut depth: usize = 0;
    let mut root_seen = false;
    let mut in_style = false;
    loop {
        let event = reader.read_event().map_err(|e| malformed(&e))?;
        match event {
            Event::DocType(_) => return Err(unsafe_svg("a DOCTYPE is not allowed")),
            Event::PI(_) => return Err(unsafe_svg("processing instructions are not allowed")),
            Event::Start(ref element) | Event::Empty(ref element) => {
                if depth == 0 {
                    if root_seen || !local_is(element, "svg") {
                        return Err(ImageError::UnsupportedFormat);
                    }
                    root_seen = true;
                }
                check_element(element)?;
                if matches!(event, Event::Start(_)) {
                    depth += 1;
                    in_style = local_is(element, "style");
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                in_style = false;
            }
            Event::Text(content) => {
                let content = content.unescape().map_err(|e| malformed(&e))?;
                if in_style {
                    check_style_sheet(&content)?;
                }
            }
            Event::CData(content) => {
                if in_style {
                    check_style_sheet(&String::from_utf8_lossy(&content))?;
                }
            }
            Event::Comment(_) | Event::Decl(_) => {}
            Event::Eof => break,
        }
    }
    if !root_seen {
        return Err(ImageError::UnsupportedFormat);
    }
    if depth != 0 {
        return Err(malformed(&"unclosed element"));
    }
    Ok(())
}

fn local_is(element: &BytesStart<'_>, name: &str) -> bool {
    element
        .local_name()
        .as_ref()
        .eq_ignore_ascii_case(name.as_bytes())
}

fn check_element(element: &BytesStart<'_>) -> Result<(), ImageError> {
    let name = String::from_utf8_lossy(element.local_name().as_ref()).to_ascii_lowercase();
    if FORBIDDEN_ELEMENTS.contains(&name.as_str()) {
        return Err(ImageError::UnsafeSvg(format!("<{name}> is not allowed")));
    }
    let animates = matches!(name.as_str(), "set" | "animate");
    for attribute in element.attributes().with_checks(true) {
        let attribute = attribute.map_err(|e| ImageError::Undecodable(format!("XML: {e}")))?;
        let key = String::from_utf8_lossy(attribute.key.local_name().as_ref()).to_ascii_lowercase();
        let prefixed = attribute.key.prefix().is_some();
        let value = attribute
            .unescape_value()
            .map_err(|e| ImageError::Undecodable(format!("XML: {e}")))?;
        if key.starts_with("on") {
            return Err(ImageError::UnsafeSvg(format!(
                "event attribute {key} is not allowed"
            )));
        }
        if key == "href" {
            check_reference(&value)?;
        }
        if animates && key == "attributename" && value.trim().to_ascii_lowercase().ends_with("href")
        {
            return Err(ImageError::UnsafeSvg(
                "animating a link is not allowed".into(),
            ));
        }
        // Unprefixed attributes may be read as CSS (style, presentation
        // attributes); prefixed ones (inkscape:, sodipodi:) are never rendered.
        if !prefixed && value.contains('\\') {
            return Err(ImageError::UnsafeSvg(format!(
                "escapes in attribute {key} are not allowed"
            )));
        }
        check_css(&value)?;
    }
    Ok(())
}

/// A reference is allowed inside the document (`#id`) or to embedded PNG
/// or JPEG data; anything else would be fetched.
fn check_reference(value: &str) -> Result<(), ImageError> {
    // Browsers strip whitespace inside URLs (`java\tscript:`).
    let target = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let allowed = target.starts_with('#')
        || target.starts_with("data:image/png")
        || target.starts_with("data:image/jpeg");
    if allowed {
        Ok(())
    } else {
        Err(ImageError::UnsafeSvg(
            "external references are not allowed (only #id and embedded PNG or JPEG data)".into(),
        ))
    }
}

/// A `<style>` element's content: CSS escapes could spell `url(` in a way
/// [`check_css`] does not see, so none is allowed.
fn check_style_sheet(css: &str) -> Result<(), ImageError> {
    if css.contains('\\') {
        return Err(ImageError::UnsafeSvg(
            "escapes in style sheets are not allowed".into(),
        ));
    }
    check_css(css)
}

/// Checks every `url(...)` of a CSS value or style sheet, and refuses the
/// other ways CSS has to load something.
fn check_css(css: &str) -> Result<(), ImageError> {
    let lower = css.to_ascii_lowercase();
    if let Some(found) = FORBIDDEN_CSS.iter().find(|f| lower.contains(**f)) {
        return Err(ImageError::UnsafeSvg(format!("CSS {found} is not allowed")));
    }
    let mut rest = lower.as_str();
    while let Some(start) = rest.find("url(") {
        let after = &rest[start + 4..];
        let end = after.find(')').unwrap_or(after.len());
        let target = after[..end].trim().trim_matches(|c| c == '"' || c == '\'');
        check_reference(target)?;
        rest = &after[end..];
    }
    Ok(())
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The public URL of an image, as achievements publish it.
pub fn url(base: &str, id: &str) -> String {
    format!("{base}/images/{id}.png")
}

/// Stores a normalised image for an organisation; returns its id.
pub fn store(conn: &mut DbConnection, org_id: &OrgId, image: &StoredImage) -> QueryResult<String> {
    let id = new_id();
    diesel::insert_into(images::table)
        .values((
            images::id.eq(&id),
            images::org_id.eq(org_id),
            images::content_type.eq(image.content_type.as_str()),
            images::data_base64.eq(base64::engine::general_purpose::STANDARD.encode(&image.bytes)),
            images::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// A stored image by id (public: images are published with badges).
pub fn load(conn: &mut DbConnection, id: &str) -> Result<StoredImage, StoredImageError> {
    let (content_type, data): (String, String) = images::table
        .filter(images::id.eq(id))
        .select((images::content_type, images::data_base64))
        .first(conn)
        .optional()?
        .ok_or(StoredImageError::NotFound)?;
    let content_type =
        ImageType::parse(&content_type).ok_or_else(|| StoredImageError::UnknownType {
            id: id.to_owned(),
            stored: content_type.clone(),
        })?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|source| StoredImageError::Corrupt {
            id: id.to_owned(),
            source,
        })?;
    Ok(StoredImage {
        content_type,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(body: &str) -> String {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">{body}</svg>"#
        )
    }

    fn refused(text: &str) -> String {
        match normalise(text.as_bytes()) {
            Err(ImageError::UnsafeSvg(reason)) => reason,
            other => panic!("expected UnsafeSvg for {text}: {other:?}"),
        }
    }

    #[test]
    fn clean_svg_is_kept_byte_for_byte() {
        let text = svg(
            r##"<defs><linearGradient id="g"/></defs><style>rect { fill: url(#g) }</style>
            <rect width="10" height="10" fill="url('#g')"/><use href="#g"/>
            <image xlink:href="data:image/png;base64,iVBORw0KGgo="/><!-- comment -->"##,
        );
        let stored = normalise(text.as_bytes()).unwrap();
        assert_eq!(stored.content_type, ImageType::Svg);
        assert_eq!(stored.bytes, text.as_bytes());
    }

    #[test]
    fn active_or_external_svg_content_is_refused() {
        assert!(refused(&svg("<script>alert(1)</script>")).contains("script"));
        assert!(refused(&svg("<SCRIPT>alert(1)</SCRIPT>")).contains("script"));
        assert!(refused(&svg("<foreignObject><div/></foreignObject>")).contains("foreignobject"));
        assert!(refused(&svg(r#"<rect onload="alert(1)"/>"#)).contains("onload"));
        assert!(refused(&svg(r#"<rect ONCLICK="alert(1)"/>"#)).contains("onclick"));
        refused(&svg(r#"<image href="https://evil.example/x.png"/>"#));
        refused(&svg(r#"<image xlink:href="//evil.example/x.png"/>"#));
        refused(&svg(r#"<a href="javascript:alert(1)"><rect/></a>"#));
        refused(&svg(r#"<a href="&#106;avascript:alert(1)"><rect/></a>"#));
        refused(&svg(
            r#"<image href="data:image/svg+xml;base64,PHN2Zz4="/>"#,
        ));
        refused(&svg(r#"<rect style="fill: url(https://evil.example/p)"/>"#));
        refused(&svg(r#"<rect fill="url( 'http://evil.example/#g' )"/>"#));
        refused(&svg(r#"<rect style="fill: \75rl(http://evil.example)"/>"#));
        refused(&svg("<style>@import 'https://evil.example/x.css';</style>"));
        refused(&svg(
            r"<style>rect { fill: \75 rl(http://evil.example) }</style>",
        ));
        refused(&svg(
            "<style><![CDATA[rect { fill: url(http://evil.example/p) }]]></style>",
        ));
        refused(&svg(
            r#"<set attributeName="xlink:href" to="http://evil.example"/>"#,
        ));
        let entity = r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>"#;
        assert!(refused(entity).contains("entity"));
        let doctype = r#"<!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg"/>"#;
        assert!(refused(doctype).contains("DOCTYPE"));
        refused(r#"<?xml-stylesheet href="https://evil.example/x.css"?><svg/>"#);
    }

    #[test]
    fn what_is_not_an_svg_is_unsupported_or_undecodable() {
        assert!(matches!(
            normalise(b"<html><body/></html>"),
            Err(ImageError::UnsupportedFormat)
        ));
        assert!(matches!(
            normalise(b"GIF89a...."),
            Err(ImageError::UnsupportedFormat)
        ));
        assert!(matches!(
            normalise(b"<svg><g></svg>"),
            Err(ImageError::Undecodable(_))
        ));
        assert!(matches!(
            normalise(b"<svg><g>"),
            Err(ImageError::Undecodable(_))
        ));
        assert!(matches!(
            normalise(b"<svg/><svg/>"),
            Err(ImageError::UnsupportedFormat)
        ));
        assert!(matches!(
            normalise(b"\x89PNG\r\n\x1a\nrest"),
            Err(ImageError::Undecodable(_))
        ));
        assert!(matches!(
            normalise(&vec![b' '; MAX_BYTES + 1]),
            Err(ImageError::TooLarge)
        ));
    }

    /// A `side`² RGBA PNG at 16 bits per channel, opaque blue, built without
    /// deflating `side² x 8` bytes: one band of rows deflated with a full
    /// flush (a self-contained block) and repeated.
    fn blue_png16(side: u32) -> Vec<u8> {
        use flate2::{Compress, Compression, FlushCompress};
        let mut row = vec![0u8];
        for _ in 0..side {
            row.extend_from_slice(&[0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
        }
        let band = row.repeat(16);
        let mut block = Vec::with_capacity(band.len());
        Compress::new(Compression::best(), false)
            .compress_vec(&band, &mut block, FlushCompress::Full)
            .unwrap();
        let mut zlib = vec![0x78, 0x01];
        for _ in 0..side / 16 {
            zlib.extend_from_slice(&block);
        }
        zlib.extend_from_slice(&[0x03, 0x00, 0, 0, 0, 0]); // final block, adler32 unchecked
        let mut png = PNG_SIGNATURE.to_vec();
        let mut chunk = |kind: &[u8], data: &[u8]| {
            png.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let mut crc = flate2::Crc::new();
            crc.update(kind);
            crc.update(data);
            png.extend_from_slice(kind);
            png.extend_from_slice(data);
            png.extend_from_slice(&crc.sum().to_be_bytes());
        };
        let mut header = side.to_be_bytes().repeat(2);
        header.extend_from_slice(&[16, 6, 0, 0, 0]);
        chunk(b"IHDR", &header);
        chunk(b"IDAT", &zlib);
        chunk(b"IEND", &[]);
        png
    }

    #[test]
    fn a_16_bit_picture_of_the_largest_side_is_over_the_memory_budget() {
        // 200 KB that decode to 128 MiB: refused before any pixel is allocated.
        let bomb = blue_png16(4096);
        assert!(bomb.len() < MAX_BYTES);
        assert!(matches!(normalise(&bomb), Err(ImageError::TooManyPixels)));
        // Within the budget, a large 16-bit picture is stored at its size.
        let stored = normalise(&blue_png16(2048)).unwrap();
        let out = image::load_from_memory(&stored.bytes).unwrap().to_rgba8();
        assert_eq!(out.dimensions(), (SIZE, SIZE));
        assert_eq!(out.get_pixel(256, 256).0, [0, 0, 255, 255]);
    }

    #[test]
    fn decodes_take_turns() {
        let first = DECODES.wait_turn();
        let second = DECODES.wait_turn();
        let waiting = std::thread::spawn(|| drop(DECODES.wait_turn()));
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(!waiting.is_finished(), "a third decode waits");
        drop(first);
        waiting.join().unwrap();
        drop(second);
    }

    #[test]
    fn raster_is_fitted_and_centred_on_transparency() {
        let wide = RgbaImage::from_pixel(200, 100, image::Rgba([200, 10, 10, 255]));
        let mut png = Vec::new();
        wide.write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        let stored = normalise(&png).unwrap();
        assert_eq!(stored.content_type, ImageType::Png);
        let out = image::load_from_memory(&stored.bytes).unwrap().to_rgba8();
        assert_eq!(out.dimensions(), (SIZE, SIZE));
        assert_eq!(out.get_pixel(0, 0)[3], 0, "transparent margin");
        assert_eq!(out.get_pixel(256, 256)[3], 255, "picture in the middle");
        assert_eq!(out.get_pixel(256, 100)[3], 0, "ratio kept");
    }
}
