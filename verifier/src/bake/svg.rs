//! Baking into and unbaking from SVG documents.
//!
//! OB 3.0 §5.3.2: the root `<svg>` declares
//! `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"` and its first
//! child is `<openbadges:credential>`, with a VC-JWT in its `verify`
//! attribute or the JSON credential in a CDATA section. Baking splices that
//! into the original text, so the rest of the image is kept byte for byte.
//! Open Badges 2.0 `<openbadges:assertion>` elements are read and reported
//! apart, and removed when baking.

use super::xml::{scan, BadgeVersion, RootTag};
use super::{
    check_credential, check_image_size, is_compact_jws, BakeError, ImageFormat, Unbaked,
    OB3_SVG_NAMESPACE,
};

/// The UTF-8 byte-order mark, kept as is when baking.
const BOM: &str = "\u{FEFF}";

/// The namespace declaration baking adds to the root element.
const NAMESPACE_ATTRIBUTE: &str = "xmlns:openbadges";

/// Bakes `credential` (JSON or compact JWS) into an SVG document: declares
/// the OB 3.0 namespace on the root `<svg>` and inserts an
/// `<openbadges:credential>` element as its first child. Badge elements
/// already there (OB 3.0 or 2.0) are removed, so baking a baked image
/// replaces its credential.
pub fn bake_svg(svg: &str, credential: &str) -> Result<String, BakeError> {
    check_image_size(svg.len())?;
    let credential = check_credential(credential)?;
    let (bom, body) = match svg.strip_prefix(BOM) {
        Some(body) => (BOM, body),
        None => ("", svg),
    };
    let scan = scan(body)?;
    let root = &scan.root;
    let element = credential_element(credential);
    let mut baked = String::with_capacity(svg.len() + element.len() + 64);
    baked.push_str(bom);
    baked.push_str(&body[..root.span.start]);
    push_root_start_tag(&mut baked, root);
    baked.push_str(&element);
    if root.empty {
        baked.push_str("</");
        baked.push_str(&root.name);
        baked.push('>');
    }
    // The badge elements stand inside the root, after its start tag, in
    // document order and without overlap (the scan keeps outermost ones).
    let mut copied = root.span.end;
    for badge in &scan.badges {
        baked.push_str(&body[copied..badge.span.start]);
        copied = badge.span.end;
    }
    baked.push_str(&body[copied..]);
    check_image_size(baked.len())?;
    Ok(baked)
}

/// Reads the credential baked in an SVG document, if any.
///
/// The document must be UTF-8 and well-formed, with `<svg>` as its root
/// and no DTD. An Open Badges 3.0 credential is preferred to an Open Badges
/// 2.0 assertion; two OB 3.0 credentials are an error.
pub fn unbake_svg(bytes: &[u8]) -> Result<Option<Unbaked>, BakeError> {
    check_image_size(bytes.len())?;
    let text = std::str::from_utf8(bytes).map_err(|_| BakeError::InvalidUtf8(ImageFormat::Svg))?;
    let scan = scan(text.strip_prefix(BOM).unwrap_or(text))?;
    let mut credentials = scan
        .badges
        .iter()
        .filter(|badge| badge.version == BadgeVersion::OpenBadges3);
    let badge = match (credentials.next(), credentials.next()) {
        (Some(_), Some(_)) => return Err(BakeError::MultipleCredentials(ImageFormat::Svg)),
        (Some(credential), None) => Some(credential),
        (None, _) => scan
            .badges
            .iter()
            .find(|badge| badge.version == BadgeVersion::OpenBadges2),
    };
    let Some(badge) = badge else {
        return Ok(None);
    };
    if badge.text.is_empty() {
        return Err(BakeError::EmptyCredential);
    }
    Ok(Some(match badge.version {
        BadgeVersion::OpenBadges3 => Unbaked::OpenBadges3(badge.text.clone()),
        BadgeVersion::OpenBadges2 => Unbaked::OpenBadges2(badge.text.clone()),
    }))
}

/// Rewrites the root start tag, never self-closing, with the OB 3.0
/// namespace declared (replacing any other `openbadges` prefix binding).
fn push_root_start_tag(baked: &mut String, root: &RootTag) {
    baked.push('<');
    baked.push_str(&root.name);
    for (name, raw_value) in &root.attributes {
        if name != NAMESPACE_ATTRIBUTE {
            push_attribute(baked, name, raw_value);
        }
    }
    push_attribute(baked, NAMESPACE_ATTRIBUTE, OB3_SVG_NAMESPACE);
    baked.push('>');
}

/// Writes ` name="value"` with a still escaped value, quoted with `'` when
/// it holds a `"` (it then came single-quoted, so it holds no `'`).
fn push_attribute(baked: &mut String, name: &str, raw_value: &str) {
    let quote = if raw_value.contains('"') { '\'' } else { '"' };
    baked.push(' ');
    baked.push_str(name);
    baked.push('=');
    baked.push(quote);
    baked.push_str(raw_value);
    baked.push(quote);
}

/// The `<openbadges:credential>` element: a compact JWS in `verify`, any
/// other text (the JSON) in CDATA sections.
fn credential_element(credential: &str) -> String {
    if is_compact_jws(credential) {
        format!(
            "<openbadges:credential verify=\"{}\"></openbadges:credential>",
            quick_xml::escape::escape(credential)
        )
    } else {
        // "]]>" would close the section: end it after "]]" and open a new
        // one for ">", which reads back as the same text.
        format!(
            "<openbadges:credential><![CDATA[{}]]></openbadges:credential>",
            credential.replace("]]>", "]]]]><![CDATA[>")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_closing_root_is_opened() {
        let baked = bake_svg("<svg/>", "a.b.c").expect("bake");
        assert_eq!(
            baked,
            "<svg xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\">\
             <openbadges:credential verify=\"a.b.c\"></openbadges:credential></svg>"
        );
    }

    #[test]
    fn single_quoted_attributes_survive() {
        let baked = bake_svg("<svg title='say \"hi\"'></svg>", "{}").expect("bake");
        assert!(baked.starts_with("<svg title='say \"hi\"' xmlns:openbadges="));
        assert_eq!(
            unbake_svg(baked.as_bytes()).expect("unbake"),
            Some(Unbaked::OpenBadges3("{}".to_owned()))
        );
    }

    #[test]
    fn byte_order_mark_is_kept() {
        let baked = bake_svg("\u{FEFF}<svg></svg>", "{}").expect("bake");
        assert!(baked.starts_with(BOM));
        assert!(unbake_svg(baked.as_bytes()).expect("unbake").is_some());
    }
}
