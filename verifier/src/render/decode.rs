//! Decoding untrusted badge images under limits, to the size they are drawn at.
//!
//! A 100 kB PNG can claim 100,000 x 100,000 pixels and ask for 40 GB once
//! decoded; a 130 kB one of 4096 x 4096 RGBA at 16 bits passes any sane
//! dimension limit and still decodes to 128 MiB, copied several times on its
//! way to a 600-pixel card. So:
//!
//! - the header is checked against [`MAX_IMAGE_DIMENSION`] before any pixel is
//!   allocated, and the file against [`MAX_IMAGE_BYTES`];
//! - a PNG whose pixels would exceed [`MAX_DECODED_BYTES`] at its own depth is
//!   refused from its header (inflating them would cost CPU for nothing);
//! - a (non-interlaced) PNG is decoded row by row and shrunk while it is read,
//!   by an integer box filter, to between one and two times the side it is
//!   drawn at: a few megabytes whatever its size;
//! - anything else (JPEG, interlaced PNG) is decoded whole within
//!   [`IMAGE_MEMORY_BUDGET`], then shrunk the same way.

use std::io::Cursor;

use image::error::{ImageError, LimitErrorKind};
use image::{DynamicImage, ImageReader, Limits, RgbaImage};

use super::RenderError;

/// The largest accepted width or height of an input image, in pixels.
pub const MAX_IMAGE_DIMENSION: u32 = 4096;

/// The largest accepted input image file, in bytes (8 MiB).
pub const MAX_IMAGE_BYTES: usize = 8 * 1024 * 1024;

/// The most memory one image decode may allocate, in bytes (32 MiB): a
/// 4096 x 2048 RGBA or 2896 x 2896 RGB JPEG. A streamed PNG needs far less.
pub const IMAGE_MEMORY_BUDGET: u64 = 32 * 1024 * 1024;

/// The most pixel data one decode may produce at the image's own depth, in
/// bytes (64 MiB: a 4096 x 4096 RGBA image at 8 bits). Streaming bounds the
/// memory, not the time: a 4096 x 4096 RGBA image at 16 bits (128 MiB from a
/// file of 200 KB) would take a fifth of a second of CPU to inflate, for a card
/// drawn at 600 pixels.
pub const MAX_DECODED_BYTES: u64 = 64 * 1024 * 1024;

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Decodes a PNG or JPEG badge image that will be drawn at most `side` pixels
/// wide and high: shrunk so that its larger side is under `2 * side` (or kept
/// when already smaller), as RGBA8. Refuses files larger than
/// [`MAX_IMAGE_BYTES`], images larger than [`MAX_IMAGE_DIMENSION`] on either
/// side, and whole decodes that would need more than [`IMAGE_MEMORY_BUDGET`].
pub fn decode_badge_image(bytes: &[u8], side: u32) -> Result<DynamicImage, RenderError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(RenderError::ImageTooLarge(bytes.len()));
    }
    if bytes.starts_with(PNG_SIGNATURE) {
        if let Some(image) = stream_png(bytes, side)? {
            return Ok(DynamicImage::ImageRgba8(image));
        }
    }
    let image = decode_whole(bytes)?;
    Ok(DynamicImage::ImageRgba8(shrink_decoded(&image, side)))
}

/// A non-interlaced PNG, shrunk row by row; `None` for an interlaced one.
fn stream_png(bytes: &[u8], side: u32) -> Result<Option<RgbaImage>, RenderError> {
    let limits = png::Limits {
        bytes: usize::try_from(IMAGE_MEMORY_BUDGET).unwrap_or(usize::MAX),
    };
    let mut decoder = png::Decoder::new_with_limits(Cursor::new(bytes), limits);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(png_error)?;
    let (width, height, interlaced, decoded) = {
        let info = reader.info();
        let bits = u64::from(info.bits_per_pixel() as u32);
        let decoded = u64::from(info.width) * u64::from(info.height) * bits / 8;
        (info.width, info.height, info.interlaced, decoded)
    };
    if width > MAX_IMAGE_DIMENSION || height > MAX_IMAGE_DIMENSION || decoded > MAX_DECODED_BYTES {
        return Err(RenderError::ImageLimits);
    }
    if interlaced {
        return Ok(None);
    }
    let channels = match reader.output_color_type().0 {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        // EXPAND turns palettes into RGB(A).
        png::ColorType::Indexed => {
            return Err(RenderError::ImageDecode("unexpanded palette".into()))
        }
    };
    let mut shrink = Shrink::new(width, height, side);
    while let Some(row) = reader.next_row().map_err(png_error)? {
        shrink.push_row(row.data(), channels);
    }
    shrink.finish()
}

