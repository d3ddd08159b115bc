//! A deterministic fuzz-like test: thousands of mutations of valid inputs
//! (baked PNG and SVG, JSON, JWS) go through `detect` and the bakers, which
//! must answer without panicking. PNG mutants also get their CRCs repaired,
//! so that the mutations reach the text chunk parser behind the CRC check.

use verifier::bake::{bake_png, bake_svg, unbake_png, unbake_svg};
use verifier::input::detect;

use crate::samples::{
    assemble, chunks, insert_before, itxt, jws, png, text_chunk, zlib, JSON_CREDENTIAL, OB2_URL,
    SVG,
};

/// Mutations per seed input.
const ROUNDS: usize = 600;

/// xorshift64*: deterministic, so that a failure replays.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}

/// Applies one to four random edits.
fn mutate(input: &[u8], random: &mut Random) -> Vec<u8> {
    const INTERESTING: &[&[u8]] = &[
        b"\0",
        b"<",
        b"]]>",
        b"{",
        b"[",
        b".",
        b"\"",
        b"&lt;",
        b"<!DOCTYPE",
        b"\xff",
    ];
    let mut bytes = input.to_vec();
    for _ in 0..=random.below(4) {
        let at = random.below(bytes.len() + 1);
        match random.below(6) {
            0 if at < bytes.len() => bytes[at] ^= 1 << random.below(8),
            1 if at < bytes.len() => bytes[at] = random.next() as u8,
            2 => {
                let end = (at + random.below(16)).min(bytes.len());
                bytes.drain(at..end);
            }
            3 => {
                let token = INTERESTING[random.below(INTERESTING.len())];
                bytes.splice(at..at, token.iter().copied());
            }
            4 => bytes.truncate(at),
            _ => {
                let end = (at + random.below(32)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(at..at, copy);
            }
        }
    }
    bytes
}

/// Recomputes the CRCs of a PNG whose chunk framing survived the mutation.
fn repair_crcs(png: &[u8]) -> Option<Vec<u8>> {
    let mut position = 8;
    while position + 12 <= png.len() {
        let length = u32::from_be_bytes(png[position..position + 4].try_into().ok()?) as usize;
        position = position.checked_add(12 + length)?;
    }
    (position == png.len() && png.len() >= 8).then(|| {
        let mut repaired = png[..8].to_vec();
        repaired.extend_from_slice(&assemble(&chunks(png))[8..]);
        repaired
    })
}

fn seeds() -> Vec<Vec<u8>> {
    let image = png(5, 5);
    let compressed = insert_before(
        &image,
        b"IDAT",
        b"iTXt",
        &itxt("openbadgecredential", &zlib(jws().as_bytes()), true),
    );
    let ob2 = insert_before(&image, b"IDAT", b"tEXt", &text_chunk("openbadges", OB2_URL));
    vec![
        bake_png(&image, JSON_CREDENTIAL).expect("bake"),
        bake_png(&image, &jws()).expect("bake"),
        compressed,
        ob2,
        bake_svg(SVG, JSON_CREDENTIAL).expect("bake").into_bytes(),
        bake_svg(SVG, &jws()).expect("bake").into_bytes(),
        JSON_CREDENTIAL.as_bytes().to_vec(),
        jws().into_bytes(),
        OB2_URL.as_bytes().to_vec(),
    ]
}

#[test]
fn mutated_inputs_never_panic() {
    let mut random = Random(0x0B3_BAD6E5);
    let (mut accepted, mut refused) = (0, 0);
    for seed in seeds() {
        for _ in 0..ROUNDS {
            let mutant = mutate(&seed, &mut random);
            let candidates = match repair_crcs(&mutant) {
                Some(repaired) if seed.starts_with(b"\x89PNG") => vec![mutant, repaired],
                _ => vec![mutant],
            };
            for input in candidates {
                match detect(&input) {
                    Ok(_) => accepted += 1,
                    Err(error) => {
                        assert!(!error.to_string().is_empty());
                        refused += 1;
                    }
                }
                let _ = unbake_png(&input);
                let _ = unbake_svg(&input);
                let _ = bake_png(&input, JSON_CREDENTIAL);
                if let Ok(text) = std::str::from_utf8(&input) {
                    let _ = bake_svg(text, &jws());
                }
            }
        }
    }
    // Both outcomes occur: the mutations neither all break nor all spare.
    assert!(accepted > 100, "accepted {accepted}");
    assert!(refused > 100, "refused {refused}");
}
