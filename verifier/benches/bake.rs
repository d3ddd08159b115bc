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

#[path = "../tests/it/sample_credential.rs"]
mod sample_credential;

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

fn bench(c: &mut Criterion) {
    let image = badge_png();
    let credential = sample_credential::realistic_size();
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