fn png_error(error: png::DecodingError) -> RenderError {
    match error {
        png::DecodingError::LimitsExceeded => RenderError::ImageLimits,
        other => RenderError::ImageDecode(other.to_string()),
    }
}

/// A whole decode by the image crate, within the limits.
fn decode_whole(bytes: &[u8]) -> Result<DynamicImage, RenderError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| RenderError::ImageDecode(e.to_string()))?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_DIMENSION);
    limits.max_image_height = Some(MAX_IMAGE_DIMENSION);
    limits.max_alloc = Some(IMAGE_MEMORY_BUDGET);
    reader.limits(limits);
    reader.decode().map_err(|e| match e {
        ImageError::Limits(limit) => match limit.kind() {
            LimitErrorKind::DimensionError | LimitErrorKind::InsufficientMemory => {
                RenderError::ImageLimits
            }
            _ => RenderError::ImageDecode(limit.to_string()),
        },
        ImageError::Unsupported(_) => {
            RenderError::ImageDecode("the format is not PNG or JPEG".to_owned())
        }
        other => RenderError::ImageDecode(other.to_string()),
    })
}

/// A decoded image shrunk like a streamed one, read row by row in its own
/// layout when it is 8-bit (no full RGBA copy).
fn shrink_decoded(image: &DynamicImage, side: u32) -> RgbaImage {
    let (width, height) = (image.width(), image.height());
    let (raw, channels): (std::borrow::Cow<'_, [u8]>, usize) = match image {
        DynamicImage::ImageLuma8(buffer) => (buffer.as_raw().into(), 1),
        DynamicImage::ImageLumaA8(buffer) => (buffer.as_raw().into(), 2),
        DynamicImage::ImageRgb8(buffer) => (buffer.as_raw().into(), 3),
        DynamicImage::ImageRgba8(buffer) => (buffer.as_raw().into(), 4),
        other => (other.to_rgba8().into_raw().into(), 4),
    };
    let mut shrink = Shrink::new(width, height, side);
    let row_bytes = width as usize * channels;
    if row_bytes > 0 {
        for row in raw.chunks_exact(row_bytes) {
            shrink.push_row(row, channels);
        }
    }
    // Every row of a decoded image was given: `finish` cannot miss any.
    shrink
        .finish()
        .ok()
        .flatten()
        .unwrap_or_else(|| RgbaImage::new(1, 1))
}

/// An integer box filter fed one source row at a time: each output pixel is
/// the alpha-weighted mean of a `factor` x `factor` block, so transparent
/// pixels lend no colour to their neighbours.
struct Shrink {
    width: u32,
    height: u32,
    factor: u32,
    out_width: u32,
    out_height: u32,
    /// Per output column of the band being read: alpha-weighted red, green,
    /// blue, then alpha, then the number of source pixels.
    sums: Vec<[u64; 5]>,
    rows_in_band: u32,
    rows_seen: u32,
    out: Vec<u8>,
}

impl Shrink {
    fn new(width: u32, height: u32, side: u32) -> Self {
        let factor = (width.max(height) / side.max(1)).max(1);
        let out_width = width.div_ceil(factor);
        let out_height = height.div_ceil(factor);
        Shrink {
            width,
            height,
            factor,
            out_width,
            out_height,
            sums: vec![[0; 5]; out_width as usize],
            rows_in_band: 0,
            rows_seen: 0,
            out: Vec::with_capacity(out_width as usize * out_height as usize * 4),
        }
    }

