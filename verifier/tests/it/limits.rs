//! What no request may do to the verifier service (issue 16): crash it or hold
//! it up with a credential crafted to make canonicalisation explode.

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use base64::Engine as _;
use chrono::Duration;
use serde_json::{json, Value};
use verifier::service::{app, AppState};

use crate::service::{config, json_post, offline_credential, rfc3339, send, Issuer, ServeProcess};

/// A credential whose subject holds `nodes` blank nodes linked in a ring, with an
/// inline context defining `p`, and a well-formed `eddsa-rdfc-2022` proof by
/// `issuer` (taken from another credential: no valid signature is needed to make
/// the verifier canonicalise). Every blank node has the same first-degree hash, so
/// RDFC-1.0's N-degree step follows the whole ring.
pub(crate) fn ring_credential(issuer: &Issuer, nodes: usize) -> Value {
    let ring: Vec<Value> = (0..nodes)
        .map(|i| json!({"@id": format!("_:{i}"), "p": {"@id": format!("_:{}", (i + 1) % nodes)}}))
        .collect();
    let proof = issuer.sign(&offline_credential(issuer))["proof"].clone();
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", {"p": "https://example.org/p"}],
        "type": ["VerifiableCredential"],
        "issuer": issuer.did,
        "validFrom": rfc3339(-Duration::days(1)),
        "credentialSubject": {"id": "did:example:holder", "p": ring},
        "proof": proof,
    })
}

