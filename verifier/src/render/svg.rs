//! The badge card as an SVG document, laid out like the PNG.
//!
//! The badge image is embedded as a `data:` URI (PNG, scaled to its box so a
//! huge source does not bloat the file); the QR code is one `<path>` of
//! horizontal runs. Every text from the credential is XML-escaped, and the
//! document declares no DTD and no entities.

use std::fmt::Write as _;

use base64::Engine as _;
use image::DynamicImage;

use super::design::{self, geometry};
use super::layout::{fit, Layout};
use super::qr::QrMatrix;
use super::{alt_text, check_size, raw_png_encode, RenderError};

/// Renders the badge card as an SVG document, `size` units square: `badge`
/// (or a generated design when `None`) above a QR code leading to
/// `verify_url`, with a `<title>`, `role="img"` and an `aria-label` built from
/// `name` and `issuer`.
pub fn render_badge_svg(
    badge: Option<&DynamicImage>,
    name: &str,
    issuer: &str,
    verify_url: &str,
    size: u32,
) -> Result<String, RenderError> {
    check_size(size)?;
    let qr = QrMatrix::encode(verify_url)?;
    let layout = Layout::new(size, &qr)?;
    let alt = quick_xml::escape::escape(alt_text(name, issuer)).into_owned();
    let mut svg = String::with_capacity(16 * 1024);
    // `write!` into a String cannot fail: the results are ignored below.
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{size}" height="{size}" viewBox="0 0 {size} {size}" role="img" aria-label="{alt}"><title>{alt}</title><rect width="{size}" height="{size}" fill="#ffffff"/>"##
    );
    match badge {
        Some(image) => embed_image(&mut svg, image, &layout)?,
        None => generated_design(&mut svg, name, &layout),
    }
    let side = qr.side;
    let _ = write!(
        svg,
        r##"<g transform="translate({} {}) scale({})"><rect width="{side}" height="{side}" fill="#ffffff"/><path fill="#000000" shape-rendering="crispEdges" d="{}"/></g></svg>"##,
        layout.qr_left,
        layout.qr_top,
        layout.module,
        qr.svg_path()
    );
    Ok(svg)
}

/// A QR code leading to `text`, alone, as an SVG element `size` units
/// square (quiet zone included), with `label` as its text alternative: for
/// pages that show the code inline, such as the printable certificate.
pub fn render_qr_svg(text: &str, label: &str, size: u32) -> Result<String, RenderError> {
    let qr = QrMatrix::encode(text)?;
    let side = qr.side;
    let label = quick_xml::escape::escape(label);
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {side} {side}" role="img" aria-label="{label}"><title>{label}</title><rect width="{side}" height="{side}" fill="#ffffff"/><path fill="#000000" shape-rendering="crispEdges" d="{}"/></svg>"##,
        qr.svg_path()
    ))
}

/// The generated design of a badge without an image (the same disc, ring and
/// star as the rendered cards), alone, as an SVG element `size` units square
/// with `label` as its text alternative.
pub fn render_design_svg(name: &str, label: &str, size: u32) -> String {
    let layout = Layout {
        size,
        badge_left: 0,
        badge_top: 0,
        badge_side: size,
        qr_left: 0,
        qr_top: 0,
        module: 1,
    };
    let label = quick_xml::escape::escape(label);
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}" role="img" aria-label="{label}"><title>{label}</title>"##
    );
    generated_design(&mut svg, name, &layout);
    svg.push_str("</svg>");
    svg
}

/// Appends the badge image, scaled into its box and centred, as a PNG `data:`
/// URI.
fn embed_image(svg: &mut String, image: &DynamicImage, layout: &Layout) -> Result<(), RenderError> {
    let (width, height) = fit(image.width(), image.height(), layout.badge_side);
    let scaled = if (width, height) == (image.width(), image.height()) {
        image.to_rgba8()
    } else {
        image::imageops::thumbnail(&image.to_rgba8(), width, height)
    };
    let png = raw_png_encode(&scaled)?;
    let data = base64::engine::general_purpose::STANDARD.encode(png);
    let x = layout.badge_left + (layout.badge_side - width) / 2;
    let y = layout.badge_top + (layout.badge_side - height) / 2;
    let _ = write!(
        svg,
        r#"<image x="{x}" y="{y}" width="{width}" height="{height}" xlink:href="data:image/png;base64,{data}"/>"#
    );
    Ok(())
}

/// Appends the generated design (disc, ring, star), the same as the PNG's.
fn generated_design(svg: &mut String, name: &str, layout: &Layout) {
    let [r, g, b] = design::colour(name);
    let side = layout.badge_side as f32;
    let centre = side / 2.0;
    let points = design::star_points(side)
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ");
    let _ = write!(
        svg,
        r##"<g transform="translate({} {})"><circle cx="{centre}" cy="{centre}" r="{:.1}" fill="#{r:02x}{g:02x}{b:02x}"/><circle cx="{centre}" cy="{centre}" r="{:.1}" fill="none" stroke="#ffffff" stroke-width="{:.1}"/><polygon points="{points}" fill="#ffffff"/></g>"##,
        layout.badge_left,
        layout.badge_top,
        geometry::DISC * side,
        geometry::RING * side,
        geometry::RING_WIDTH * side,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_is_escaped() {
        let svg = render_badge_svg(None, "<script>&", "\"'issuer", "https://v.example/", 400)
            .expect("renders");
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;&amp;"));
        assert!(svg.contains("&quot;&apos;issuer"));
    }

    #[test]
    fn qr_and_design_alone_are_escaped_svg_elements() {
        let qr = render_qr_svg("https://v.example/verify", "<QR>", 160).expect("renders");
        assert!(qr.starts_with("<svg ") && qr.ends_with("</svg>"));
        assert!(qr.contains("aria-label=\"&lt;QR&gt;\""));
        assert!(qr.contains("<path fill=\"#000000\""));
        let design = render_design_svg("Badge", "Badge « x » & co", 240);
        assert!(design.contains("<polygon") && design.contains("&amp; co"));
    }

    #[test]
    fn badge_image_is_embedded_scaled() {
        let big = DynamicImage::ImageRgba8(image::RgbaImage::new(2000, 1000));
        let svg =
            render_badge_svg(Some(&big), "n", "i", "https://v.example/", 400).expect("renders");
        assert!(svg.contains("xlink:href=\"data:image/png;base64,"));
        assert!(!svg.contains("width=\"2000\""));
    }
}
