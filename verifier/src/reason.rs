//! Revocation reasons as the verifier shows them: whatever an issuer writes
//! (in an OB 2.0 revocation list, a hosted assertion or a `410 Gone` body)
//! is text from a stranger, so it is kept as a string, without control
//! characters, and bounded, in one place for the pipeline and the service.

use serde_json::Value;

/// The longest revocation reason kept and shown, in characters.
pub(crate) const MAX_REASON_CHARS: usize = 500;

/// A revocation reason: a string, without control characters, trimmed and
/// cut to [`MAX_REASON_CHARS`]; `None` when absent, not a string, or blank.
pub(crate) fn reason(value: Option<&Value>) -> Option<String> {
    let text = value?.as_str()?;
    let clean: String = text
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_REASON_CHARS)
        .collect();
    let clean = clean.trim();
    (!clean.is_empty()).then(|| clean.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reasons_are_clean_and_bounded() {
        assert_eq!(
            reason(Some(&json!(" Erreur\u{7} "))).as_deref(),
            Some("Erreur")
        );
        assert_eq!(
            reason(Some(&json!("x".repeat(900)))).map(|r| r.len()),
            Some(500)
        );
        assert_eq!(reason(Some(&json!(""))), None);
        assert_eq!(reason(Some(&json!(3))), None);
        assert_eq!(reason(None), None);
    }
}