fn codes(report: &Value) -> Vec<String> {
    report["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|check| check["code"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn a_ring_of_two_thousand_blank_nodes_gets_a_verdict_and_the_service_stays_up() {
    // Before the bounded canonicalisation, this one anonymous POST overflowed a
    // thread's stack and aborted the whole process.
    let server = ServeProcess::start();
    let issuer = Issuer::new();
    let ring = ring_credential(&issuer, 2000).to_string();
    assert!(ring.len() > 60_000, "{} bytes", ring.len());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let post = |body: String| {
        let answer = agent
            .post(&format!("{}/verify", server.base))
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .send(body)
            .expect("the service answers");
        assert_eq!(answer.status().as_u16(), 200);
        let text = answer.into_body().read_to_string().expect("read");
        serde_json::from_str::<Value>(&text).expect("JSON")
    };
    let report = post(ring);
    assert_eq!(report["verified"], false, "{report}");
    assert!(
        codes(&report).contains(&"proof.too_complex".to_owned()),
        "{report}"
    );
    let health = agent
        .get(&format!("{}/healthz", server.base))
        .call()
        .expect("still up");
    assert_eq!(health.status().as_u16(), 200);
    let genuine = post(offline_credential(&issuer).to_string());
    assert_eq!(genuine["verified"], true, "{genuine}");
    let log = server.stop();
    assert!(
        !log.contains("overflow") && !log.contains("panicked"),
        "{log}"
    );
}

#[actix_web::test]
async fn a_ring_small_enough_for_the_request_thread_is_refused_as_too_complex() {
    // 420 nodes fit under the 16 KiB verified on the request's own thread; it held
    // the worker for 1.4 s of CPU. The direct path declines it, the general path runs
    // on the blocking pool and stops at its depth bound.
    let service = test::init_service(app(AppState::new(config(false)))).await;
    let ring = ring_credential(&Issuer::new(), 420).to_string();
    assert!(ring.len() < 16 * 1024, "{} bytes", ring.len());
    let answer = send(&service, json_post("/verify", ring).to_request()).await;
    assert_eq!(answer.status, StatusCode::OK);
    let report = answer.json();
    assert_eq!(report["verified"], false, "{report}");
    assert_eq!(report["authentic"], false, "{report}");
    assert!(
        codes(&report).contains(&"proof.too_complex".to_owned()),
        "{report}"
    );
    let health = send(&service, TestRequest::get().uri("/healthz").to_request()).await;
    assert_eq!(health.status, StatusCode::OK);
}

#[actix_web::test]
async fn a_credential_outside_the_direct_path_still_verifies() {
    // An inline context makes the direct path decline: the request's thread gives
    // the work to the blocking pool, whose general path gives the same verdict as
    // before.
    let service = test::init_service(app(AppState::new(config(false)))).await;
    let issuer = Issuer::new();
    let mut unsigned =
        crate::service::credential(&issuer, "urn:uuid:8c3e0a52-7d61-4f0e-b8a4-2f9d3c1e5a77");
    unsigned["@context"]
        .as_array_mut()
        .expect("contexts")
        .push(json!({"atelier": "https://example.org/vocab#atelier"}));
    unsigned["credentialSubject"]["atelier"] = json!("Atelier numérique");
    let signed = issuer.sign(&unsigned);
    let report = send(
        &service,
        json_post("/verify", signed.to_string()).to_request(),
    )
    .await
    .json();
    assert_eq!(report["verified"], true, "{report}");
    let mut tampered = signed;
    tampered["credentialSubject"]["atelier"] = json!("Autre atelier");
    let report = send(
        &service,
        json_post("/verify", tampered.to_string()).to_request(),
    )
    .await
    .json();
    assert!(
        codes(&report).contains(&"proof.signature_invalid".to_owned()),
        "{report}"
    );
}

#[actix_web::test]
async fn a_credential_with_more_than_eight_proofs_is_not_checked_proof_by_proof() {
    let service = test::init_service(app(AppState::new(config(false)))).await;
    let issuer = Issuer::new();
    let mut signed = issuer.sign(&offline_credential(&issuer));
    let proof = signed["proof"].clone();
    signed["proof"] = Value::Array(vec![proof; 9]);
    let report = send(
        &service,
        json_post("/verify", signed.to_string()).to_request(),
    )
    .await
    .json();
    assert_eq!(report["verified"], false, "{report}");
    assert!(
        codes(&report).contains(&"proof.too_complex".to_owned()),
        "{report}"
    );
}

/// A `side` x `side` RGBA PNG at 16 bits per channel, every pixel `rgba16`,
/// written without compressing `side * side * 8` bytes: a band of rows is
/// deflated with a full flush (a self-contained block) and the block repeated.
/// 4096 gives a file of about 200 KB that decodes to 128 MiB (the 130 KB one of
/// issue 16 was deflated harder).
pub(crate) fn uniform_png16(side: u32, rgba16: [u16; 4]) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    const BAND: u32 = 16;
    assert_eq!(side % BAND, 0);
    let mut row = vec![0u8];
    for _ in 0..side {
        for channel in rgba16 {
            row.extend_from_slice(&channel.to_be_bytes());
        }
    }
    let band = row.repeat(BAND as usize);
    let mut block = Vec::with_capacity(band.len());
    Compress::new(Compression::best(), false)
        .compress_vec(&band, &mut block, FlushCompress::Full)
        .expect("deflates");
    let mut zlib = vec![0x78, 0x01];
    for _ in 0..side / BAND {
        zlib.extend_from_slice(&block);
    }
    zlib.extend_from_slice(&[0x03, 0x00]); // a final, empty, fixed-Huffman block
    let (mut a, mut b) = (1u32, 0u32);
    for _ in 0..side {
        for &byte in &row {
            a = (a + u32::from(byte)) % 65_521;
            b = (b + a) % 65_521;
        }
    }
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        png.extend_from_slice(&u32::try_from(data.len()).expect("fits").to_be_bytes());
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        png.extend_from_slice(&crc.finalize().to_be_bytes());
    };
    let mut header = Vec::new();
    header.extend_from_slice(&side.to_be_bytes());
    header.extend_from_slice(&side.to_be_bytes());
    header.extend_from_slice(&[16, 6, 0, 0, 0]); // 16 bits, RGBA, not interlaced
    chunk(b"IHDR", &header);
    chunk(b"IDAT", &zlib);
    chunk(b"IEND", &[]);
    png
}

