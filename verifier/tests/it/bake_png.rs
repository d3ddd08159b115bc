//! PNG baking: round trips, replacement, the image still decoding to the same
//! pixels, foreign placements and encodings of the chunk, and hostile files
//! (truncated, corrupt, decompression bombs).

use std::time::{Duration, Instant};

use verifier::bake::{
    bake_png, unbake_png, BakeError, ImageFormat, Unbaked, MAX_CREDENTIAL_BYTES, MAX_IMAGE_BYTES,
    OB2_PNG_KEYWORD, OB3_PNG_KEYWORD,
};

use crate::sample_credential::realistic_size;
use crate::samples::{
    chunks, decode_png, insert_before, itxt, jws, png, text_chunk, text_chunks_with_keyword, zlib,
    zlib_bomb, JSON_CREDENTIAL, OB2_URL,
};

fn ob3(text: &str) -> Option<Unbaked> {
    Some(Unbaked::OpenBadges3(text.to_owned()))
}

#[test]
fn json_and_jws_round_trip() {
    let image = png(24, 16);
    for credential in [JSON_CREDENTIAL.to_owned(), jws()] {
        let baked = bake_png(&image, &credential).expect("bake");
        assert_eq!(unbake_png(&baked).expect("unbake"), ob3(&credential));
    }
}

/// The credential the `bake` and `render` benches bake: about as large as a
/// signed one, and carried unchanged.
#[test]
fn the_benches_credential_is_realistic_and_round_trips() {
    let credential = realistic_size();
    assert!(
        (2_500..4_000).contains(&credential.len()),
        "{} bytes",
        credential.len()
    );
    let baked = bake_png(&png(24, 16), &credential).expect("bake");
    assert_eq!(unbake_png(&baked).expect("unbake"), ob3(&credential));
}

#[test]
fn unbaked_image_carries_nothing() {
    assert_eq!(unbake_png(&png(4, 4)).expect("unbake"), None);
}

#[test]
fn chunk_is_one_uncompressed_itxt_before_the_first_idat() {
    let baked = bake_png(&png(8, 8), JSON_CREDENTIAL).expect("bake");
    let list = chunks(&baked);
    assert_eq!(&list[0].0, b"IHDR");
    let badge = list
        .iter()
        .position(|(kind, data)| kind == b"iTXt" && data.starts_with(b"openbadgecredential\0"))
        .expect("the badge chunk");
    let first_idat = list
        .iter()
        .position(|(kind, _)| kind == b"IDAT")
        .expect("IDAT");
    assert_eq!(badge + 1, first_idat);
    let mut expected = b"openbadgecredential\0\0\0\0\0".to_vec();
    expected.extend_from_slice(JSON_CREDENTIAL.as_bytes());
    assert_eq!(list[badge].1, expected);
    assert_eq!(text_chunks_with_keyword(&baked, OB3_PNG_KEYWORD).len(), 1);
}

#[test]
fn baked_image_decodes_to_the_same_pixels() {
    let image = png(40, 30);
    let baked = bake_png(&image, &jws()).expect("bake");
    assert_eq!(decode_png(&baked), decode_png(&image));
}

#[test]
fn baking_twice_replaces_the_credential() {
    let once = bake_png(&png(8, 8), JSON_CREDENTIAL).expect("bake");
    let twice = bake_png(&once, &jws()).expect("bake again");
    assert_eq!(text_chunks_with_keyword(&twice, OB3_PNG_KEYWORD).len(), 1);
    assert_eq!(unbake_png(&twice).expect("unbake"), ob3(&jws()));
    assert_eq!(decode_png(&twice), decode_png(&once));
}

#[test]
fn baking_removes_an_open_badges_2_chunk() {
    let ob2 = insert_before(
        &png(8, 8),
        b"IDAT",
        b"tEXt",
        &text_chunk(OB2_PNG_KEYWORD, OB2_URL),
    );
    let baked = bake_png(&ob2, JSON_CREDENTIAL).expect("bake");
    assert!(text_chunks_with_keyword(&baked, OB2_PNG_KEYWORD).is_empty());
    assert_eq!(unbake_png(&baked).expect("unbake"), ob3(JSON_CREDENTIAL));
}

