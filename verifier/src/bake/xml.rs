//! A hardened scan of an SVG document for its badge elements.
//!
//! The document is read once with quick-xml's namespace-aware reader,
//! without building a tree. A document type declaration is accepted only as
//! the standard kind, an external identifier alone (`<!DOCTYPE svg PUBLIC
//! "-//W3C//DTD SVG 1.1//EN" "...svg11.dtd">`, as graphics editors write
//! it), which is never fetched; any internal subset (`[...]`) is refused,
//! and with it every entity declaration (entities are never expanded: a
//! "billion laughs" document fails at its `<!DOCTYPE`, and a reference to an
//! undeclared entity is an error). Nesting is bounded by [`MAX_XML_DEPTH`] and a credential's
//! text by [`MAX_CREDENTIAL_BYTES`]. The scan records where the root start
//! tag and the badge elements stand, so that baking can splice the text
//! without re-serialising (and altering) the rest of the image.

use std::ops::Range;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use super::{
    BakeError, ImageFormat, MAX_CREDENTIAL_BYTES, MAX_XML_DEPTH, OB2_SVG_NAMESPACE,
    OB3_SVG_NAMESPACE,
};

/// The SVG namespace.
const SVG_NAMESPACE: &[u8] = b"http://www.w3.org/2000/svg";

/// The prefix the badge specifications use, recognised even when bound to
/// another namespace (or to none): images in the wild are not always exact.
const BADGE_PREFIX: &[u8] = b"openbadges";

/// Which badge an element carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BadgeVersion {
    /// `<openbadges:credential>` (OB 3.0).
    OpenBadges3,
    /// `<openbadges:assertion>` (OB 2.0).
    OpenBadges2,
}

/// The root `<svg>` start tag.
#[derive(Debug)]
pub(super) struct RootTag {
    /// Where the tag stands in the scanned text, `<` to `>`.
    pub span: Range<usize>,
    /// Whether the tag is self-closing (`<svg/>`).
    pub empty: bool,
    /// The tag's qualified name as written (`svg`, `svg:svg`).
    pub name: String,
    /// The attributes as written: name and raw (still escaped) value.
    pub attributes: Vec<(String, String)>,
}

/// A badge element found in the document.
#[derive(Debug)]
pub(super) struct BadgeElement {
    /// The badge version, from the element's name.
    pub version: BadgeVersion,
    /// Where the element stands, start tag to end tag included.
    pub span: Range<usize>,
    /// Its `verify` attribute (unescaped), else its text and CDATA content;
    /// trimmed.
    pub text: String,
}

/// What the scan found.
#[derive(Debug)]
pub(super) struct Scan {
    /// The root start tag.
    pub root: RootTag,
    /// The badge elements, outermost only, in document order.
    pub badges: Vec<BadgeElement>,
}

/// A badge element being read.
struct OpenBadge {
    version: BadgeVersion,
    start: usize,
    depth: usize,
    verify: Option<String>,
    content: String,
}

