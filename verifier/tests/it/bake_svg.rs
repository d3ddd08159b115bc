//! SVG baking: round trips, the element's place and form, replacement, Open
//! Badges 2.0 elements, and hostile documents (DTDs, entity expansion, deep
//! nesting).

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use verifier::bake::{
    bake_svg, unbake_svg, BakeError, ImageFormat, Unbaked, MAX_XML_DEPTH, OB3_SVG_NAMESPACE,
};

use crate::samples::{jws, JSON_CREDENTIAL, OB2_URL, SVG};

fn ob3(text: &str) -> Option<Unbaked> {
    Some(Unbaked::OpenBadges3(text.to_owned()))
}

/// The elements of a document, as (namespace, local name, depth), read by
/// quick-xml independently of the code under test.
fn elements(svg: &str) -> Vec<(Option<String>, String, usize)> {
    let mut reader = NsReader::from_str(svg);
    let mut depth = 0;
    let mut found = Vec::new();
    loop {
        let (namespace, event) = reader.read_resolved_event().expect("well-formed XML");
        let namespace = match namespace {
            ResolveResult::Bound(namespace) => {
                Some(String::from_utf8_lossy(namespace.as_ref()).into_owned())
            }
            _ => None,
        };
        match event {
            Event::Start(ref tag) | Event::Empty(ref tag) => {
                let name = String::from_utf8_lossy(tag.local_name().as_ref()).into_owned();
                found.push((namespace, name, depth));
                if matches!(event, Event::Start(_)) {
                    depth += 1;
                }
            }
            Event::End(_) => depth -= 1,
            Event::Eof => return found,
            _ => {}
        }
    }
}

#[test]
fn json_and_jws_round_trip() {
    for credential in [JSON_CREDENTIAL.to_owned(), jws()] {
        let baked = bake_svg(SVG, &credential).expect("bake");
        assert_eq!(
            unbake_svg(baked.as_bytes()).expect("unbake"),
            ob3(&credential)
        );
    }
}

#[test]
fn unbaked_image_carries_nothing() {
    assert_eq!(unbake_svg(SVG.as_bytes()).expect("unbake"), None);
}

#[test]
fn credential_is_the_first_child_of_the_root() {
    let baked = bake_svg(SVG, JSON_CREDENTIAL).expect("bake");
    let found = elements(&baked);
    assert_eq!(found[0].1, "svg");
    assert_eq!(
        found[1],
        (
            Some(OB3_SVG_NAMESPACE.to_owned()),
            "credential".to_owned(),
            1
        )
    );
    assert!(baked.contains("xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\""));
    // The JSON (which holds "]]>") sits in CDATA sections, the JWS in `verify`.
    assert!(baked.contains("<openbadges:credential><![CDATA[{"));
    let with_jws = bake_svg(SVG, &jws()).expect("bake");
    assert!(with_jws.contains(&format!("<openbadges:credential verify=\"{}\">", jws())));
}

#[test]
fn the_rest_of_the_image_is_kept() {
    let baked = bake_svg(SVG, &jws()).expect("bake");
    let root_end = SVG.find("height=\"100\">").expect("root tag") + "height=\"100\">".len();
    let prolog_end = SVG.find("<svg").expect("root tag");
    assert!(baked.starts_with(&SVG[..prolog_end]));
    assert!(baked.ends_with(&SVG[root_end..]));
    let mut expected_elements = elements(SVG);
    expected_elements.insert(
        1,
        (
            Some(OB3_SVG_NAMESPACE.to_owned()),
            "credential".to_owned(),
            1,
        ),
    );
    assert_eq!(elements(&baked), expected_elements);
}

#[test]
fn baking_twice_replaces_the_credential() {
    let once = bake_svg(SVG, JSON_CREDENTIAL).expect("bake");
    let twice = bake_svg(&once, &jws()).expect("bake again");
    assert_eq!(twice.matches("<openbadges:credential").count(), 1);
    assert_eq!(twice.matches("xmlns:openbadges=").count(), 1);
    assert_eq!(unbake_svg(twice.as_bytes()).expect("unbake"), ob3(&jws()));
    assert_eq!(bake_svg(&twice, &jws()).expect("bake a third time"), twice);
}

#[test]
fn open_badges_2_assertion_is_reported_and_replaced() {
    let ob2 = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"http://openbadges.org\">\
         <openbadges:assertion verify=\"{OB2_URL}\"/><circle r=\"1\"/></svg>"
    );
    assert_eq!(
        unbake_svg(ob2.as_bytes()).expect("unbake"),
        Some(Unbaked::OpenBadges2(OB2_URL.to_owned()))
    );
    let baked = bake_svg(&ob2, JSON_CREDENTIAL).expect("bake");
    assert!(!baked.contains("assertion"));
    assert!(!baked.contains("http://openbadges.org"));
    assert_eq!(
        unbake_svg(baked.as_bytes()).expect("unbake"),
        ob3(JSON_CREDENTIAL)
    );
}