#[test]
fn credential_after_idat_is_found() {
    let image = insert_before(
        &png(8, 8),
        b"IEND",
        b"iTXt",
        &itxt(OB3_PNG_KEYWORD, JSON_CREDENTIAL.as_bytes(), false),
    );
    assert_eq!(unbake_png(&image).expect("unbake"), ob3(JSON_CREDENTIAL));
}

#[test]
fn compressed_credential_is_found() {
    let compressed = zlib(jws().as_bytes());
    let image = insert_before(
        &png(8, 8),
        b"IDAT",
        b"iTXt",
        &itxt(OB3_PNG_KEYWORD, &compressed, true),
    );
    assert_eq!(unbake_png(&image).expect("unbake"), ob3(&jws()));
}

#[test]
fn decompression_bomb_is_refused_quickly() {
    // 1 GiB of zeros in 6.5 MB of deflate; reading must stop past 1 MiB.
    let copies = 1 << 22;
    let bomb = zlib_bomb(copies);
    assert!(bomb.len() < 7_000_000);
    let image = insert_before(
        &png(8, 8),
        b"IDAT",
        b"iTXt",
        &itxt(OB3_PNG_KEYWORD, &bomb, true),
    );
    let started = Instant::now();
    let result = unbake_png(&image);
    assert!(
        matches!(result, Err(BakeError::CredentialTooLarge { limit }) if limit == MAX_CREDENTIAL_BYTES),
        "{result:?}"
    );
    // Inflating the whole bomb takes far longer than inflating 1 MiB, even
    // unoptimised: the bound shows that reading stopped at the limit.
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
fn hand_built_bomb_is_valid_zlib() {
    // The bomb above only means something if it really inflates: check a
    // small one all the way through an independent reader.
    use std::io::Read as _;
    let mut inflated = Vec::new();
    flate2::read::ZlibDecoder::new(&zlib_bomb(1000)[..])
        .read_to_end(&mut inflated)
        .expect("a valid zlib stream");
    assert_eq!(inflated.len(), 1 + 258 * 1000);
    assert!(inflated.iter().all(|byte| *byte == 0));
}

#[test]
fn corrupt_compressed_text_is_an_error() {
    let image = insert_before(
        &png(8, 8),
        b"IDAT",
        b"iTXt",
        &itxt(OB3_PNG_KEYWORD, b"not zlib at all", true),
    );
    assert!(matches!(unbake_png(&image), Err(BakeError::Inflate(_))));
}

#[test]
fn every_truncation_is_an_error() {
    let baked = bake_png(&png(6, 6), &jws()).expect("bake");
    for length in 0..baked.len() {
        let result = unbake_png(&baked[..length]);
        assert!(result.is_err(), "truncated to {length} bytes: {result:?}");
        assert!(bake_png(&baked[..length], JSON_CREDENTIAL).is_err());
    }
    assert!(matches!(
        unbake_png(&baked[..baked.len() - 1]),
        Err(BakeError::Truncated { .. })
    ));
}

#[test]
fn crc_corruption_is_detected() {
    let baked = bake_png(&png(6, 6), JSON_CREDENTIAL).expect("bake");
    // One byte of the credential, then one byte of an IDAT chunk.
    let credential_byte = baked
        .windows(8)
        .position(|window| window == b"@context")
        .expect("the credential text");
    let list = chunks(&baked);
    let idat_offset = 8 + list
        .iter()
        .take_while(|(kind, _)| kind != b"IDAT")
        .map(|(_, data)| data.len() + 12)
        .sum::<usize>();
    for (offset, chunk_type) in [(credential_byte, "iTXt"), (idat_offset + 9, "IDAT")] {
        let mut corrupt = baked.clone();
        corrupt[offset] ^= 0x01;
        match unbake_png(&corrupt) {
            Err(BakeError::Crc { chunk, .. }) => assert_eq!(chunk, chunk_type),
            other => panic!("corruption at {offset} gave {other:?}"),
        }
    }
}

#[test]
fn open_badges_2_text_chunk_is_reported_apart() {
    let image = insert_before(
        &png(8, 8),
        b"IDAT",
        b"tEXt",
        &text_chunk(OB2_PNG_KEYWORD, OB2_URL),
    );
    assert_eq!(
        unbake_png(&image).expect("unbake"),
        Some(Unbaked::OpenBadges2(OB2_URL.to_owned()))
    );
}

#[test]
fn open_badges_3_wins_over_2() {
    let ob2 = insert_before(
        &png(8, 8),
        b"IDAT",
        b"iTXt",
        &itxt(OB2_PNG_KEYWORD, OB2_URL.as_bytes(), false),
    );
    let both = insert_before(
        &ob2,
        b"IEND",
        b"iTXt",
        &itxt(OB3_PNG_KEYWORD, JSON_CREDENTIAL.as_bytes(), false),
    );
    assert_eq!(unbake_png(&both).expect("unbake"), ob3(JSON_CREDENTIAL));
}

#[test]
fn two_credentials_are_an_error() {
    let baked = bake_png(&png(8, 8), JSON_CREDENTIAL).expect("bake");
    let doubled = insert_before(
        &baked,
        b"IEND",
        b"iTXt",
        &itxt(OB3_PNG_KEYWORD, jws().as_bytes(), false),
    );
    assert!(matches!(
        unbake_png(&doubled),
        Err(BakeError::MultipleCredentials(ImageFormat::Png))
    ));
}

#[test]
fn malformed_badge_chunks_are_errors() {
    type Expected = fn(&BakeError) -> bool;
    let cases: [(&[u8], Expected); 4] = [
        (b"openbadgecredential\0", |error| {
            matches!(error, BakeError::TextChunk { .. })
        }),
        (b"openbadgecredential\0\x05\0\0\0{}", |error| {
            matches!(error, BakeError::TextChunk { .. })
        }),
        (b"openbadgecredential\0\0\0\0\0\xff\xfe", |error| {
            matches!(error, BakeError::InvalidUtf8(ImageFormat::Png))
        }),
        (b"openbadgecredential\0\0\0\0\0  ", |error| {
            matches!(error, BakeError::EmptyCredential)
        }),
    ];
    for (data, expected) in cases {
        let image = insert_before(&png(4, 4), b"IDAT", b"iTXt", data);
        let error = unbake_png(&image).expect_err("a malformed chunk");
        assert!(expected(&error), "{data:?} gave {error:?}");
    }
}

#[test]
fn framing_errors_are_specific() {
    assert!(matches!(
        unbake_png(b"\x89PNX\r\n\x1a\n"),
        Err(BakeError::NotPng)
    ));
    let mut huge_length = png(4, 4);
    huge_length[33..37].copy_from_slice(&0xFFFF_FFF0_u32.to_be_bytes());
    assert!(matches!(
        unbake_png(&huge_length),
        Err(BakeError::ChunkLength { offset: 33, .. })
    ));
    let mut oversized = png(4, 4);
    oversized.resize(MAX_IMAGE_BYTES + 1, 0);
    assert!(matches!(
        unbake_png(&oversized),
        Err(BakeError::ImageTooLarge { .. })
    ));
}

#[test]
fn bake_refuses_bad_credentials() {
    let image = png(4, 4);
    assert!(matches!(
        bake_png(&image, " "),
        Err(BakeError::EmptyCredential)
    ));
    assert!(matches!(
        bake_png(&image, "a\0b"),
        Err(BakeError::NulInCredential)
    ));
    let large = "x".repeat(MAX_CREDENTIAL_BYTES + 1);
    assert!(matches!(
        bake_png(&image, &large),
        Err(BakeError::CredentialTooLarge { .. })
    ));
}

#[test]
fn errors_read_as_sentences() {
    let error = unbake_png(b"GIF89a").expect_err("not a PNG");
    assert_eq!(
        error.to_string(),
        "not a PNG image: the PNG signature is missing"
    );
}
