//! The generated design for a badge without an image: a coloured disc with a
//! white ring and a white five-pointed star.
//!
//! The colour is picked from the badge's name, so two badges of one issuer
//! look different, among dark tones that keep white at a contrast ratio of at
//! least 4.5:1 (WCAG 2.1 AA). No fonts are needed, which keeps rendering
//! independent of the host.

use image::{Rgba, RgbaImage};

/// Dark tones, each with a contrast ratio of 4.5:1 or more against white.
const PALETTE: [[u8; 3]; 8] = [
    [0x1d, 0x4e, 0xd8], // blue
    [0x04, 0x78, 0x57], // green
    [0xb9, 0x1c, 0x1c], // red
    [0x6d, 0x28, 0xd9], // violet
    [0x0f, 0x76, 0x6e], // teal
    [0xbe, 0x18, 0x5d], // pink
    [0x9a, 0x34, 0x12], // brown
    [0x37, 0x41, 0x51], // slate
];

/// The design's geometry in units of its side, shared with the SVG renderer.
pub(crate) mod geometry {
    /// Radius of the disc.
    pub(crate) const DISC: f32 = 0.48;
    /// Radius of the white ring's centre line.
    pub(crate) const RING: f32 = 0.41;
    /// Width of the ring.
    pub(crate) const RING_WIDTH: f32 = 0.025;
    /// Outer radius of the star.
    pub(crate) const STAR_OUTER: f32 = 0.29;
    /// Inner radius of the star.
    pub(crate) const STAR_INNER: f32 = 0.12;
}

/// The design's colour for a badge name, as RGB.
pub(crate) fn colour(name: &str) -> [u8; 3] {
    // FNV-1a: stable across runs and platforms, unlike std's hasher.
    let hash = name.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    PALETTE[hash as usize % PALETTE.len()]
}

/// The star's ten corners, alternating outer and inner, first point up, for a
/// design of side `side` with its top-left corner at the origin.
pub(crate) fn star_points(side: f32) -> [(f32, f32); 10] {
    let centre = side / 2.0;
    let mut points = [(0.0, 0.0); 10];
    for (i, point) in points.iter_mut().enumerate() {
        let radius = if i % 2 == 0 {
            geometry::STAR_OUTER
        } else {
            geometry::STAR_INNER
        } * side;
        let angle = std::f32::consts::PI * (i as f32 / 5.0 - 0.5);
        *point = (centre + radius * angle.cos(), centre + radius * angle.sin());
    }
    points
}

/// Paints the design for `name`, `side` pixels square, over the white card
/// with its top-left corner at (`left`, `top`), with anti-aliased edges.
pub(crate) fn paint(canvas: &mut RgbaImage, name: &str, left: u32, top: u32, side: u32) {
    let colour = colour(name);
    let s = side as f32;
    let centre = s / 2.0;
    let bands = Bands::new(s);
    let star_polygon = star_points(s);
    let star_rows =
        (centre - geometry::STAR_OUTER * s - 1.0)..(centre + geometry::STAR_OUTER * s + 1.0);
    let mut star_cover = vec![0.0f32; side as usize];
    let canvas_width = canvas.width();
    for y in 0..side {
        let cy = top + y;
        if cy >= canvas.height() {
            break;
        }
        let py = y as f32 + 0.5;
        let dy = py - centre;
        // Only the columns the disc reaches on this row.
        let reach = bands.outside - dy * dy;
        if reach <= 0.0 {
            continue;
        }
        let reach = reach.sqrt() + 1.0;
        let first = (centre - reach).max(0.0) as u32;
        let last = ((centre + reach) as u32).min(side);
        let in_star_rows = star_rows.contains(&py);
        if in_star_rows {
            star_row_coverage(&star_polygon, y as f32, &mut star_cover);
        }
        let row = canvas.as_mut();
        for x in first..last {
            let cx = left + x;
            if cx >= canvas_width {
                break;
            }
            let star = if in_star_rows {
                star_cover[x as usize]
            } else {
                0.0
            };
            if let Some(pixel) = shade(&bands, &colour, x as f32 + 0.5 - centre, dy, star) {
                let at = 4 * (cy as usize * canvas_width as usize + cx as usize);
                row[at..at + 4].copy_from_slice(&pixel.0);
            }
        }
    }
}

/// Squared radii (in pixels) where the design's edges start and end, so that
/// most pixels are settled without a square root.
struct Bands {
    /// Radius of the disc.
    disc: f32,
    /// Radius of the ring's centre line.
    ring: f32,
    /// Half the ring's width.
    ring_half: f32,
    /// Beyond this squared distance the pixel is outside the disc.
    outside: f32,
    /// Below this squared distance the pixel is fully inside the disc.
    inside: f32,
    /// Between these squared distances the ring touches the pixel.
    ring_span: (f32, f32),
}

impl Bands {
    fn new(side: f32) -> Self {
        let disc = geometry::DISC * side;
        let ring = geometry::RING * side;
        let ring_half = geometry::RING_WIDTH * side / 2.0;
        let square = |r: f32| r.max(0.0).powi(2);
        Bands {
            disc,
            ring,
            ring_half,
            outside: square(disc + 0.5),
            inside: square(disc - 0.5),
            ring_span: (
                square(ring - ring_half - 0.5),
                square(ring + ring_half + 0.5),
            ),
        }
    }
}

