//! Badge images through HTTP: uploads by content (PNG, JPEG, SVG), their
//! normalisation to a 512×512 PNG, the limits (size, pixels, unsafe SVG),
//! the public file with its headers, isolation between organisations, and
//! the designer page's file input.

use std::io::Cursor;

use actix_web::http::{header, StatusCode};
use actix_web::test::TestRequest;
use image::{ImageFormat, RgbImage, Rgba, RgbaImage};
use issuer::users::Role;
use serde_json::Value;

use crate::db_test;
use crate::pages::{hidden, location, multipart, Browser};
use crate::support::{Auth, TestApp, TestResponse};

const SLUG: &str = "centre-social";
const EMAIL: &str = "marie@example.fr";

async fn facilitator(app: &TestApp) -> Auth {
    app.create_org(SLUG);
    app.create_user(EMAIL, SLUG, Role::Facilitator);
    let session = app.login(EMAIL).await;
    app.token(&session).await
}

/// POST raw bytes with a declared (possibly wrong) content type.
async fn upload(
    app: &TestApp,
    slug: &str,
    auth: &Auth,
    content_type: &str,
    bytes: Vec<u8>,
) -> TestResponse {
    let mut req = TestRequest::post()
        .uri(&format!("/api/v1/orgs/{slug}/images"))
        .insert_header((header::CONTENT_TYPE, content_type.to_owned()))
        .set_payload(bytes);
    if let Auth::Token(token) = auth {
        req = req.insert_header((header::AUTHORIZATION, format!("Bearer {token}")));
    }
    app.send(req).await
}

/// The path of a published image URL, for the in-process client.
fn path_of(url: &str) -> String {
    let (_, id) = url.split_once("/images/").expect("an image URL");
    format!("/images/{id}")
}

pub(crate) fn png_of(width: u32, height: u32) -> Vec<u8> {
    let picture = RgbaImage::from_pixel(width, height, Rgba([20, 120, 200, 255]));
    let mut bytes = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
        .unwrap();
    bytes
}

fn jpeg_of(width: u32, height: u32) -> Vec<u8> {
    let picture = RgbImage::from_pixel(width, height, image::Rgb([230, 90, 30]));
    let mut bytes = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Jpeg)
        .unwrap();
    bytes
}