    fn push_row(&mut self, row: &[u8], channels: usize) {
        if self.rows_seen >= self.height {
            return;
        }
        for (x, pixel) in row
            .chunks_exact(channels)
            .take(self.width as usize)
            .enumerate()
        {
            let [r, g, b, a] = match *pixel {
                [v] => [v, v, v, 255],
                [v, a] => [v, v, v, a],
                [r, g, b] => [r, g, b, 255],
                [r, g, b, a, ..] => [r, g, b, a],
                [] => [0; 4],
            };
            let alpha = u64::from(a);
            let sum = &mut self.sums[x / self.factor as usize];
            sum[0] += u64::from(r) * alpha;
            sum[1] += u64::from(g) * alpha;
            sum[2] += u64::from(b) * alpha;
            sum[3] += alpha;
            sum[4] += 1;
        }
        self.rows_seen += 1;
        self.rows_in_band += 1;
        if self.rows_in_band == self.factor || self.rows_seen == self.height {
            self.emit_band();
        }
    }

    fn emit_band(&mut self) {
        for sum in &mut self.sums {
            let [r, g, b, alpha, count] = *sum;
            let pixel = if alpha == 0 || count == 0 {
                [0; 4]
            } else {
                let channel = |value: u64| u8::try_from(value / alpha).unwrap_or(u8::MAX);
                let mean_alpha = u8::try_from(alpha / count).unwrap_or(u8::MAX);
                [channel(r), channel(g), channel(b), mean_alpha]
            };
            self.out.extend_from_slice(&pixel);
            *sum = [0; 5];
        }
        self.rows_in_band = 0;
    }

    /// The shrunk image; an error when the source ended before its last row.
    fn finish(self) -> Result<Option<RgbaImage>, RenderError> {
        if self.rows_seen < self.height || self.width == 0 || self.height == 0 {
            return Err(RenderError::ImageDecode(
                "the image data is truncated".into(),
            ));
        }
        RgbaImage::from_raw(self.out_width, self.out_height, self.out)
            .map(Some)
            .ok_or_else(|| RenderError::ImageDecode("inconsistent image size".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_oversized_files_before_decoding() {
        let bytes = vec![0u8; MAX_IMAGE_BYTES + 1];
        assert!(matches!(
            decode_badge_image(&bytes, 600),
            Err(RenderError::ImageTooLarge(_))
        ));
    }

    #[test]
    fn refuses_garbage() {
        assert!(matches!(
            decode_badge_image(b"not an image at all", 600),
            Err(RenderError::ImageDecode(_))
        ));
    }

    #[test]
    fn decodes_a_small_png_at_its_own_size() {
        let image = image::RgbaImage::from_pixel(3, 2, image::Rgba([1, 2, 3, 255]));
        let png = crate::render::raw_png_encode(&image).expect("encodes");
        let decoded = decode_badge_image(&png, 600).expect("decodes");
        assert_eq!((decoded.width(), decoded.height()), (3, 2));
        assert_eq!(decoded.to_rgba8().get_pixel(2, 1).0, [1, 2, 3, 255]);
    }

    #[test]
    fn the_box_filter_weighs_colour_by_alpha() {
        // A 4 x 1 row: opaque red, transparent green, twice; shrunk to 2 x 1 by
        // a factor of 2 the green lends nothing and alpha averages.
        let mut shrink = Shrink::new(4, 1, 2);
        assert_eq!(shrink.factor, 2);
        shrink.push_row(
            &[255, 0, 0, 255, 0, 255, 0, 0, 255, 0, 0, 255, 0, 255, 0, 0],
            4,
        );
        let image = shrink.finish().expect("complete").expect("an image");
        assert_eq!(image.dimensions(), (2, 1));
        assert_eq!(image.get_pixel(0, 0).0, [255, 0, 0, 127]);
    }

    #[test]
    fn a_truncated_stream_is_an_error() {
        let mut shrink = Shrink::new(2, 2, 600);
        shrink.push_row(&[0; 8], 4);
        assert!(shrink.finish().is_err());
    }
}