/// The colour of the pixel at offset (`dx`, `dy`) from the centre, or `None`
/// where the white card shows through.
fn shade(bands: &Bands, colour: &[u8; 3], dx: f32, dy: f32, star: f32) -> Option<Rgba<u8>> {
    let squared = dx * dx + dy * dy;
    if squared >= bands.outside {
        return None;
    }
    let edge = squared > bands.inside;
    let on_ring = squared > bands.ring_span.0 && squared < bands.ring_span.1;
    let distance = if edge || on_ring { squared.sqrt() } else { 0.0 };
    let disc = if edge {
        coverage(bands.disc - distance)
    } else {
        1.0
    };
    let ring = if on_ring {
        coverage(bands.ring_half - (distance - bands.ring).abs())
    } else {
        0.0
    };
    // White share inside the disc, then the disc over the white card.
    let white = ring.max(star);
    if disc >= 1.0 && white <= 0.0 {
        return Some(Rgba([colour[0], colour[1], colour[2], 255]));
    }
    let mix = |c: u8| {
        let inside = f32::from(c) * (1.0 - white) + 255.0 * white;
        (255.0 * (1.0 - disc) + inside * disc + 0.5) as u8
    };
    Some(Rgba([mix(colour[0]), mix(colour[1]), mix(colour[2]), 255]))
}

/// Coverage of a pixel by a shape whose edge is `signed` pixels away
/// (positive inside), over a one-pixel ramp.
fn coverage(signed: f32) -> f32 {
    (signed + 0.5).clamp(0.0, 1.0)
}

/// Fills `cover` with each pixel's share inside `polygon` on row `y`: four
/// scanlines per row, with exact horizontal coverage along each.
fn star_row_coverage(polygon: &[(f32, f32); 10], y: f32, cover: &mut [f32]) {
    const SUBROWS: usize = 4;
    cover.iter_mut().for_each(|c| *c = 0.0);
    for k in 0..SUBROWS {
        let sy = y + (k as f32 + 0.5) / SUBROWS as f32;
        let mut crossings = [0.0f32; 10];
        let mut count = 0;
        let mut previous = polygon[polygon.len() - 1];
        for &current in polygon {
            let ((x1, y1), (x2, y2)) = (previous, current);
            if (y1 > sy) != (y2 > sy) {
                crossings[count] = x1 + (sy - y1) * (x2 - x1) / (y2 - y1);
                count += 1;
            }
            previous = current;
        }
        let crossings = &mut crossings[..count];
        crossings.sort_by(f32::total_cmp);
        for span in crossings.chunks_exact(2) {
            let (a, b) = (span[0].max(0.0), span[1].min(cover.len() as f32));
            let mut px = a.floor();
            while px < b {
                let overlap = b.min(px + 1.0) - a.max(px);
                if let Some(c) = cover.get_mut(px as usize) {
                    *c += overlap / SUBROWS as f32;
                }
                px += 1.0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative luminance per WCAG 2.1.
    fn luminance([r, g, b]: [u8; 3]) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    #[test]
    fn every_colour_contrasts_with_white() {
        for colour in PALETTE {
            let ratio = 1.05 / (luminance(colour) + 0.05);
            assert!(ratio >= 4.5, "{colour:?} has contrast {ratio:.2}");
        }
    }

    #[test]
    fn colour_is_stable_and_varies() {
        assert_eq!(colour("Médiation"), colour("Médiation"));
        let distinct: std::collections::HashSet<_> = ["a", "b", "c", "d", "e", "f"]
            .iter()
            .map(|n| colour(n))
            .collect();
        assert!(distinct.len() > 1);
    }

    #[test]
    fn design_has_disc_ring_star_and_white_corners() {
        let mut image = RgbaImage::from_pixel(220, 220, Rgba([255; 4]));
        paint(&mut image, "Accueil", 10, 10, 200);
        let [r, g, b] = colour("Accueil");
        assert_eq!(image.get_pixel(10, 10).0, [255; 4], "corner stays white");
        assert_eq!(
            image.get_pixel(110, 110).0,
            [255; 4],
            "star centre is white"
        );
        // Between the ring and the edge of the disc: the disc's colour.
        assert_eq!(image.get_pixel(110, 15).0, [r, g, b, 255]);
        // On the ring's centre line, straight above the centre.
        assert_eq!(image.get_pixel(110, 110 - 82).0, [255; 4]);
        // Between the ring and the star's top point.
        assert_eq!(image.get_pixel(110, 110 - 68).0, [r, g, b, 255]);
    }

    #[test]
    fn star_coverage_is_full_inside_and_empty_outside() {
        let star = star_points(200.0);
        let mut cover = vec![0.0; 200];
        star_row_coverage(&star, 100.0, &mut cover);
        assert!((cover[100] - 1.0).abs() < 1e-4);
        assert_eq!(cover[5], 0.0);
        assert!(cover.iter().all(|c| (0.0..=1.0001).contains(c)));
    }
}
