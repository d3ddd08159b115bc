//! Claim codes: how a participant without an e-mail address collects their
//! badge. The facilitator hands over a short code (`K7QM-2XHP`) or its QR code,
//! which opens `<base>/claim/<code>`.
//!
//! Codes are 8 characters from a 32-letter alphabet without the look-alikes
//! `0 O 1 I` (40 bits), drawn from the OS generator and unique across the
//! service (a unique column; a clash is retried). They are typed by people,
//! so reading them forgives case, spaces and hyphens.

use std::io::Cursor;

use image::{GrayImage, ImageFormat, Luma};
use qrcode::{Color, EcLevel, QrCode};
use rand::Rng;

use super::AwardError;

/// The code alphabet: digits and capitals without 0, 1, I and O.
const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Characters in a code, hyphen excluded.
const CODE_LENGTH: usize = 8;
/// Pixels per QR module.
const MODULE_PIXELS: u32 = 8;
/// White modules around the code (ISO/IEC 18004 asks for 4).
const QUIET_ZONE: u32 = 4;

/// A fresh random code, formatted `XXXX-XXXX`.
pub fn new_code() -> String {
    let mut rng = rand::rngs::OsRng;
    let mut code = String::with_capacity(CODE_LENGTH + 1);
    for i in 0..CODE_LENGTH {
        if i == CODE_LENGTH / 2 {
            code.push('-');
        }
        code.push(char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]));
    }
    code
}

/// A typed code in its stored form (`XXXX-XXXX`), or `None` if it cannot be one.
pub fn normalise_code(typed: &str) -> Option<String> {
    let letters: Vec<u8> = typed
        .bytes()
        .filter(|b| !matches!(b, b'-' | b' ' | b'\t'))
        .map(|b| b.to_ascii_uppercase())
        .collect();
    if letters.len() != CODE_LENGTH || !letters.iter().all(|b| ALPHABET.contains(b)) {
        return None;
    }
    let (left, right) = letters.split_at(CODE_LENGTH / 2);
    Some(format!(
        "{}-{}",
        String::from_utf8_lossy(left),
        String::from_utf8_lossy(right)
    ))
}

/// The claim page URL a code opens.
pub fn claim_url(base: &str, code: &str) -> String {
    format!("{base}/claim/{code}")
}

/// A PNG QR code of `text` (error correction M, black on white, quiet zone included).
pub fn qr_png(text: &str) -> Result<Vec<u8>, AwardError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(AwardError::QrCode)?;
    let width = u32::try_from(code.width()).map_err(|_| AwardError::QrTooWide)?;
    let side = (width + 2 * QUIET_ZONE) * MODULE_PIXELS;
    let colors = code.to_colors();
    let image = GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x / MODULE_PIXELS, y / MODULE_PIXELS);
        let inside = (QUIET_ZONE..QUIET_ZONE + width).contains(&mx)
            && (QUIET_ZONE..QUIET_ZONE + width).contains(&my);
        let dark = inside
            && colors.get(((my - QUIET_ZONE) * width + (mx - QUIET_ZONE)) as usize)
                == Some(&Color::Dark);
        Luma([if dark { 0 } else { 255 }])
    });
    let mut png = Cursor::new(Vec::new());
    image
        .write_to(&mut png, ImageFormat::Png)
        .map_err(AwardError::Png)?;
    Ok(png.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_formatted_and_read_back_forgivingly() {
        let code = new_code();
        assert_eq!(code.len(), 9);
        assert_eq!(&code[4..5], "-");
        assert_eq!(normalise_code(&code).as_deref(), Some(code.as_str()));
        assert_eq!(
            normalise_code(&code.to_lowercase().replace('-', " ")).as_deref(),
            Some(code.as_str())
        );
        assert_eq!(normalise_code("ABCD-EFG0"), None);
        assert_eq!(normalise_code("ABCD-EFGHJ"), None);
        assert_ne!(new_code(), new_code());
    }
}