#[test]
fn open_badges_2_json_content_is_read() {
    let ob2 = "<svg xmlns:openbadges=\"http://openbadges.org\"><openbadges:assertion>\
               <![CDATA[{\"type\":\"Assertion\"}]]></openbadges:assertion></svg>";
    assert_eq!(
        unbake_svg(ob2.as_bytes()).expect("unbake"),
        Some(Unbaked::OpenBadges2("{\"type\":\"Assertion\"}".to_owned()))
    );
}

#[test]
fn credential_is_found_by_namespace_under_another_prefix() {
    let svg = format!(
        "<svg xmlns:ob=\"{OB3_SVG_NAMESPACE}\"><g><ob:credential verify=\"{}\"/></g></svg>",
        jws()
    );
    assert_eq!(unbake_svg(svg.as_bytes()).expect("unbake"), ob3(&jws()));
}

#[test]
fn billion_laughs_is_refused() {
    let mut entities = String::from("<!ENTITY lol \"lol\">");
    for level in 1..10 {
        let previous = if level == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", level - 1)
        };
        entities.push_str(&format!(
            "<!ENTITY lol{level} \"{}\">",
            format!("&{previous};").repeat(10)
        ));
    }
    let bomb = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE svg [{entities}]>\
         <svg><openbadges:credential>&lol9;</openbadges:credential></svg>"
    );
    assert!(matches!(
        unbake_svg(bomb.as_bytes()),
        Err(BakeError::EntityForbidden)
    ));
    assert!(matches!(
        bake_svg(&bomb, JSON_CREDENTIAL),
        Err(BakeError::EntityForbidden)
    ));
    // An internal subset is refused even without an entity in it.
    let subset = "<!DOCTYPE svg [<!ATTLIST svg x CDATA \"1\">]><svg/>";
    assert!(matches!(
        unbake_svg(subset.as_bytes()),
        Err(BakeError::DoctypeForbidden)
    ));
    // The standard declaration (an external identifier alone) is accepted
    // and never fetched; it declares no entity, so none can be referenced.
    let doctype = "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \
                   \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">";
    let plain = format!("{doctype}<svg/>");
    assert!(matches!(unbake_svg(plain.as_bytes()), Ok(None)));
    let baked = bake_svg(&plain, JSON_CREDENTIAL).expect("baked");
    assert!(
        baked.starts_with(doctype),
        "the declaration is kept: {baked}"
    );
    let unbaked = unbake_svg(baked.as_bytes()).expect("read").expect("baked");
    assert_eq!(unbaked.text(), JSON_CREDENTIAL);
    let reference =
        format!("{doctype}<svg><openbadges:credential>&lol;</openbadges:credential></svg>");
    assert!(matches!(
        unbake_svg(reference.as_bytes()),
        Err(BakeError::Xml { .. })
    ));
    let late = "<svg><!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"svg11.dtd\"></svg>";
    assert!(unbake_svg(late.as_bytes()).is_err());
}

#[test]
fn undeclared_entities_are_not_expanded() {
    let svg = "<svg><openbadges:credential>&xxe;</openbadges:credential></svg>";
    assert!(matches!(
        unbake_svg(svg.as_bytes()),
        Err(BakeError::Xml { .. })
    ));
}

#[test]
fn deep_nesting_is_refused() {
    let depth = MAX_XML_DEPTH + 1;
    let deep = format!("<svg>{}{}</svg>", "<g>".repeat(depth), "</g>".repeat(depth));
    assert!(matches!(
        unbake_svg(deep.as_bytes()),
        Err(BakeError::TooDeep { .. })
    ));
    let fits = format!(
        "<svg>{}{}</svg>",
        "<g>".repeat(MAX_XML_DEPTH - 1),
        "</g>".repeat(MAX_XML_DEPTH - 1)
    );
    assert_eq!(unbake_svg(fits.as_bytes()).expect("unbake"), None);
}

#[test]
fn other_documents_are_refused() {
    assert!(matches!(
        unbake_svg(b"<html><body/></html>"),
        Err(BakeError::NotSvg)
    ));
    assert!(matches!(
        unbake_svg(b"<svg><g></svg>"),
        Err(BakeError::Xml { .. })
    ));
    assert!(matches!(
        unbake_svg(b"<svg>\xff</svg>"),
        Err(BakeError::InvalidUtf8(ImageFormat::Svg))
    ));
    assert!(matches!(
        bake_svg("<svg><g></svg>", JSON_CREDENTIAL),
        Err(BakeError::Xml { .. })
    ));
}

#[test]
fn two_credentials_are_an_error() {
    let svg = format!(
        "<svg xmlns:openbadges=\"{OB3_SVG_NAMESPACE}\">\
         <openbadges:credential verify=\"{0}\"/><openbadges:credential verify=\"{0}\"/></svg>",
        jws()
    );
    assert!(matches!(
        unbake_svg(svg.as_bytes()),
        Err(BakeError::MultipleCredentials(ImageFormat::Svg))
    ));
}

#[test]
fn empty_credential_is_an_error() {
    let svg = "<svg><openbadges:credential>  </openbadges:credential></svg>";
    assert!(matches!(
        unbake_svg(svg.as_bytes()),
        Err(BakeError::EmptyCredential)
    ));
}