/// Fetches a served image and checks it is a 512×512 PNG; returns it.
async fn served_png(app: &TestApp, url: &str) -> RgbaImage {
    let served = app.get(&path_of(url), &Auth::None).await;
    assert_eq!(served.status, StatusCode::OK, "{}", served.text());
    assert_eq!(served.header("content-type").as_deref(), Some("image/png"));
    assert_eq!(
        served.header("cache-control").as_deref(),
        Some("public, max-age=86400, immutable")
    );
    assert_eq!(
        served.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert!(served.header("content-security-policy").is_none());
    let decoded = image::load_from_memory_with_format(&served.body, ImageFormat::Png)
        .unwrap()
        .to_rgba8();
    assert_eq!(decoded.dimensions(), (512, 512));
    decoded
}

async fn png_and_jpeg_become_512_pngs(app: TestApp) {
    let token = facilitator(&app).await;
    // Recognised by content: the declared type is wrong on purpose.
    let resp = upload(
        &app,
        SLUG,
        &token,
        "application/octet-stream",
        png_of(300, 150),
    )
    .await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
    let body = resp.json();
    let id = body["id"].as_str().unwrap();
    let url = body["url"].as_str().unwrap();
    assert_eq!(url, format!("http://127.0.0.1:8080/images/{id}.png"));
    let wide = served_png(&app, url).await;
    // 300×150 fits as 512×256, centred: transparent above and below.
    assert_eq!(wide.get_pixel(256, 10)[3], 0);
    assert_eq!(wide.get_pixel(256, 500)[3], 0);
    assert_eq!(wide.get_pixel(256, 256)[3], 255);
    assert_eq!(wide.get_pixel(2, 256)[3], 255);

    // JPEG in the multipart field `file`, declared as text.
    let (content_type, form) = multipart(
        &[("note", "ignored")],
        Some(("file", "photo.txt", "text/plain", &jpeg_of(120, 240))),
    );
    let resp = upload(&app, SLUG, &token, &content_type, form).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
    let tall = served_png(&app, resp.json()["url"].as_str().unwrap()).await;
    assert_eq!(tall.get_pixel(10, 256)[3], 0);
    assert_eq!(tall.get_pixel(256, 256)[3], 255);

    // The id can be used by an achievement, which publishes the same URL.
    let created = app
        .post(
            &format!("/api/v1/orgs/{SLUG}/achievements"),
            &token,
            serde_json::json!({
                "name": "Démarches", "description": "En ligne",
                "criteria_narrative": "Trois séances", "image_id": id,
            }),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let image = &created.json()["achievement"]["image"];
    assert_eq!(image["id"], url);
    assert_eq!(image["type"], "Image");
    assert_eq!(image["caption"], "Démarches");
    // Unknown ids are 404.
    let missing = app.get("/images/nope.png", &Auth::None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}
db_test!(raster_uploads, png_and_jpeg_become_512_pngs);

/// A standard CRC-32 (PNG chunks), bit by bit: small and obviously right.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
    out
}

/// A 60-byte PNG whose header claims 100000×100000 pixels (40 GB as RGBA).
fn decompression_bomb() -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]); // 8-bit RGBA, no interlace
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    // A valid zlib stream of a few zero bytes: the start of the rows.
    png.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
    ));
    png.extend(chunk(b"IEND", &[]));
    png
}

async fn oversized_and_unknown_uploads_are_refused(app: TestApp) {
    let token = facilitator(&app).await;
    let bomb = decompression_bomb();
    assert!(bomb.len() < 100);
    let resp = upload(&app, SLUG, &token, "image/png", bomb).await;
    assert_eq!(
        resp.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        resp.text()
    );
    assert_eq!(resp.error_code(), "image_too_large");

    let resp = upload(
        &app,
        SLUG,
        &token,
        "image/png",
        vec![0x89; 21 * 1024 * 1024],
    )
    .await;
    assert_eq!(resp.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(resp.error_code(), "image_too_large");

    let resp = upload(
        &app,
        SLUG,
        &token,
        "image/gif",
        b"GIF89a\x01\x00\x01\x00".to_vec(),
    )
    .await;
    assert_eq!(resp.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(resp.error_code(), "image_unsupported_format");

    let mut truncated = png_of(40, 40);
    truncated.truncate(60);
    let resp = upload(&app, SLUG, &token, "image/png", truncated).await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST);
    assert_eq!(resp.error_code(), "image_undecodable");

    let (content_type, form) = multipart(&[("other", "x")], None);
    let resp = upload(&app, SLUG, &token, &content_type, form).await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST);
    assert_eq!(resp.error_code(), "missing_file");
}
db_test!(refused_uploads, oversized_and_unknown_uploads_are_refused);

const SVG_OPEN: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 100">"#;

