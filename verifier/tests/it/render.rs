//! Rendered badge cards: the PNG decodes at the requested size and its QR code
//! reads back as the verification URL; the SVG is well-formed XML with a text
//! alternative; hostile input images are refused.

use std::time::{Duration, Instant};

use image::{DynamicImage, GenericImageView, Rgba, RgbaImage};
use quick_xml::events::Event;
use verifier::render::{
    decode_badge_image, raw_png_encode, render_badge_png, render_badge_svg, RenderError,
};

const VERIFY_URL: &str =
    "https://verifier.example.fr/verify?url=https%3A%2F%2Fissuer.example.fr%2Fcredentials%2F0193f1c2";

/// Reads every QR code in a decoded image.
fn read_qr_codes(image: &DynamicImage) -> Vec<String> {
    let luma = image.to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        luma.width() as usize,
        luma.height() as usize,
        |x, y| luma.get_pixel(x as u32, y as u32)[0],
    );
    prepared
        .detect_grids()
        .iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

/// A photo-like badge image: a colour gradient, the hardest case for PNG.
fn gradient(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgba8(RgbaImage::from_fn(width, height, |x, y| {
        Rgba([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8, 255])
    }))
}

#[test]
fn png_without_image_decodes_at_size_and_its_qr_code_reads_back() {
    let png =
        render_badge_png(None, "Accueil numérique", "Réseau", VERIFY_URL, 600).expect("renders");
    let image = image::load_from_memory(&png).expect("decodes");
    assert_eq!(image.dimensions(), (600, 600));
    assert_eq!(read_qr_codes(&image), vec![VERIFY_URL.to_owned()]);
}

#[test]
fn png_with_image_decodes_at_size_and_its_qr_code_reads_back() {
    for size in [300, 600, 1000] {
        let badge = gradient(800, 500);
        let png =
            render_badge_png(Some(&badge), "Badge", "Réseau", VERIFY_URL, size).expect("renders");
        let image = image::load_from_memory(&png).expect("decodes");
        assert_eq!(image.dimensions(), (size, size));
        assert_eq!(
            read_qr_codes(&image),
            vec![VERIFY_URL.to_owned()],
            "size {size}"
        );
    }
}

#[test]
fn png_refuses_sizes_out_of_range() {
    assert!(matches!(
        render_badge_png(None, "n", "i", VERIFY_URL, 50),
        Err(RenderError::Size(50))
    ));
    assert!(matches!(
        render_badge_svg(None, "n", "i", VERIFY_URL, 1_000_000),
        Err(RenderError::Size(_))
    ));
}

/// Parses `svg` as XML, returning the root's attributes and the `<title>`
/// text; fails on any syntax error or on a DOCTYPE.
fn parse_svg(svg: &str) -> (Vec<(String, String)>, String) {
    let mut reader = quick_xml::Reader::from_str(svg);
    reader.config_mut().check_end_names = true;
    let (mut root, mut title, mut in_title, mut depth) = (Vec::new(), String::new(), false, 0);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                if depth == 0 {
                    assert_eq!(e.name().as_ref(), b"svg");
                    root = e
                        .attributes()
                        .map(|a| {
                            let a = a.expect("valid attribute");
                            let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
                            (key, a.unescape_value().expect("escaped").into_owned())
                        })
                        .collect();
                }
                in_title = e.name().as_ref() == b"title";
                depth += 1;
            }
            Event::End(_) => {
                in_title = false;
                depth -= 1;
            }
            Event::Text(t) if in_title => title.push_str(&t.unescape().expect("escaped")),
            Event::DocType(_) => panic!("no DOCTYPE allowed"),
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "every element is closed");
    (root, title)
}

#[test]
fn svg_is_well_formed_with_title_and_aria_label() {
    for badge in [None, Some(gradient(64, 64))] {
        let svg = render_badge_svg(
            badge.as_ref(),
            "Médiation & co",
            "Réseau <42>",
            VERIFY_URL,
            600,
        )
        .expect("renders");
        let (root, title) = parse_svg(&svg);
        let attribute = |name: &str| {
            root.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        assert_eq!(attribute("role"), "img");
        assert_eq!(title, "Badge « Médiation & co » délivré par Réseau <42>");
        assert_eq!(attribute("aria-label"), title);
        assert_eq!(attribute("viewBox"), "0 0 600 600");
        assert!(
            svg.contains("<path fill=\"#000000\""),
            "the QR code is drawn"
        );
    }
}

/// A PNG signature and IHDR chunk claiming `width` x `height` RGBA pixels,
/// with a valid CRC, followed by a tiny IDAT and IEND.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32fast::hash(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

#[test]
fn huge_dimension_png_is_refused_fast() {
    let bomb = png_header(100_000, 100_000);
    let started = Instant::now();
    let result = decode_badge_image(&bomb, 600);
    assert!(
        matches!(result, Err(RenderError::ImageLimits)),
        "{result:?}"
    );
    assert!(started.elapsed() < Duration::from_millis(500));
}

#[test]
fn just_over_the_dimension_limit_is_refused_and_at_it_accepted_header() {
    assert!(matches!(
        decode_badge_image(&png_header(4097, 1), 600),
        Err(RenderError::ImageLimits)
    ));
    // At the limit the header passes and the (truncated) data is what fails.
    assert!(matches!(
        decode_badge_image(&png_header(4096, 1), 600),
        Err(RenderError::ImageDecode(_))
    ));
}

#[test]
fn a_real_png_round_trips_through_decode() {
    let png = raw_png_encode(&gradient(300, 200).to_rgba8()).expect("encodes");
    let image = decode_badge_image(&png, 600).expect("decodes");
    assert_eq!(image.dimensions(), (300, 200));
}