#[test]
fn a_large_16_bit_badge_image_is_decoded_to_the_size_it_is_drawn_at() {
    // 2048 x 2048 RGBA at 16 bits: 32 MiB of pixels, shrunk while read to
    // 2048 / 3 = 683 pixels a side, 1.8 MB of RGBA8.
    let png = uniform_png16(2048, [0x1234, 0x8000, 0xffff, 0xffff]);
    let image = verifier::render::decode_badge_image(&png, 600).expect("decodes");
    assert_eq!((image.width(), image.height()), (683, 683));
    let rgba = image.as_rgba8().expect("RGBA8");
    assert_eq!(rgba.get_pixel(341, 682).0, [0x12, 0x80, 0xff, 0xff]);
}

#[test]
fn a_huge_16_bit_badge_image_is_refused_from_its_header() {
    // 4096 x 4096 RGBA at 16 bits: 128 MiB of pixels from about 200 KB, which
    // decoded whole and was copied several times (398 MB for one bake).
    let png = uniform_png16(4096, [0, 0, 0xffff, 0xffff]);
    assert!(png.len() < 300_000, "{} bytes", png.len());
    assert!(matches!(
        verifier::render::decode_badge_image(&png, 600),
        Err(verifier::render::RenderError::ImageLimits)
    ));
}

/// A signed credential whose achievement image is `png` as a `data:` URI.
fn credential_with_image(issuer: &Issuer, png: &[u8]) -> String {
    let mut unsigned =
        crate::service::credential(issuer, "urn:uuid:0d2b7c1e-9a44-4c3f-8e21-5b6f7a8c9d10");
    unsigned["credentialSubject"]["achievement"]["image"] = json!({
        "id": format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(png)
        ),
        "type": "Image"
    });
    issuer.sign(&unsigned).to_string()
}

