//! Decoding untrusted badge images under limits.
//!
//! A 100 kB PNG can claim 100,000 x 100,000 pixels and ask for 40 GB once
//! decoded. The image crate reads the header first and checks it against
//! [`image::Limits`] before allocating, so a hostile header is refused in
//! microseconds; the byte limit bounds the work on the compressed side.

use std::io::Cursor;

use image::error::{ImageError, LimitErrorKind};
use image::{DynamicImage, ImageReader, Limits};

use super::RenderError;

/// The largest accepted width or height of an input image, in pixels.
pub const MAX_IMAGE_DIMENSION: u32 = 4096;

/// The largest accepted input image file, in bytes (8 MiB).
pub const MAX_IMAGE_BYTES: usize = 8 * 1024 * 1024;

/// The most a decoder may allocate: one 4096 x 4096 RGBA image at 16 bits per
/// channel, plus slack for the decoder's own buffers.
const MAX_ALLOC: u64 = 4096 * 4096 * 8 + 16 * 1024 * 1024;

/// Decodes a PNG or JPEG badge image, refusing files larger than
/// [`MAX_IMAGE_BYTES`] and images larger than [`MAX_IMAGE_DIMENSION`] on
/// either side.
pub fn decode_badge_image(bytes: &[u8]) -> Result<DynamicImage, RenderError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(RenderError::ImageTooLarge(bytes.len()));
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| RenderError::ImageDecode(e.to_string()))?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_DIMENSION);
    limits.max_image_height = Some(MAX_IMAGE_DIMENSION);
    limits.max_alloc = Some(MAX_ALLOC);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_oversized_files_before_decoding() {
        let bytes = vec![0u8; MAX_IMAGE_BYTES + 1];
        assert!(matches!(
            decode_badge_image(&bytes),
            Err(RenderError::ImageTooLarge(_))
        ));
    }

    #[test]
    fn refuses_garbage() {
        assert!(matches!(
            decode_badge_image(b"not an image at all"),
            Err(RenderError::ImageDecode(_))
        ));
    }

    #[test]
    fn decodes_a_small_png() {
        let image = image::RgbaImage::from_pixel(3, 2, image::Rgba([1, 2, 3, 255]));
        let png = crate::render::raw_png_encode(&image).expect("encodes");
        let decoded = decode_badge_image(&png).expect("decodes");
        assert_eq!((decoded.width(), decoded.height()), (3, 2));
    }
}
