//! Baking a credential into a 600 x 600 PNG badge and reading it back.
//!
//! Baking copies every chunk and checks every CRC, so its cost grows with
//! the image, not the credential: this measures it on the card size the
//! verifier renders. Run with `cargo bench -p verifier --bench bake`.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use image::codecs::png::PngEncoder;
use image::{ImageEncoder, Rgba, RgbaImage};
use verifier::bake::{bake_png, unbake_png};
use verifier::input::detect;

const SIZE: u32 = 600;

/// A 600 x 600 PNG with shading and some noise, encoded by the image
/// crate: noise keeps the file near the size of a photographic badge
/// (hundreds of kilobytes), where the cost of copying and checking lies.
fn badge_png() -> Vec<u8> {
    let mut state = 0x2545_F491_u32;
    let pixels = RgbaImage::from_fn(SIZE, SIZE, |x, y| {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let noise = (state >> 28) as u8;
        Rgba([
            (x / 3) as u8 ^ noise,
            (y / 3) as u8,
            ((x + y) / 5) as u8,
            255,
        ])
    });
    let mut bytes = Vec::new();
    PngEncoder::new(&mut bytes)
        .write_image(pixels.as_raw(), SIZE, SIZE, image::ExtendedColorType::Rgba8)
        .expect("encodes");
    bytes
}

/// A credential of a realistic size (about 3 kB, as a signed one is).
fn credential() -> String {
    serde_json::json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "id": "urn:uuid:0193f1c2-7a8b-7c9d-8e0f-123456789abc",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://issuer.example.fr/profiles/1", "type": ["Profile"], "name": "Réseau"},
        "validFrom": "2025-01-15T10:00:00Z",
        "name": "Médiation numérique",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://issuer.example.fr/achievements/7",
                "type": ["Achievement"],
                "name": "Envoyer un courriel",
                "description": "x".repeat(2000),
                "criteria": {"narrative": "A envoyé un courriel avec une pièce jointe."}
            }
        },
        "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofValue": "z".repeat(88)}
    })
    .to_string()
}

fn bench(c: &mut Criterion) {
    let image = badge_png();
    let credential = credential();
    let baked = bake_png(&image, &credential).expect("bakes");
    assert!(unbake_png(&baked).expect("unbakes").is_some());
    println!(
        "image: {} bytes, credential: {} bytes",
        image.len(),
        credential.len()
    );
    let mut group = c.benchmark_group("bake_png_600");
    group.throughput(Throughput::Bytes(image.len() as u64));
    group.bench_function("bake", |b| {
        b.iter(|| bake_png(black_box(&image), black_box(&credential)))
    });
    group.bench_function("unbake", |b| b.iter(|| unbake_png(black_box(&baked))));
    group.bench_function("bake_then_unbake", |b| {
        b.iter(|| {
            let baked = bake_png(black_box(&image), black_box(&credential)).expect("bakes");
            unbake_png(&baked)
        })
    });
    group.bench_function("detect", |b| b.iter(|| detect(black_box(&baked))));
    // The floor: one CRC-32 pass over the file, which unbaking must make.
    group.bench_function("crc32_baseline", |b| {
        b.iter(|| crc32fast::hash(black_box(&baked)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
