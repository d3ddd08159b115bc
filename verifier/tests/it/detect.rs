//! Input detection: every kind of input is classified with its source, Open
//! Badges 2.0 assertions are recognised, and each refusal is specific.

use serde_json::{json, Value};
use verifier::bake::{
    bake_png, bake_svg, BakeError, ImageFormat, MAX_IMAGE_BYTES, OB3_PNG_KEYWORD,
};
use verifier::input::{
    detect, CredentialInput, DetectedInput, InputContent, InputError, Ob2Input, Source,
    MAX_INPUT_BYTES, MAX_JSON_DEPTH,
};

use crate::samples::{
    insert_before, itxt, jws, jws_with_payload, png, text_chunk, JSON_CREDENTIAL, OB2_URL, SVG,
};

fn credential_json() -> Value {
    serde_json::from_str(JSON_CREDENTIAL).expect("sample JSON")
}

fn detected(source: Source, content: InputContent) -> DetectedInput {
    DetectedInput { source, content }
}

fn json_credential(source: Source) -> DetectedInput {
    detected(
        source,
        InputContent::Credential(CredentialInput::Json(credential_json())),
    )
}

fn jwt_credential(source: Source) -> DetectedInput {
    detected(
        source,
        InputContent::Credential(CredentialInput::Jwt(jws())),
    )
}

#[test]
fn json_credential_is_detected() {
    let expected = json_credential(Source::Json);
    assert_eq!(
        detect(JSON_CREDENTIAL.as_bytes()).expect("detect"),
        expected
    );
    let padded = format!("\u{FEFF}\n  {JSON_CREDENTIAL}\n");
    assert_eq!(detect(padded.as_bytes()).expect("detect"), expected);
}

#[test]
fn compact_jws_is_detected_and_trimmed() {
    let padded = format!("  {}\r\n", jws());
    assert_eq!(
        detect(padded.as_bytes()).expect("detect"),
        jwt_credential(Source::Jwt)
    );
}

#[test]
fn url_is_detected() {
    assert_eq!(
        detect(format!("{OB2_URL}\n").as_bytes()).expect("detect"),
        detected(Source::Url, InputContent::Url(OB2_URL.to_owned()))
    );
    assert!(matches!(
        detect(b"https://exa mple.org"),
        Err(InputError::UnknownFormat)
    ));
    assert!(matches!(
        detect(b"https://"),
        Err(InputError::InvalidUrl(_))
    ));
}

#[test]
fn baked_images_are_unbaked_and_classified() {
    let image = png(8, 8);
    let png_json = bake_png(&image, JSON_CREDENTIAL).expect("bake");
    let png_jws = bake_png(&image, &jws()).expect("bake");
    let svg_json = bake_svg(SVG, JSON_CREDENTIAL).expect("bake");
    let svg_jws = bake_svg(SVG, &jws()).expect("bake");
    assert_eq!(
        detect(&png_json).expect("png"),
        json_credential(Source::Png)
    );
    assert_eq!(detect(&png_jws).expect("png"), jwt_credential(Source::Png));
    assert_eq!(
        detect(svg_json.as_bytes()).expect("svg"),
        json_credential(Source::Svg)
    );
    assert_eq!(
        detect(svg_jws.as_bytes()).expect("svg"),
        jwt_credential(Source::Svg)
    );
}

#[test]
fn open_badges_2_is_recognised() {
    let by_context = json!({"@context": "https://w3id.org/openbadges/v2", "id": OB2_URL});
    let by_type = json!({"type": "Assertion", "id": OB2_URL});
    for assertion in [by_context, by_type] {
        let text = assertion.to_string();
        assert_eq!(
            detect(text.as_bytes()).expect("json"),
            detected(
                Source::Json,
                InputContent::OpenBadges2(Ob2Input::Json(assertion))
            )
        );
        let signed = jws_with_payload(&text);
        assert_eq!(
            detect(signed.as_bytes()).expect("jws"),
            detected(
                Source::Jwt,
                InputContent::OpenBadges2(Ob2Input::Jws(signed))
            )
        );
    }
    let hosted = insert_before(
        &png(8, 8),
        b"IDAT",
        b"tEXt",
        &text_chunk("openbadges", OB2_URL),
    );
    assert_eq!(
        detect(&hosted).expect("png"),
        detected(
            Source::Png,
            InputContent::OpenBadges2(Ob2Input::Url(OB2_URL.to_owned()))
        )
    );
}

