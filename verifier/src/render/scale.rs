//! Scaling the badge image onto the card's white background.
//!
//! Written here rather than taken from `image::imageops` because the card is
//! rendered on request and the general-purpose filters (float convolution,
//! then a separate alpha blend) cost several times the PNG encode itself. The
//! background is known to be opaque white, so the source is first composited
//! over white (which also settles premultiplication: no dark fringes around
//! transparent areas), then halved with a box filter while it is more than
//! twice the target (which keeps the last step free of aliasing), then
//! sampled bilinearly with the four channels of a pixel held in the 16-bit
//! lanes of one `u64`.

use image::RgbaImage;

/// Fixed-point precision of the bilinear weights: 7 bits, so that a weighted
/// channel (255 x 128) fits a 16-bit lane.
const ONE: u64 = 128;

/// The low 8 bits of each 16-bit lane.
const LANES: u64 = 0x00ff_00ff_00ff_00ff;

/// Half of [`ONE`] in every lane, to round.
const HALF: u64 = (ONE / 2) * 0x0001_0001_0001_0001;

/// One per 16-bit lane: adds 1 to each channel.
const ONES: u64 = 0x0001_0001_0001_0001;

/// An opaque white pixel in lanes.
const WHITE: u64 = 255 * ONES;

/// An opaque image with one pixel per `u64`, a channel per 16-bit lane.
struct Lanes {
    width: u32,
    height: u32,
    pixels: Vec<u64>,
}

impl Lanes {
    #[inline(always)]
    fn at(&self, x: u32, y: u32) -> u64 {
        self.pixels[y as usize * self.width as usize + x as usize]
    }
}

/// Paints `source` scaled to `width` x `height`, composited over white, into
/// `canvas` with its top-left corner at (`left`, `top`). Pixels falling
/// outside the canvas are skipped.
pub(crate) fn paint_scaled(
    canvas: &mut RgbaImage,
    source: &RgbaImage,
    left: u32,
    top: u32,
    width: u32,
    height: u32,
) {
    if source.width() == 0 || source.height() == 0 || width == 0 || height == 0 {
        return;
    }
    let mut source = over_white(source);
    while source.width >= 2 * width && source.height >= 2 * height {
        source = halve(&source);
    }
    // Visible columns only: the two source columns and the weight of each.
    let visible = width.min(canvas.width().saturating_sub(left));
    let columns: Vec<(u32, u32, u64)> = (0..visible)
        .map(|x| sample(x, width, source.width))
        .collect();
    let canvas_stride = canvas.width() as usize * 4;
    let rows = height.min(canvas.height().saturating_sub(top));
    let target = canvas.as_mut();
    for y in 0..rows {
        let (y0, y1, fy) = sample(y, height, source.height);
        let start = (top + y) as usize * canvas_stride + left as usize * 4;
        let out = &mut target[start..start + columns.len() * 4];
        for (&(x0, x1, fx), pixel) in columns.iter().zip(out.chunks_exact_mut(4)) {
            let upper = lerp(source.at(x0, y0), source.at(x1, y0), fx);
            let lower = lerp(source.at(x0, y1), source.at(x1, y1), fx);
            pixel.copy_from_slice(&pack(lerp(upper, lower, fy)));
        }
    }
}

/// For destination index `d` of `dst` samples over `src` source pixels: the
/// two source indices around it and the weight of the second, out of [`ONE`].
fn sample(d: u32, dst: u32, src: u32) -> (u32, u32, u64) {
    // Centre-aligned: source position = (d + 0.5) * src / dst - 0.5, in 1/ONE.
    let position = ((2 * u64::from(d) + 1) * u64::from(src) * ONE / (2 * u64::from(dst)))
        .saturating_sub(ONE / 2);
    let index = u32::try_from(position / ONE).unwrap_or(u32::MAX);
    (
        index.min(src - 1),
        index.saturating_add(1).min(src - 1),
        position % ONE,
    )
}

/// Spreads RGBA bytes (little-endian `u32`) into 16-bit lanes.
#[inline(always)]
fn spread(p: u32) -> u64 {
    let p = u64::from(p);
    (p & 0xff) | (p & 0xff00) << 8 | (p & 0xff_0000) << 16 | (p & 0xff00_0000) << 24
}

/// Blends two lane-packed pixels, `weight` of [`ONE`] going to `b`, rounded.
#[inline(always)]
fn lerp(a: u64, b: u64, weight: u64) -> u64 {
    // Each lane holds at most 255 * ONE = 32,640: no carry between lanes.
    ((a * (ONE - weight) + b * weight + HALF) >> 7) & LANES
}

/// Packs lanes back into RGBA bytes, alpha forced opaque.
#[inline(always)]
fn pack(v: u64) -> [u8; 4] {
    let p = (v & 0xff) | (v >> 8 & 0xff00) | (v >> 16 & 0xff_0000);
    (p as u32 | 0xff00_0000).to_le_bytes()
}

/// One RGBA pixel composited over white, in lanes: c·a + 255·(255 − a),
/// divided by 255 with rounding, in every lane at once.
#[inline(always)]
fn pixel_over_white(p: u32) -> u64 {
    let alpha = u64::from(p >> 24);
    match alpha {
        255 => spread(p),
        0 => WHITE,
        _ => {
            // Each lane stays below 2^16: 255·a + 255·(255 − a) + 127 = 65,152.
            let mixed = spread(p & 0x00ff_ffff) * alpha + (255 * (255 - alpha) + 127) * ONES;
            let divided = ((mixed + ((mixed >> 8) & LANES) + ONES) >> 8) & LANES;
            (divided & 0x0000_ffff_ffff_ffff) | 255 << 48
        }
    }
}

