//! The badge card as a PNG image.
//!
//! The image crate's PNG encoder is used with one explicit setting,
//! [`PNG_COMPRESSION`], exposed through [`raw_png_encode`] too so that the
//! benchmark compares rendering with a bare encode of the same pixels.

use std::borrow::Cow;

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{DynamicImage, ImageEncoder, RgbaImage};

use super::layout::{fit, Layout};
use super::qr::QrMatrix;
use super::{check_size, design, scale, RenderError};

/// The compression setting of every PNG this module writes. `Default` makes
/// cards about a third smaller than `Fast` (23 kB against 35 kB for a 600 x
/// 600 card): they are downloaded, mailed and stored by beneficiaries, and
/// the encode stays a few milliseconds.
pub const PNG_COMPRESSION: CompressionType = CompressionType::Default;

/// The filter setting paired with [`PNG_COMPRESSION`].
const PNG_FILTER: FilterType = FilterType::Adaptive;

/// Renders the badge card as a PNG, `size` pixels square: `badge` scaled to
/// fit (or a generated design when `None`) above a QR code leading to
/// `verify_url`.
///
/// `name` picks the generated design's colour. The issuer is taken for
/// symmetry with [`super::render_badge_svg`]: a PNG's text alternative is the
/// `alt` attribute of the page showing it, built with [`super::alt_text`].
/// The PNG carries no credential yet: bake it with [`crate::bake`].
pub fn render_badge_png(
    badge: Option<&DynamicImage>,
    name: &str,
    _issuer: &str,
    verify_url: &str,
    size: u32,
) -> Result<Vec<u8>, RenderError> {
    let canvas = render_badge_rgba(badge, name, verify_url, size)?;
    raw_png_encode(&canvas)
}

/// Renders the badge card's pixels, before encoding.
pub(crate) fn render_badge_rgba(
    badge: Option<&DynamicImage>,
    name: &str,
    verify_url: &str,
    size: u32,
) -> Result<RgbaImage, RenderError> {
    check_size(size)?;
    let qr = QrMatrix::encode(verify_url)?;
    let layout = Layout::new(size, &qr)?;
    let mut canvas = white_canvas(size);
    match badge {
        Some(image) => {
            let (width, height) = fit(image.width(), image.height(), layout.badge_side);
            let left = layout.badge_left + (layout.badge_side - width) / 2;
            let top = layout.badge_top + (layout.badge_side - height) / 2;
            let source = match image.as_rgba8() {
                Some(rgba) => Cow::Borrowed(rgba),
                None => Cow::Owned(image.to_rgba8()),
            };
            scale::paint_scaled(&mut canvas, &source, left, top, width, height);
        }
        None => design::paint(
            &mut canvas,
            name,
            layout.badge_left,
            layout.badge_top,
            layout.badge_side,
        ),
    }
    qr.draw(&mut canvas, layout.qr_left, layout.qr_top, layout.module);
    Ok(canvas)
}

/// An opaque white square: one fill rather than a per-pixel loop.
fn white_canvas(size: u32) -> RgbaImage {
    let bytes = vec![255u8; size as usize * size as usize * 4];
    // The buffer holds exactly size x size RGBA pixels, so `from_raw`
    // succeeds; the fallback only keeps this free of `expect`.
    RgbaImage::from_raw(size, size, bytes).unwrap_or_else(|| RgbaImage::new(size, size))
}

/// Encodes `image` as PNG with [`PNG_COMPRESSION`], the setting
/// [`render_badge_png`] uses.
pub fn raw_png_encode(image: &RgbaImage) -> Result<Vec<u8>, RenderError> {
    let mut out = Vec::with_capacity(image.as_raw().len() / 4);
    PngEncoder::new_with_quality(&mut out, PNG_COMPRESSION, PNG_FILTER)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgba8,
        )
        .map_err(|e| RenderError::Encode(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgba;

    #[test]
    fn wide_badge_is_centred_in_its_box() {
        let wide =
            DynamicImage::ImageRgba8(RgbaImage::from_pixel(400, 100, Rgba([200, 0, 0, 255])));
        let canvas =
            render_badge_rgba(Some(&wide), "n", "https://v.example/", 600).expect("renders");
        let qr = QrMatrix::encode("https://v.example/").expect("encodes");
        let layout = Layout::new(600, &qr).expect("fits");
        let middle = layout.badge_top + layout.badge_side / 2;
        assert_eq!(canvas.get_pixel(300, middle).0, [200, 0, 0, 255]);
        assert_eq!(
            canvas.get_pixel(300, layout.badge_top + 2).0,
            [255; 4],
            "letterboxed"
        );
    }

    #[test]
    fn small_badge_is_scaled_up() {
        let small = DynamicImage::ImageRgba8(RgbaImage::from_pixel(10, 10, Rgba([0, 0, 200, 255])));
        let canvas =
            render_badge_rgba(Some(&small), "n", "https://v.example/", 300).expect("renders");
        assert_eq!(canvas.get_pixel(150, 60).0, [0, 0, 200, 255]);
    }
}
