//! The QR code leading to the verifier's page, as a grid of modules that the
//! PNG and SVG renderers draw themselves (the `qrcode` crate is used without
//! its renderers, so no second image stack is pulled in).

use image::RgbaImage;
use qrcode::{Color, EcLevel, QrCode};

use super::RenderError;

/// A dark module's pixel.
const DARK: [u8; 4] = [0, 0, 0, 255];

/// A light module's pixel.
const LIGHT: [u8; 4] = [255, 255, 255, 255];

/// Modules of white margin around the code, as ISO/IEC 18004 requires.
pub(crate) const QUIET_ZONE: usize = 4;

/// A QR code's modules, quiet zone included.
pub(crate) struct QrMatrix {
    /// Modules per side, quiet zone included.
    pub(crate) side: usize,
    /// Row-major, `true` for a dark module.
    dark: Vec<bool>,
}

impl QrMatrix {
    /// Encodes `text` with error correction level M (15 %): enough to survive
    /// a creased print-out while keeping modules large.
    pub(crate) fn encode(text: &str) -> Result<Self, RenderError> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
            .map_err(|e| RenderError::QrCode(e.to_string()))?;
        let width = code.width();
        let side = width + 2 * QUIET_ZONE;
        let mut dark = vec![false; side * side];
        for (index, color) in code.to_colors().into_iter().enumerate() {
            if color == Color::Dark {
                let (y, x) = (index / width + QUIET_ZONE, index % width + QUIET_ZONE);
                dark[y * side + x] = true;
            }
        }
        Ok(QrMatrix { side, dark })
    }

    /// Whether the module at column `x`, row `y` is dark.
    pub(crate) fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.side && y < self.side && self.dark[y * self.side + x]
    }

    /// Draws the code, quiet zone included, into `canvas` with its top-left
    /// corner at (`left`, `top`) and `module` pixels per module. Modules
    /// falling outside the canvas are clipped.
    pub(crate) fn draw(&self, canvas: &mut RgbaImage, left: u32, top: u32, module: u32) {
        let span = (self.side as u32 * module).min(canvas.width().saturating_sub(left));
        let rows = (self.side as u32 * module).min(canvas.height().saturating_sub(top));
        let stride = canvas.width() as usize * 4;
        let pixels = canvas.as_mut();
        // One row of pixels per module row, copied `module` times.
        let mut line = vec![0u8; span as usize * 4];
        for py in 0..rows {
            if py % module == 0 {
                let row = (py / module) as usize;
                for (px, pixel) in line.chunks_exact_mut(4).enumerate() {
                    let dark = self.is_dark(px / module as usize, row);
                    pixel.copy_from_slice(if dark { &DARK } else { &LIGHT });
                }
            }
            let start = (top + py) as usize * stride + left as usize * 4;
            pixels[start..start + line.len()].copy_from_slice(&line);
        }
    }

    /// SVG path data drawing every dark module as part of horizontal runs, in
    /// module units with the quiet zone at the origin.
    pub(crate) fn svg_path(&self) -> String {
        let mut path = String::new();
        for y in 0..self.side {
            let mut x = 0;
            while x < self.side {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.side && self.is_dark(x, y) {
                    x += 1;
                }
                path.push_str(&format!("M{start} {y}h{}v1h-{}z", x - start, x - start));
            }
        }
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_has_quiet_zone_and_finder_pattern() {
        let qr = QrMatrix::encode("https://verifier.example/v?u=1").expect("encodes");
        // Version 2 or 3 at level M, plus 2 x 4 modules of quiet zone.
        assert!(qr.side >= 21 + 8);
        for i in 0..qr.side {
            assert!(
                !qr.is_dark(i, 0) && !qr.is_dark(0, i),
                "quiet zone is light"
            );
        }
        // The top-left finder pattern's corner is dark.
        assert!(qr.is_dark(QUIET_ZONE, QUIET_ZONE));
        assert!(!qr.is_dark(qr.side, 0), "outside the grid is light");
        assert!(!qr.is_dark(0, qr.side), "outside the grid is light");
    }

    #[test]
    fn draw_scales_modules_and_clips() {
        let qr = QrMatrix::encode("a").expect("encodes");
        let mut canvas = RgbaImage::from_pixel(40, 40, image::Rgba([9, 9, 9, 255]));
        qr.draw(&mut canvas, 1, 1, 3);
        let corner = 1 + 3 * QUIET_ZONE as u32;
        assert_eq!(
            canvas.get_pixel(0, 0).0,
            [9, 9, 9, 255],
            "outside untouched"
        );
        assert_eq!(canvas.get_pixel(1, 1).0, LIGHT, "quiet zone");
        assert_eq!(canvas.get_pixel(corner, corner).0, DARK, "finder corner");
        assert_eq!(
            canvas.get_pixel(corner + 2, corner + 2).0,
            DARK,
            "same module"
        );
        assert_eq!(canvas.get_pixel(1, 39).0, LIGHT, "clipped, still drawn");
    }

    #[test]
    fn too_long_text_is_an_error() {
        let text = "x".repeat(5000);
        assert!(matches!(
            QrMatrix::encode(&text),
            Err(RenderError::QrCode(_))
        ));
    }

    #[test]
    fn svg_path_merges_runs() {
        let qr = QrMatrix::encode("a").expect("encodes");
        let path = qr.svg_path();
        // The finder pattern's top row is a run of seven dark modules.
        assert!(path.starts_with(&format!("M{QUIET_ZONE} {QUIET_ZONE}h7v1h-7z")));
    }
}