#[test]
fn image_without_credential_is_not_baked() {
    assert!(matches!(
        detect(&png(4, 4)),
        Err(InputError::NotBaked(ImageFormat::Png))
    ));
    assert!(matches!(
        detect(SVG.as_bytes()),
        Err(InputError::NotBaked(ImageFormat::Svg))
    ));
}

#[test]
fn unrecognised_baked_content_is_refused() {
    let image = insert_before(
        &png(4, 4),
        b"IDAT",
        b"iTXt",
        &itxt(OB3_PNG_KEYWORD, b"hello badge", false),
    );
    assert!(matches!(
        detect(&image),
        Err(InputError::UnrecognisedBakedContent(ImageFormat::Png))
    ));
}

#[test]
fn image_errors_pass_through() {
    let mut corrupt = bake_png(&png(4, 4), JSON_CREDENTIAL).expect("bake");
    let last = corrupt.len() - 1;
    corrupt[last] ^= 0xFF;
    assert!(matches!(
        detect(&corrupt),
        Err(InputError::Image(BakeError::Crc { .. }))
    ));
    assert!(matches!(
        detect(b"<!DOCTYPE svg [<!ENTITY a \"b\">]><svg/>"),
        Err(InputError::Image(BakeError::EntityForbidden))
    ));
}

#[test]
fn empty_input_is_refused() {
    for input in [&b""[..], b"  \n\t", "\u{FEFF}".as_bytes()] {
        assert!(matches!(detect(input), Err(InputError::Empty)), "{input:?}");
    }
}

#[test]
fn invalid_utf8_and_other_images_are_refused() {
    assert!(matches!(
        detect(b"{\"a\": \"\xc3\x28\"}"),
        Err(InputError::InvalidUtf8 { offset: 7 })
    ));
    assert!(matches!(
        detect(b"\xFF\xD8\xFF\xE0\0\x10JFIF"),
        Err(InputError::UnsupportedImage("JPEG"))
    ));
    assert!(matches!(
        detect(b"GIF89a\x01\0"),
        Err(InputError::UnsupportedImage("GIF"))
    ));
}

#[test]
fn deep_json_is_refused_with_our_limit() {
    for depth in [MAX_JSON_DEPTH + 1, 200, 100_000] {
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(depth), "]".repeat(depth));
        match detect(deep.as_bytes()) {
            Err(InputError::TooDeep { limit }) => assert_eq!(limit, MAX_JSON_DEPTH),
            other => panic!("depth {depth} gave {other:?}"),
        }
    }
    let fits = format!(
        "{{\"a\":{}{}}}",
        "[".repeat(MAX_JSON_DEPTH - 1),
        "]".repeat(MAX_JSON_DEPTH - 1)
    );
    assert!(detect(fits.as_bytes()).is_ok());
}

#[test]
fn malformed_json_is_specific() {
    assert!(matches!(
        detect(b"{\"a\": }"),
        Err(InputError::InvalidJson(_))
    ));
    assert!(matches!(detect(b"[1, 2]"), Err(InputError::NotAnObject)));
    let error = detect(b"{\"a\": 1,\n}").expect_err("trailing comma");
    assert!(error.to_string().contains("line 2"), "{error}");
}

#[test]
fn sizes_are_bounded() {
    let text = format!("{{\"a\":\"{}\"}}", "x".repeat(MAX_INPUT_BYTES));
    assert!(matches!(
        detect(text.as_bytes()),
        Err(InputError::TooLarge { limit, .. }) if limit == MAX_INPUT_BYTES
    ));
    let huge = vec![b' '; MAX_IMAGE_BYTES + 1];
    assert!(matches!(
        detect(&huge),
        Err(InputError::TooLarge { limit, .. }) if limit == MAX_IMAGE_BYTES
    ));
}

#[test]
fn unknown_input_is_refused() {
    for input in [
        "hello",
        "ftp://example.org/badge",
        "a.b",
        "eyJ.eyJ.sig.extra",
    ] {
        assert!(
            matches!(detect(input.as_bytes()), Err(InputError::UnknownFormat)),
            "{input}"
        );
    }
    assert_eq!(
        detect(b"hello").expect_err("unknown").to_string(),
        "unknown input format: expected a PNG or SVG badge, a JSON credential, a VC-JWT or a URL"
    );
}
