//! The verifier's page texts in French (the default) and English, from the
//! Fluent files under `verifier/locales/`, compiled into the binary so that
//! the service needs no files at run time.
//!
//! Report codes map to message ids by [`check_message_id`]
//! (`status.unavailable` → `check-status-unavailable`); a test checks that
//! every code of [`CHECK_CODES`] has a message and that both languages have
//! the same messages.

use std::sync::OnceLock;

use i18n::Catalog;

/// The French messages (the reference file).
pub(crate) const FR_FTL: &str = include_str!("../locales/fr/verifier.ftl");

/// The English messages.
pub(crate) const EN_FTL: &str = include_str!("../locales/en/verifier.ftl");

/// Every check code the report and the pipeline use, each with a
/// `check-*` message in both languages.
pub const CHECK_CODES: &[&str] = &[
    "input.openbadges_v2",
    "input.open_badges_2",
    "input.open_badges_1",
    "input.not_a_badge",
    "schema.valid",
    "schema.invalid",
    "schema.context_version",
    "schema.subject_unidentified",
    "schema.image_as_url",
    "schema.achievement_type_unlisted",
    "proof.missing",
    "proof.signature_valid",
    "proof.signature_invalid",
    "proof.malformed",
    "proof.unsupported_type",
    "proof.unsupported_cryptosuite",
    "proof.legacy_cryptosuite",
    "proof.algorithm_key_mismatch",
    "proof.algorithm_refused",
    "proof.embedded_in_jwt",
    "proof.header_not_allowed",
    "proof.private_key_in_header",
    "proof.jwt_claims",
    "proof.jwt_claims_invalid",
    "proof.jwt_claims_mismatch",
    "proof.jwt_nbf_missing",
    "proof.undefined_term",
    "proof.unknown_context",
    "proof.sd_base_proof",
    "proof.too_complex",
    "issuer.key_bound",
    "issuer.key_not_bound",
    "issuer.key_unresolvable",
    "issuer.missing",
    "issuer.key_unsupported",
    "issuer.key_reference_invalid",
    "issuer.key_reference_missing",
    "issuer.key_not_found",
    "issuer.key_invalid",
    "status.none",
    "status.not_revoked",
    "status.not_suspended",
    "status.revoked",
    "status.suspended",
    "status.unavailable",
    "status.list_other_issuer",
    "validity.current",
    "validity.expired",
    "validity.not_yet_valid",
    "validity.malformed",
    "validity.invalid_date",
    "recipient.match",
    "recipient.mismatch",
    "recipient.unidentified",
    "endorsement.valid",
    "endorsement.invalid",
    "endorsement.too_many",
    "ob2.schema_valid",
    "ob2.schema_invalid",
    "ob2.hosted_fetched",
    "ob2.hosted_mismatch",
    "ob2.hosted_unavailable",
    "ob2.origin_match",
    "ob2.origin_mismatch",
    "ob2.badge_unavailable",
    "ob2.issuer_unavailable",
    "ob2.id_differs",
];

pub use i18n::Lang;

/// The verifier's catalogue, built once.
fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::new(FR_FTL, EN_FTL))
}

/// Whether the message `id` exists in `lang`.
pub fn has_message(lang: Lang, id: &str) -> bool {
    catalog().has(lang, id)
}

/// The message `id` in `lang`, without variables; the id itself when the
/// message does not exist (visible, never a panic).
pub fn message(lang: Lang, id: &str) -> String {
    message_with(lang, id, &[])
}

/// The message `id` in `lang` with its variables (`{ $name }`); the id
/// itself when the message does not exist.
pub fn message_with(lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
    catalog().message_with(lang, id, args)
}

/// The message id explaining a report code: `status.unavailable` →
/// `check-status-unavailable`.
pub fn check_message_id(code: &str) -> String {
    format!("check-{}", code.replace(['.', '_'], "-"))
}

/// The explanation of a report code in `lang`, if it has one.
pub fn check_message(lang: Lang, code: &str) -> Option<String> {
    let id = check_message_id(code);
    has_message(lang, &id).then(|| message(lang, &id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_messages_and_variables() {
        let count = i18n::parity(FR_FTL, EN_FTL).unwrap();
        assert!(count > 100, "the French file has {count} messages");
    }

    #[test]
    fn every_check_code_has_a_message() {
        for code in CHECK_CODES {
            for lang in Lang::ALL {
                let text = check_message(lang, code);
                assert!(text.is_some_and(|t| !t.is_empty()), "{code} in {lang:?}");
            }
        }
        assert_eq!(
            check_message_id("input.openbadges_v2"),
            "check-input-openbadges-v2"
        );
        assert_eq!(check_message(Lang::Fr, "proof.unknown_code"), None);
    }

    /// Every code a report can carry is listed in [`CHECK_CODES`], hence
    /// explained on the page in both languages: the source is searched for
    /// the string literals that look like codes.
    #[test]
    fn every_code_in_the_source_is_listed() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![root.join("../keys/src/binding.rs")];
        let mut folders = vec![root.join("src")];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
        let families = [
            "input.",
            "schema.",
            "proof.",
            "issuer.",
            "status.",
            "validity.",
            "recipient.",
            "endorsement.",
            "ob2.",
            "ob1.",
        ];
        // Literals shaped like codes that are not codes: OB 2.0 member paths.
        let not_codes = ["recipient.identity", "recipient.type"];
        files.retain(|file| !file.ends_with("i18n.rs"));
        let mut missing = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for literal in text.split('"').skip(1).step_by(2) {
                let is_code = families.iter().any(|f| literal.starts_with(f))
                    && literal.len() > 6
                    && literal
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._".contains(c))
                    && literal.matches('.').count() == 1
                    && !literal.ends_with('.');
                if is_code && !CHECK_CODES.contains(&literal) && !not_codes.contains(&literal) {
                    missing.push(format!("{literal} ({})", file.display()));
                }
            }
        }
        assert!(missing.is_empty(), "codes without a message: {missing:?}");
    }

    #[test]
    fn status_unavailable_never_says_not_revoked() {
        for lang in Lang::ALL {
            let text = check_message(lang, "status.unavailable").expect("exists");
            let headline = message(lang, "verdict-status-unknown");
            for said in [text, headline] {
                let lower = said.to_lowercase();
                assert!(
                    !lower.contains("n'a pas été retiré")
                        && !lower.contains("has not been withdrawn"),
                    "{said}"
                );
            }
        }
    }

    #[test]
    fn variables_are_substituted() {
        assert_eq!(
            message_with(Lang::Fr, "holder-match", &[("name", "Marie Dupont")]),
            "Oui, ce badge a été délivré à Marie Dupont."
        );
        assert_eq!(
            message_with(Lang::En, "verdict-revoked-reason", &[("reason", "error")]),
            "Reason given by the organisation: error"
        );
        assert_eq!(message(Lang::En, "no-such-message"), "no-such-message");
        assert_eq!(
            message(Lang::Fr, "trust-unknown"),
            "Authentique, émetteur non référencé"
        );
        assert_eq!(message(Lang::Fr, "trust-known"), "Émetteur reconnu");
    }
}
