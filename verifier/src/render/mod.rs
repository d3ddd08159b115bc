//! Badge images with a QR code: what a beneficiary downloads, prints or
//! shares, and what an employer scans.
//!
//! A rendered badge is a square card: the badge's own image (scaled to fit) or,
//! when it has none, a generated design, above a QR code that leads to this
//! verifier's page for the credential. The result is a PNG or an SVG that the
//! [`crate::bake`] module then bakes with the credential itself.
//!
//! Input images come from issuers and from the network: they are decoded only
//! through [`decode_badge_image`], which refuses decompression bombs
//! (oversized dimensions, oversized files, oversized allocations) before any
//! pixel is allocated, and shrinks the picture to the size it is drawn at as
//! it reads it.

mod decode;
mod design;
mod layout;
mod png;
mod qr;
mod scale;
mod svg;

pub use decode::{
    decode_badge_image, IMAGE_MEMORY_BUDGET, MAX_DECODED_BYTES, MAX_IMAGE_BYTES,
    MAX_IMAGE_DIMENSION,
};
pub use png::{raw_png_encode, render_badge_png, PNG_COMPRESSION};
pub use svg::{render_badge_svg, render_design_svg, render_qr_svg};

/// The smallest rendered size, in pixels: below it the QR code cannot be
/// scanned reliably.
pub const MIN_SIZE: u32 = 200;

/// The largest rendered size, in pixels: a cap on the work one request causes.
pub const MAX_SIZE: u32 = 2400;

/// Errors rendering a badge image.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The requested size is outside [`MIN_SIZE`]..=[`MAX_SIZE`].
    #[error("the image size {0} is outside the supported range {MIN_SIZE}..={MAX_SIZE} pixels")]
    Size(u32),
    /// The input image file is larger than [`MAX_IMAGE_BYTES`].
    #[error("the badge image is {0} bytes, more than the {MAX_IMAGE_BYTES} allowed")]
    ImageTooLarge(usize),
    /// The input image's dimensions or decoded size exceed the limits.
    #[error("the badge image exceeds the decoding limits ({MAX_IMAGE_DIMENSION}x{MAX_IMAGE_DIMENSION} pixels)")]
    ImageLimits,
    /// The input image is not a PNG or JPEG file, or is corrupt.
    #[error("the badge image cannot be decoded: {0}")]
    ImageDecode(String),
    /// The verification URL does not fit in a QR code.
    #[error("the verification URL cannot be encoded as a QR code: {0}")]
    QrCode(String),
    /// Encoding the result as PNG failed.
    #[error("the PNG encoder failed: {0}")]
    Encode(String),
}

/// The text alternative of a rendered badge, built from the badge's name and
/// its issuer: the SVG `<title>` and `aria-label`, and the `alt` text that
/// pages showing the PNG should use.
pub fn alt_text(name: &str, issuer: &str) -> String {
    let name = name.trim();
    let issuer = issuer.trim();
    match (name.is_empty(), issuer.is_empty()) {
        (false, false) => format!("Badge « {name} » délivré par {issuer}"),
        (false, true) => format!("Badge « {name} »"),
        (true, false) => format!("Badge délivré par {issuer}"),
        (true, true) => "Badge".to_owned(),
    }
}

/// Checks the requested size against [`MIN_SIZE`] and [`MAX_SIZE`].
fn check_size(size: u32) -> Result<(), RenderError> {
    if (MIN_SIZE..=MAX_SIZE).contains(&size) {
        Ok(())
    } else {
        Err(RenderError::Size(size))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alt_text_names_badge_and_issuer() {
        assert_eq!(
            alt_text("Médiation numérique", "Réseau 42"),
            "Badge « Médiation numérique » délivré par Réseau 42"
        );
        assert_eq!(alt_text(" ", ""), "Badge");
        assert_eq!(alt_text("", "X"), "Badge délivré par X");
    }

    #[test]
    fn size_bounds_are_enforced() {
        assert!(check_size(MIN_SIZE).is_ok());
        assert!(check_size(MAX_SIZE).is_ok());
        assert!(matches!(check_size(10), Err(RenderError::Size(10))));
        assert!(matches!(check_size(100_000), Err(RenderError::Size(_))));
    }
}
