//! Where the badge and the QR code go on the square card, shared by the PNG
//! and SVG renderers so that both look the same.
//!
//! The badge sits on top, centred; the QR code sits below it, centred, its
//! quiet zone doubling as the margin between the two.

use super::qr::QrMatrix;
use super::RenderError;

/// Share of the card's side given to the QR code (quiet zone included).
const QR_SHARE: f32 = 0.36;

/// The largest share the QR code may take when its text is long.
const QR_MAX_SHARE: f32 = 0.5;

/// Fewer pixels per module than this cannot be scanned from a print-out.
const MIN_MODULE_PIXELS: u32 = 2;

/// Positions on a square card of side `size`, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Layout {
    /// The card's side.
    pub(crate) size: u32,
    /// Left edge of the square box the badge is fitted into.
    pub(crate) badge_left: u32,
    /// Top edge of that box.
    pub(crate) badge_top: u32,
    /// Side of that box.
    pub(crate) badge_side: u32,
    /// Left edge of the QR code, quiet zone included.
    pub(crate) qr_left: u32,
    /// Top edge of the QR code, quiet zone included.
    pub(crate) qr_top: u32,
    /// Pixels per QR module.
    pub(crate) module: u32,
}

impl Layout {
    /// Lays out a card of side `size` for this QR code.
    pub(crate) fn new(size: u32, qr: &QrMatrix) -> Result<Self, RenderError> {
        let side = qr.side as u32;
        let target = (size as f32 * QR_SHARE) as u32;
        let module = (target / side).max(MIN_MODULE_PIXELS);
        let span = side * module;
        if span as f32 > size as f32 * QR_MAX_SHARE {
            return Err(RenderError::QrCode(format!(
                "a {side}-module code does not fit a {size}-pixel image"
            )));
        }
        let margin = size / 30;
        let qr_top = size - span - margin / 2;
        let badge_side = (qr_top - margin).min(size - 2 * margin);
        Ok(Layout {
            size,
            badge_left: (size - badge_side) / 2,
            badge_top: margin,
            badge_side,
            qr_left: (size - span) / 2,
            qr_top,
            module,
        })
    }

    /// The QR code's side in pixels, quiet zone included.
    #[cfg(test)]
    pub(crate) fn qr_span(&self, qr: &QrMatrix) -> u32 {
        qr.side as u32 * self.module
    }
}

/// The size of a `width` x `height` image scaled to fit a `side` x `side`
/// box, keeping its proportions (never zero).
pub(crate) fn fit(width: u32, height: u32, side: u32) -> (u32, u32) {
    if width == 0 || height == 0 {
        return (side, side);
    }
    let scale = side as f64 / width.max(height) as f64;
    let scaled = |v: u32| ((v as f64 * scale).round() as u32).clamp(1, side);
    (scaled(width), scaled(height))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badge_and_qr_do_not_overlap_and_stay_inside() {
        let qr = QrMatrix::encode(
            "https://verifier.example/verify?url=https%3A%2F%2Fissuer.example%2Fc%2F1",
        )
        .expect("encodes");
        for size in [200, 300, 600, 1000, 2400] {
            let layout = Layout::new(size, &qr).expect("fits");
            let span = layout.qr_span(&qr);
            assert!(
                layout.badge_top + layout.badge_side <= layout.qr_top,
                "size {size}"
            );
            assert!(layout.qr_top + span <= size && layout.qr_left + span <= size);
            assert!(layout.badge_left + layout.badge_side <= size);
            assert!(layout.module >= MIN_MODULE_PIXELS);
        }
    }

    #[test]
    fn long_text_on_a_small_card_is_refused() {
        let qr = QrMatrix::encode(&"https://v.example/".repeat(40)).expect("encodes");
        assert!(matches!(Layout::new(200, &qr), Err(RenderError::QrCode(_))));
    }

    #[test]
    fn fit_keeps_proportions() {
        assert_eq!(fit(1000, 500, 300), (300, 150));
        assert_eq!(fit(50, 100, 300), (150, 300));
        assert_eq!(fit(0, 10, 30), (30, 30));
        assert_eq!(fit(10_000, 1, 300), (300, 1));
    }
}