/// Scans `text`, an SVG document without byte-order mark.
pub(super) fn scan(text: &str) -> Result<Scan, BakeError> {
    let mut reader = NsReader::from_str(text);
    let config = reader.config_mut();
    config.trim_text(false);
    config.check_end_names = true;
    config.expand_empty_elements = false;
    let mut depth = 0_usize;
    let mut root: Option<RootTag> = None;
    let mut open: Option<OpenBadge> = None;
    let mut badges = Vec::new();
    loop {
        let start = position(&reader);
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => return Err(xml_error(&reader, error)),
        };
        let end = position(&reader);
        match event {
            Event::DocType(doctype) => {
                if doctype.windows(8).any(|bytes| bytes == b"<!ENTITY") {
                    return Err(BakeError::EntityForbidden);
                }
                // Only before the root element, and without internal subset.
                if doctype.contains(&b'[') || root.is_some() {
                    return Err(BakeError::DoctypeForbidden);
                }
            }
            Event::Start(ref tag) | Event::Empty(ref tag) => {
                let empty = matches!(event, Event::Empty(_));
                let (namespace, _) = reader.resolve_element(tag.name());
                if depth >= MAX_XML_DEPTH {
                    return Err(BakeError::TooDeep {
                        limit: MAX_XML_DEPTH,
                    });
                }
                if root.is_none() {
                    root = Some(root_tag(&namespace, tag, start..end, empty)?);
                } else if depth == 0 {
                    return Err(ill_formed(end, "content after the root element"));
                } else if open.is_none() {
                    if let Some(version) = badge_version(&namespace, tag) {
                        let badge = OpenBadge {
                            version,
                            start,
                            depth,
                            verify: verify_attribute(tag, end)?,
                            content: String::new(),
                        };
                        if empty {
                            badges.push(finish(badge, end));
                        } else {
                            open = Some(badge);
                        }
                    }
                }
                if !empty {
                    depth += 1;
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if open.as_ref().is_some_and(|badge| badge.depth == depth) {
                    if let Some(badge) = open.take() {
                        badges.push(finish(badge, end));
                    }
                }
            }
            Event::Text(ref content) => {
                if let Some(badge) = open.as_mut() {
                    let content = content
                        .unescape()
                        .map_err(|error| xml_error(&reader, error))?;
                    push_content(badge, &content)?;
                } else if depth == 0 && !content.iter().all(u8::is_ascii_whitespace) {
                    return Err(ill_formed(end, "text outside the root element"));
                }
            }
            Event::CData(content) => {
                if let Some(badge) = open.as_mut() {
                    let content = std::str::from_utf8(&content)
                        .map_err(|_| BakeError::InvalidUtf8(ImageFormat::Svg))?;
                    push_content(badge, content)?;
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if depth != 0 {
        return Err(ill_formed(text.len(), "an element is not closed"));
    }
    let root = root.ok_or(BakeError::NotSvg)?;
    Ok(Scan { root, badges })
}

/// The reader's position as an index into the scanned text.
fn position(reader: &NsReader<&[u8]>) -> usize {
    // The position never exceeds the text's length, itself a usize.
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

/// Checks that the root element is `<svg>` and records its start tag.
fn root_tag(
    namespace: &ResolveResult<'_>,
    tag: &BytesStart<'_>,
    span: Range<usize>,
    empty: bool,
) -> Result<RootTag, BakeError> {
    let svg_namespace = match namespace {
        ResolveResult::Bound(bound) => bound.as_ref() == SVG_NAMESPACE,
        ResolveResult::Unbound => true,
        ResolveResult::Unknown(_) => false,
    };
    if !svg_namespace || tag.local_name().as_ref() != b"svg" {
        return Err(BakeError::NotSvg);
    }
    let mut attributes = Vec::new();
    for attribute in tag.attributes() {
        let attribute = attribute.map_err(|error| ill_formed(span.end, &error.to_string()))?;
        attributes.push((
            utf8(attribute.key.as_ref())?.to_owned(),
            utf8(&attribute.value)?.to_owned(),
        ));
    }
    Ok(RootTag {
        name: utf8(tag.name().as_ref())?.to_owned(),
        span,
        empty,
        attributes,
    })
}

/// Which badge element `tag` is, by namespace or by the `openbadges` prefix.
fn badge_version(namespace: &ResolveResult<'_>, tag: &BytesStart<'_>) -> Option<BadgeVersion> {
    let name = tag.name();
    let local = name.local_name();
    let by_prefix = name
        .prefix()
        .is_some_and(|prefix| prefix.as_ref() == BADGE_PREFIX);
    let in_namespace = |uri: &str| match namespace {
        ResolveResult::Bound(bound) => bound.as_ref() == uri.as_bytes(),
        _ => false,
    };
    match local.as_ref() {
        b"credential" if by_prefix || in_namespace(OB3_SVG_NAMESPACE) => {
            Some(BadgeVersion::OpenBadges3)
        }
        b"assertion" if by_prefix || in_namespace(OB2_SVG_NAMESPACE) => {
            Some(BadgeVersion::OpenBadges2)
        }
        _ => None,
    }
}

/// The unescaped `verify` attribute of a badge element, if present.
fn verify_attribute(tag: &BytesStart<'_>, offset: usize) -> Result<Option<String>, BakeError> {
    let attribute = tag
        .try_get_attribute("verify")
        .map_err(|error| ill_formed(offset, &error.to_string()))?;
    attribute
        .map(|attribute| {
            attribute
                .unescape_value()
                .map(|value| value.into_owned())
                .map_err(|error| ill_formed(offset, &error.to_string()))
        })
        .transpose()
}

/// Appends text or CDATA content to a badge element, within the limit.
fn push_content(badge: &mut OpenBadge, content: &str) -> Result<(), BakeError> {
    if badge.content.len() + content.len() > MAX_CREDENTIAL_BYTES {
        return Err(BakeError::CredentialTooLarge {
            limit: MAX_CREDENTIAL_BYTES,
        });
    }
    badge.content.push_str(content);
    Ok(())
}

/// Completes a badge element: its `verify` attribute wins over its content.
fn finish(badge: OpenBadge, end: usize) -> BadgeElement {
    let text = match badge.verify {
        Some(verify) if !verify.trim().is_empty() => verify.trim().to_owned(),
        _ => badge.content.trim().to_owned(),
    };
    BadgeElement {
        version: badge.version,
        span: badge.start..end,
        text,
    }
}

/// Bytes of the (UTF-8) scanned text as `str`.
fn utf8(bytes: &[u8]) -> Result<&str, BakeError> {
    std::str::from_utf8(bytes).map_err(|_| BakeError::InvalidUtf8(ImageFormat::Svg))
}

/// A quick-xml error at the reader's error position.
fn xml_error(reader: &NsReader<&[u8]>, error: quick_xml::Error) -> BakeError {
    BakeError::Xml {
        offset: reader.error_position(),
        message: error.to_string(),
    }
}

/// A well-formedness error found by the scan itself.
fn ill_formed(offset: usize, message: &str) -> BakeError {
    BakeError::Xml {
        offset: offset as u64,
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_tags_exactly() {
        let svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\">\n  \
                   <openbadges:credential verify=\"a.b.c\"/><g/></svg>";
        let scan = scan(svg).expect("scan");
        assert_eq!(
            &svg[scan.root.span.clone()],
            "<svg xmlns=\"http://www.w3.org/2000/svg\">"
        );
        let badge = &scan.badges[0];
        assert_eq!(
            &svg[badge.span.clone()],
            "<openbadges:credential verify=\"a.b.c\"/>"
        );
        assert_eq!(badge.text, "a.b.c");
        assert_eq!(badge.version, BadgeVersion::OpenBadges3);
    }

    #[test]
    fn content_joins_text_and_cdata() {
        let svg = "<svg xmlns:ob=\"http://openbadges.org\"><ob:assertion> \
                   &lt;<![CDATA[{\"a\":\"]]]]><![CDATA[>\"}]]></ob:assertion></svg>";
        let scan = scan(svg).expect("scan");
        assert_eq!(scan.badges[0].text, "<{\"a\":\"]]>\"}");
        assert_eq!(scan.badges[0].version, BadgeVersion::OpenBadges2);
    }

    #[test]
    fn malformed_documents_are_refused() {
        for svg in [
            "<svg>",
            "<svg></g>",
            "<svg/><svg/>",
            "text<svg/>",
            "<svg a=\"1\" a=\"2\"/>",
        ] {
            assert!(
                matches!(scan(svg), Err(BakeError::Xml { .. })),
                "{svg} was accepted"
            );
        }
        assert!(matches!(scan("<html/>"), Err(BakeError::NotSvg)));
        assert!(matches!(scan(""), Err(BakeError::NotSvg)));
    }
}
