//! Rendering a 600 x 600 badge card with its QR code against a bare PNG
//! encode of the same pixels with the same compression setting, and
//! rendering then baking a ~3 kB credential into it (what `/bake` does
//! after verification).
//!
//! The target (docs/BENCHMARKS.md) is a render-and-bake rate of at least
//! 70 % of the raw encode rate: composing the card and baking it must cost
//! little next to encoding it.
//! Run with `cargo bench -p verifier --bench render`.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use image::{DynamicImage, Rgba, RgbaImage};
use verifier::bake::bake_png;
use verifier::render::{raw_png_encode, render_badge_png};

#[path = "../tests/it/sample_credential.rs"]
mod sample_credential;

const SIZE: u32 = 600;
const VERIFY_URL: &str =
    "https://verifier.example.fr/verify?url=https%3A%2F%2Fissuer.example.fr%2Fcredentials%2F0193f1c2";

/// A typical issuer image: 512 x 512 with smooth shading and a transparent
/// border, as badge artwork usually is.
fn badge_image() -> DynamicImage {
    DynamicImage::ImageRgba8(RgbaImage::from_fn(512, 512, |x, y| {
        let (dx, dy) = (x as i32 - 256, y as i32 - 256);
        if dx * dx + dy * dy > 250 * 250 {
            Rgba([0, 0, 0, 0])
        } else {
            Rgba([(x / 2) as u8, (y / 2) as u8, 160, 255])
        }
    }))
}

fn bench(c: &mut Criterion) {
    let badge = badge_image();
    let credential = sample_credential::realistic_size();
    for (label, image) in [("generated", None), ("image", Some(&badge))] {
        // The exact pixels `render_badge_png` encodes, for the raw baseline.
        let rendered = render_badge_png(image, "Médiation numérique", "Réseau", VERIFY_URL, SIZE)
            .expect("renders");
        let canvas = image::load_from_memory(&rendered)
            .expect("decodes")
            .to_rgba8();
        let mut group = c.benchmark_group(format!("badge_600_{label}"));
        group.throughput(Throughput::Elements(1));
        group.bench_function("render_badge_png", |b| {
            b.iter(|| {
                render_badge_png(
                    black_box(image),
                    "Médiation numérique",
                    "Réseau",
                    VERIFY_URL,
                    SIZE,
                )
            })
        });
        group.bench_function("render_and_bake_png", |b| {
            b.iter(|| {
                let png = render_badge_png(
                    black_box(image),
                    "Médiation numérique",
                    "Réseau",
                    VERIFY_URL,
                    SIZE,
                )
                .expect("renders");
                bake_png(&png, black_box(&credential)).expect("bakes")
            })
        });
        group.bench_function("raw_png_encode", |b| {
            b.iter(|| raw_png_encode(black_box(&canvas)))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
