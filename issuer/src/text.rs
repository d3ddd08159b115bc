//! Text as people type it, made fit to store and to sign.
//!
//! Every text field the issuer stores goes through [`line()`] (names, titles,
//! e-mail addresses, URLs, labels, tags) or [`paragraphs`] (descriptions,
//! narratives, reasons), from the API, the pages and CSV files alike. Both
//! trim the value (white space at either end, line breaks included, is
//! dropped) and normalise it to Unicode NFC, so that "é" typed composed
//! or decomposed is stored, signed and hashed the same. Both refuse control
//! characters with a [`TextError`] naming the field (answered as
//! `crate::error::ApiError::InvalidText`, a 400):
//!
//! - NUL would be stored and signed on SQLite and refused by PostgreSQL
//!   (`invalid byte sequence for encoding "UTF8": 0x00`);
//! - a line break or a tab in a name breaks the badge page, the printed
//!   certificate, CSV exports and e-mail headers;
//! - bidirectional overrides and isolates (U+202A to U+202E, U+2066 to
//!   U+2069) make a name display other than it reads.
//!
//! [`paragraphs`] keeps line breaks (any of CR LF, CR, LF becomes LF) and tabs.

use unicode_normalization::UnicodeNormalization;

/// A text field holds a character refused in every text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", refusal(field, *found))]
pub struct TextError {
    /// The field, as the API names it.
    pub field: &'static str,
    /// The first refused character.
    pub found: char,
}

/// The message of a refused character in `field`, in the API's words.
pub fn refusal(field: &str, found: char) -> String {
    format!(
        "{field}: contains the control character {} (line breaks, tabs and other invisible characters are not accepted here)",
        code_point(found)
    )
}

/// Whether `c` is refused in every text field: a Unicode control character
/// (category Cc) or a bidirectional formatting character.
fn forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A one-line value: trimmed, NFC, without any control character.
pub fn line(field: &'static str, value: &str) -> Result<String, TextError> {
    let value = value.trim();
    refuse(field, value, forbidden)?;
    Ok(value.nfc().collect())
}

/// [`line()`] of an optional value; blank becomes `None`.
pub fn optional_line(
    field: &'static str,
    value: Option<&str>,
) -> Result<Option<String>, TextError> {
    value
        .map(|v| line(field, v))
        .transpose()
        .map(|v| v.filter(|v| !v.is_empty()))
}

/// A text of one or more paragraphs: line breaks normalised to LF, trimmed,
/// NFC; tabs and line breaks are its only control characters.
pub fn paragraphs(field: &'static str, value: &str) -> Result<String, TextError> {
    let value = value.trim().replace("\r\n", "\n").replace('\r', "\n");
    refuse(field, &value, |c| forbidden(c) && !matches!(c, '\n' | '\t'))?;
    Ok(value.nfc().collect())
}

/// [`paragraphs`] of an optional value; blank becomes `None`.
pub fn optional_paragraphs(
    field: &'static str,
    value: Option<&str>,
) -> Result<Option<String>, TextError> {
    value
        .map(|v| paragraphs(field, v))
        .transpose()
        .map(|v| v.filter(|v| !v.is_empty()))
}

/// Refuses `value` if `bad` holds for one of its characters, naming the first.
fn refuse(field: &'static str, value: &str, bad: impl Fn(char) -> bool) -> Result<(), TextError> {
    match value.chars().find(|c| bad(*c)) {
        Some(found) => Err(TextError { field, found }),
        None => Ok(()),
    }
}

/// How a refused character is named in messages: `U+000A`.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(result: Result<String, TextError>) -> (&'static str, char) {
        match result {
            Err(TextError { field, found }) => (field, found),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn lines_are_trimmed_composed_and_free_of_controls() {
        assert_eq!(
            line("name", "\t Le\u{301}a Martin \r\n").unwrap(),
            "Léa Martin"
        );
        assert_eq!(
            crate::error::ApiError::from(line("name", "Léa\0").unwrap_err())
                .code()
                .as_str(),
            "control_character"
        );
        for bad in [
            "a\0b",
            "Marie\nCurie",
            "a\tb",
            "a\u{7f}",
            "a\u{85}b",
            "\u{202E}nimda",
            "a\u{2028}b",
            "x\u{2066}",
        ] {
            assert_eq!(refused(line("name", bad)).0, "name", "{bad:?}");
        }
        assert_eq!(refused(line("name", "a\0b")).1, '\0');
        // Joiners are letters' business (Persian, Indic scripts, emoji): kept.
        assert_eq!(line("name", "می\u{200C}خواهم").unwrap(), "می\u{200C}خواهم");
        assert_eq!(optional_line("email", Some("  ")).unwrap(), None);
        assert_eq!(optional_line("email", None).unwrap(), None);
    }

    #[test]
    fn paragraphs_keep_line_breaks_and_tabs_only() {
        assert_eq!(
            paragraphs("narrative", " Un\r\ndeux\rtrois\n\tquatre ").unwrap(),
            "Un\ndeux\ntrois\n\tquatre"
        );
        for bad in ["a\0", "a\u{1b}[31m", "a\u{202D}b", "a\u{c}b"] {
            assert_eq!(
                refused(paragraphs("narrative", bad)).0,
                "narrative",
                "{bad:?}"
            );
        }
        assert_eq!(
            optional_paragraphs("narrative", Some(" \n ")).unwrap(),
            None
        );
        assert_eq!(code_point('\n'), "U+000A");
    }
}