/// The source composited over white, one `u64` per pixel.
fn over_white(source: &RgbaImage) -> Lanes {
    let pixels = source
        .as_raw()
        .chunks_exact(4)
        .map(|p| pixel_over_white(u32::from_le_bytes([p[0], p[1], p[2], p[3]])))
        .collect();
    Lanes {
        width: source.width(),
        height: source.height(),
        pixels,
    }
}

/// Halves an image with a 2 x 2 box filter (an odd last row or column is
/// folded into the previous one).
fn halve(source: &Lanes) -> Lanes {
    let (width, height) = ((source.width / 2).max(1), (source.height / 2).max(1));
    let last = |i: u32, size: u32| (i + 1).min(size - 1);
    let mut pixels = Vec::with_capacity(width as usize * height as usize);
    for y in 0..height {
        let (y0, y1) = (2 * y, last(2 * y, source.height));
        for x in 0..width {
            let (x0, x1) = (2 * x, last(2 * x, source.width));
            let top = lerp(source.at(x0, y0), source.at(x1, y0), ONE / 2);
            let bottom = lerp(source.at(x0, y1), source.at(x1, y1), ONE / 2);
            pixels.push(lerp(top, bottom, ONE / 2));
        }
    }
    Lanes {
        width,
        height,
        pixels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgba;

    fn white_canvas(side: u32) -> RgbaImage {
        RgbaImage::from_pixel(side, side, Rgba([255; 4]))
    }

    #[test]
    fn solid_colour_stays_exact_at_any_scale() {
        let source = RgbaImage::from_pixel(37, 53, Rgba([10, 200, 30, 255]));
        for side in [5, 20, 53, 90, 300] {
            let mut canvas = white_canvas(side);
            paint_scaled(&mut canvas, &source, 0, 0, side, side);
            assert!(
                canvas.pixels().all(|p| p.0 == [10, 200, 30, 255]),
                "side {side}"
            );
        }
    }

    #[test]
    fn transparency_becomes_white_without_dark_fringes() {
        // Transparent black next to opaque red: no pixel may darken.
        let source = RgbaImage::from_fn(64, 64, |x, _| {
            if x < 32 {
                Rgba([0, 0, 0, 0])
            } else {
                Rgba([255, 0, 0, 255])
            }
        });
        let mut canvas = white_canvas(24);
        paint_scaled(&mut canvas, &source, 0, 0, 24, 24);
        assert_eq!(canvas.get_pixel(2, 2).0, [255, 255, 255, 255]);
        assert_eq!(canvas.get_pixel(22, 2).0, [255, 0, 0, 255]);
        assert!(
            canvas.pixels().all(|p| p[0] == 255),
            "red channel never drops"
        );
    }

    #[test]
    fn half_transparent_blends_with_white() {
        let source = RgbaImage::from_pixel(4, 4, Rgba([0, 0, 0, 128]));
        let mut canvas = white_canvas(4);
        paint_scaled(&mut canvas, &source, 0, 0, 4, 4);
        assert_eq!(canvas.get_pixel(1, 1).0, [127, 127, 127, 255]);
    }

    #[test]
    fn interpolates_between_neighbours() {
        let source = RgbaImage::from_fn(2, 1, |x, _| Rgba([(x * 200) as u8, 0, 0, 255]));
        let mut canvas = white_canvas(4);
        paint_scaled(&mut canvas, &source, 0, 0, 4, 1);
        let reds: Vec<u8> = (0..4).map(|x| canvas.get_pixel(x, 0)[0]).collect();
        assert_eq!(reds, vec![0, 50, 150, 200]);
    }

    #[test]
    fn painting_is_clipped_to_the_canvas() {
        let source = RgbaImage::from_pixel(10, 10, Rgba([0, 0, 0, 255]));
        let mut canvas = white_canvas(8);
        paint_scaled(&mut canvas, &source, 4, 4, 10, 10);
        assert_eq!(canvas.get_pixel(3, 3).0, [255; 4]);
        assert_eq!(canvas.get_pixel(7, 7).0, [0, 0, 0, 255]);
    }

    #[test]
    fn large_sources_are_halved_first() {
        // A fine checkerboard averages to grey instead of aliasing.
        let source = RgbaImage::from_fn(400, 400, |x, y| {
            if (x + y) % 2 == 0 {
                Rgba([0, 0, 0, 255])
            } else {
                Rgba([255, 255, 255, 255])
            }
        });
        let mut canvas = white_canvas(50);
        paint_scaled(&mut canvas, &source, 0, 0, 50, 50);
        assert!(canvas.pixels().all(|p| (126..=129).contains(&p[0])));
    }

    #[test]
    fn compositing_over_white_matches_the_exact_formula() {
        for alpha in 0..=255u32 {
            for colour in 0..=255u32 {
                let expected = (colour * alpha + 255 * (255 - alpha) + 127) / 255;
                let p = colour | colour << 8 | colour << 16 | alpha << 24;
                let lanes = pixel_over_white(p);
                let got = pack(lanes);
                assert_eq!(u32::from(got[0]), expected, "colour {colour} alpha {alpha}");
                assert_eq!((got[1], got[2], got[3]), (got[0], got[0], 255));
            }
        }
    }

    #[test]
    fn sample_positions_are_centre_aligned_and_in_range() {
        assert_eq!(sample(0, 10, 10), (0, 1, 0));
        assert_eq!(sample(9, 10, 10), (9, 9, 0));
        let (first, second, _) = sample(299, 300, 7);
        assert!(first <= 6 && second <= 6);
    }
}