/// The baked card of `credential`, and how many of its pixels are opaque blue.
async fn bake_and_count_blue(credential: String) -> usize {
    let service = test::init_service(app(AppState::new(config(false)))).await;
    let answer = send(
        &service,
        TestRequest::post()
            .uri("/bake?format=png")
            .set_payload(credential)
            .to_request(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    let card = image::load_from_memory(&answer.body)
        .expect("a PNG")
        .to_rgba8();
    assert_eq!(card.dimensions(), (600, 600));
    card.pixels().filter(|p| p.0 == [0, 0, 255, 255]).count()
}

#[actix_web::test]
async fn a_bake_draws_a_large_data_image_and_replaces_a_huge_one_by_the_design() {
    let issuer = Issuer::new();
    let large = credential_with_image(&issuer, &uniform_png16(2048, [0, 0, 0xffff, 0xffff]));
    let blue = bake_and_count_blue(large).await;
    assert!(blue > 10_000, "the image is drawn: {blue} blue pixels");
    let huge = credential_with_image(&issuer, &uniform_png16(4096, [0, 0, 0xffff, 0xffff]));
    let blue = bake_and_count_blue(huge).await;
    assert!(
        blue < 100,
        "the generated design instead: {blue} blue pixels"
    );
}

#[actix_web::test]
async fn bakes_beyond_the_concurrent_limit_get_503_with_retry_after_in_each_language() {
    let state = AppState::new(config(false));
    let held: Vec<_> = (0..verifier::service::MAX_CONCURRENT_BAKES)
        .map(|_| state.bakes.try_take().expect("a free slot"))
        .collect();
    let service = test::init_service(app(state.clone())).await;
    let signed = offline_credential(&Issuer::new()).to_string();
    let busy = send(
        &service,
        json_post("/bake?format=png", signed.clone()).to_request(),
    )
    .await;
    busy.assert_problem(StatusCode::SERVICE_UNAVAILABLE, "busy");
    assert_eq!(busy.header(actix_web::http::header::RETRY_AFTER), "2");
    for (lang, words) in [
        ("fr", "Réessayez dans quelques secondes"),
        ("en", "Try again in a few seconds"),
    ] {
        let page = send(
            &service,
            TestRequest::post()
                .uri(&format!("/bake?format=png&lang={lang}"))
                .insert_header((actix_web::http::header::ACCEPT, "text/html"))
                .set_payload(signed.clone())
                .to_request(),
        )
        .await;
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(page.readable().contains(words), "{lang}: {}", page.text());
    }
    drop(held);
    let baked = send(&service, json_post("/bake?format=png", signed).to_request()).await;
    assert_eq!(baked.status, StatusCode::OK);
}

#[actix_web::test]
async fn a_huge_inline_context_is_refused_as_too_complex() {
    // 64 distinct inline contexts of 1.8 MB each kept 0.85 GB resident in the
    // context cache; now a context over 16 KiB is refused before processing.
    let service = test::init_service(app(AppState::new(config(false)))).await;
    let issuer = Issuer::new();
    let terms: serde_json::Map<String, Value> = (0..40_000)
        .map(|i| {
            (
                format!("t{i}"),
                json!(format!("https://example.org/vocab/{i}")),
            )
        })
        .collect();
    let mut credential = issuer.sign(&offline_credential(&issuer));
    credential["@context"]
        .as_array_mut()
        .expect("contexts")
        .push(Value::Object(terms));
    let body = credential.to_string();
    assert!(body.len() > 1_500_000, "{} bytes", body.len());
    let report = send(&service, json_post("/verify", body).to_request())
        .await
        .json();
    assert_eq!(report["verified"], false, "{report}");
    assert!(
        codes(&report).contains(&"proof.too_complex".to_owned()),
        "{report}"
    );
}

#[actix_web::test]
async fn a_body_that_trickles_in_is_answered_408_in_each_language() {
    use actix_web::dev::Payload;
    use actix_web::error::PayloadError;
    use actix_web::web::Bytes;
    use futures_util::stream::{self, StreamExt as _};

    let mut config = config(false);
    config.body_read_timeout = std::time::Duration::from_millis(300);
    let service = test::init_service(app(AppState::new(config))).await;
    // A few bytes, then nothing, for ever: a sender at a few bytes a second.
    let trickle = || {
        let stream = stream::once(async { Ok::<_, PayloadError>(Bytes::from_static(b"{\"@c")) })
            .chain(stream::pending());
        let boxed: std::pin::Pin<
            Box<dyn futures_util::Stream<Item = Result<Bytes, PayloadError>>>,
        > = Box::pin(stream);
        Payload::from(boxed)
    };
    for (path, accept) in [
        ("/verify", "application/json"),
        ("/bake?format=png", "application/json"),
        ("/verify?lang=en", "text/html"),
        ("/verify", "text/html"),
    ] {
        let request = TestRequest::post()
            .uri(path)
            .insert_header((actix_web::http::header::ACCEPT, accept))
            .to_request();
        let (request, _) = request.replace_payload(trickle());
        let answer = send(&service, request).await;
        assert_eq!(answer.status, StatusCode::REQUEST_TIMEOUT, "{path}");
        if accept == "application/json" {
            answer.assert_problem(StatusCode::REQUEST_TIMEOUT, "body_timeout");
        } else if path.contains("lang=en") {
            assert!(answer.readable().contains("took too long to arrive"));
        } else {
            assert!(answer.readable().contains("trop de temps à arriver"));
        }
    }
}

#[test]
fn the_cli_exits_without_a_panic_when_its_reader_goes_away() {
    // `verifier verify --json ... | head -c 0`: the read end is closed before
    // the child writes a byte, so its write fails with a broken pipe.
    let issuer = Issuer::new();
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("credential.json");
    std::fs::write(&path, offline_credential(&issuer).to_string()).expect("written");
    for json in [true, false] {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_verifier"));
        command.arg("verify");
        if json {
            command.arg("--json");
        }
        let output = command
            .arg(&path)
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(
            output.status.code(),
            Some(0),
            "verified, json {json}: {stderr}"
        );
    }
}