async fn svg_is_kept_only_when_inert(app: TestApp) {
    let token = facilitator(&app).await;
    let unsafe_svgs = [
        (
            format!("{SVG_OPEN}<script>alert(1)</script></svg>"),
            "script",
        ),
        (
            format!(
                r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol">]>{SVG_OPEN}<text>&lol;</text></svg>"#
            ),
            "entity",
        ),
        (
            format!(r#"{SVG_OPEN}<image href="https://tracker.example/pixel.png"/></svg>"#),
            "external",
        ),
        (
            format!(r#"{SVG_OPEN}<image xlink:href="file:///etc/passwd"/></svg>"#),
            "external",
        ),
        (
            format!(r#"{SVG_OPEN}<rect onclick="x()"/></svg>"#),
            "onclick",
        ),
        (
            format!("{SVG_OPEN}<foreignObject><p>hi</p></foreignObject></svg>"),
            "foreignobject",
        ),
    ];
    for (svg, reason) in unsafe_svgs {
        let resp = upload(
            &app,
            SLUG,
            &token,
            "image/svg+xml",
            svg.clone().into_bytes(),
        )
        .await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST, "{svg}");
        assert_eq!(resp.error_code(), "svg_unsafe", "{svg}");
        let message = resp.json()["message"].as_str().unwrap().to_owned();
        assert!(message.contains(reason), "{svg}: {message}");
    }

    let clean = format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>{SVG_OPEN}<defs><radialGradient id="g"><stop offset="0" stop-color="gold"/></radialGradient></defs><style>circle {{ stroke: url(#g) }}</style><circle cx="50" cy="50" r="40" fill="url(#g)"/><text x="50" y="55">Démarches</text></svg>"##
    );
    let resp = upload(&app, SLUG, &token, "text/plain", clean.clone().into_bytes()).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
    let served = app
        .get(&path_of(resp.json()["url"].as_str().unwrap()), &Auth::None)
        .await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(
        served.header("content-type").as_deref(),
        Some("image/svg+xml")
    );
    assert_eq!(
        served.header("content-security-policy").as_deref(),
        Some("default-src 'none'; style-src 'unsafe-inline'")
    );
    assert_eq!(
        served.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert_eq!(served.body, clean.as_bytes());
}
db_test!(svg_uploads, svg_is_kept_only_when_inert);

async fn uploads_are_confined_to_members(app: TestApp) {
    let token = facilitator(&app).await;
    app.create_org("autre");
    let resp = upload(&app, "autre", &token, "image/png", png_of(10, 10)).await;
    assert_eq!(resp.status, StatusCode::NOT_FOUND, "{}", resp.text());
    let resp = upload(&app, SLUG, &Auth::None, "image/png", png_of(10, 10)).await;
    assert_eq!(resp.status, StatusCode::UNAUTHORIZED);

    // Another organisation's image cannot be put on one's badge.
    app.create_user("paul@autre.fr", "autre", Role::Facilitator);
    let other = app.token(&app.login("paul@autre.fr").await).await;
    let theirs = upload(&app, "autre", &other, "image/png", png_of(10, 10)).await;
    assert_eq!(theirs.status, StatusCode::CREATED);
    let created = app
        .post(
            &format!("/api/v1/orgs/{SLUG}/achievements"),
            &token,
            serde_json::json!({
                "name": "Démarches", "description": "En ligne",
                "criteria_narrative": "Trois séances", "image_id": theirs.json()["id"],
            }),
        )
        .await;
    assert_eq!(created.status, StatusCode::BAD_REQUEST);
    assert_eq!(created.error_code(), "unknown_image");
}
db_test!(image_isolation, uploads_are_confined_to_members);

fn designer_fields(csrf: &str) -> Vec<(&str, &str)> {
    vec![
        ("csrf", csrf),
        ("name", "Faire ses démarches en ligne"),
        ("description", "Sait faire une démarche en ligne."),
        ("criteria", "A participé aux trois séances."),
        ("language", "fr"),
        ("competence", "4.2"),
    ]
}

async fn designer_stores_the_uploaded_image(app: TestApp) {
    app.create_org(SLUG);
    app.create_user(EMAIL, SLUG, Role::Facilitator);
    let mut browser = Browser::default();
    browser.login(&app, EMAIL).await;
    let designer = browser.get(&app, &format!("/app/{SLUG}/badges/new")).await;
    let csrf = hidden(&designer.text(), "csrf");

    // An unsafe SVG: the designer again, with the reason, and nothing stored.
    let svg = format!("{SVG_OPEN}<script>alert(1)</script></svg>");
    let refused = browser
        .post_multipart(
            &app,
            &format!("/app/{SLUG}/badges"),
            &designer_fields(&csrf),
            Some(("image", "badge.svg", "image/svg+xml", svg.as_bytes())),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let html = refused.text();
    assert!(
        html.contains("L&#39;image SVG est refusée") || html.contains("L'image SVG est refusée"),
        "{html}"
    );
    assert!(html.contains("Sait faire une démarche en ligne."));

    // A file over 20 MB: a page in French that keeps what was typed.
    let huge = vec![0xffu8; 21 * 1024 * 1024];
    let refused = browser
        .post_multipart(
            &app,
            &format!("/app/{SLUG}/badges"),
            &designer_fields(&csrf),
            Some(("image", "photo.jpg", "image/jpeg", &huge)),
        )
        .await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    let html = refused.text();
    assert!(html.contains("20 Mo et 4096"), "{html}");
    assert!(html.contains("Sait faire une démarche en ligne."));
    assert!(!html.contains("bytes"), "{html}");

    // A phone photo over 2 MB (noise does not compress) is taken and
    // scaled down.
    let mut seed = 7u32;
    let photo = RgbImage::from_fn(1600, 1200, |_, _| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let [a, b, c, _] = seed.to_le_bytes();
        image::Rgb([a, b, c])
    });
    let mut photo_bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut Cursor::new(&mut photo_bytes), 100)
        .encode_image(&photo)
        .unwrap();
    assert!(photo_bytes.len() > 2 * 1024 * 1024, "{}", photo_bytes.len());
    let taken = browser
        .post_multipart(
            &app,
            &format!("/app/{SLUG}/badges"),
            &designer_fields(&csrf),
            Some(("image", "photo.jpg", "image/jpeg", &photo_bytes)),
        )
        .await;
    assert_eq!(taken.status, StatusCode::SEE_OTHER, "{}", taken.text());

    let created = browser
        .post_multipart(
            &app,
            &format!("/app/{SLUG}/badges"),
            &designer_fields(&csrf),
            Some(("image", "badge.png", "image/png", &png_of(64, 64))),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
    let badge_path = location(&created);
    let achievement_id = badge_path
        .split('?')
        .next()
        .and_then(|p| p.rsplit('/').next())
        .unwrap()
        .to_owned();
    let session = app.login(EMAIL).await;
    let view = app
        .get(
            &format!("/api/v1/orgs/{SLUG}/achievements/{achievement_id}"),
            &session,
        )
        .await;
    assert_eq!(view.status, StatusCode::OK, "{}", view.text());
    let view: Value = view.json();
    let url = view["achievement"]["image"]["id"]
        .as_str()
        .expect("an image")
        .to_owned();
    assert!(url.ends_with(".png"));
    served_png(&app, &url).await;
    // The public Achievement document publishes the same URL, and the badge
    // page shows it.
    let version_id = view["version_id"].as_str().unwrap();
    let public = app
        .get(&format!("/achievements/{version_id}"), &Auth::None)
        .await;
    assert_eq!(public.json()["image"]["id"], url.as_str());
    let page = browser.get(&app, &badge_path).await;
    assert!(page.text().contains(&url));
    // Two images stored (the photo's badge and this one): the refused
    // uploads left nothing behind.
    assert_eq!(stored_images(&app), 2);

    // A good image with a bad field: the form again, and the image is not
    // kept (one transaction).
    let mut bad = designer_fields(&csrf);
    bad[1] = ("name", "");
    let refused = browser
        .post_multipart(
            &app,
            &format!("/app/{SLUG}/badges"),
            &bad,
            Some(("image", "badge.jpg", "image/jpeg", &jpeg_of(50, 50))),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(stored_images(&app), 2);
}
db_test!(designer_image, designer_stores_the_uploaded_image);

fn stored_images(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    app.state
        .db
        .run_blocking(|conn| {
            Ok::<i64, issuer::error::ApiError>(
                issuer::db::schema::images::table.count().get_result(conn)?,
            )
        })
        .unwrap()
}
