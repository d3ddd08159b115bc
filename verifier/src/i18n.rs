//! The verifier's page texts in French (the default) and English, from the
//! Fluent files under `verifier/locales/`, compiled into the binary so that
//! the service needs no files at run time.
//!
//! Report codes map to message ids by [`check_message_id`]
//! (`status.unavailable` → `check-status-unavailable`); a test checks that
//! every code of [`CHECK_CODES`] has a message and that both languages have
//! the same messages.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::LanguageIdentifier;

/// The French messages (the reference file).
pub(crate) const FR_FTL: &str = include_str!("../locales/fr/verifier.ftl");

/// The English messages.
pub(crate) const EN_FTL: &str = include_str!("../locales/en/verifier.ftl");

/// Every check code the report and the pipeline use, each with a
/// `check-*` message in both languages.
pub const CHECK_CODES: [&str; 28] = [
    "input.openbadges_v2",
    "schema.valid",
    "schema.invalid",
    "schema.context_version",
    "proof.missing",
    "proof.signature_valid",
    "proof.signature_invalid",
    "proof.malformed",
    "proof.unsupported_type",
    "proof.unsupported_cryptosuite",
    "proof.legacy_cryptosuite",
    "issuer.key_bound",
    "issuer.key_not_bound",
    "issuer.key_unresolvable",
    "issuer.missing",
    "status.none",
    "status.not_revoked",
    "status.revoked",
    "status.suspended",
    "status.unavailable",
    "validity.current",
    "validity.expired",
    "validity.not_yet_valid",
    "validity.malformed",
    "recipient.match",
    "recipient.mismatch",
    "endorsement.valid",
    "endorsement.invalid",
];

/// A language the pages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// French, the default.
    #[default]
    Fr,
    /// English.
    En,
}

impl Lang {
    /// Every language, the default first.
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// The BCP 47 code, for `<html lang>` and `?lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// The other language, for the language switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }

    /// The language of a tag such as `en`, `en-GB` or `FR-ca`, if supported.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("fr") {
            Some(Lang::Fr)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The page language: `?lang=` when it names a supported language, else
    /// the supported language the `Accept-Language` header prefers most, else
    /// French.
    pub fn negotiate(query: Option<&str>, accept_language: Option<&str>) -> Lang {
        if let Some(lang) = query.and_then(Lang::from_tag) {
            return lang;
        }
        let mut best: Option<(Lang, f32)> = None;
        for item in accept_language.unwrap_or_default().split(',') {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::from_tag) else {
                continue;
            };
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if quality > 0.0 && best.is_none_or(|(_, q)| quality > q) {
                best = Some((lang, quality));
            }
        }
        best.map(|(lang, _)| lang).unwrap_or_default()
    }

    fn source(self) -> &'static str {
        match self {
            Lang::Fr => FR_FTL,
            Lang::En => EN_FTL,
        }
    }
}

/// The Fluent bundles, built once.
struct Bundles {
    fr: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

fn bundles() -> &'static Bundles {
    static BUNDLES: OnceLock<Bundles> = OnceLock::new();
    BUNDLES.get_or_init(|| Bundles {
        fr: bundle(Lang::Fr),
        en: bundle(Lang::En),
    })
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let id: LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Plain text for HTML pages: no Unicode isolation marks around values.
    bundle.set_use_isolating(false);
    // The files are compiled in and checked by the tests below; a syntax
    // error would only drop the broken entries, never stop the service.
    let resource = FluentResource::try_new(lang.source().to_owned()).unwrap_or_else(|(r, _)| r);
    let _ = bundle.add_resource(resource);
    bundle
}

fn bundle_for(lang: Lang) -> &'static FluentBundle<FluentResource> {
    match lang {
        Lang::Fr => &bundles().fr,
        Lang::En => &bundles().en,
    }
}

/// Whether the message `id` exists in `lang`.
pub fn has_message(lang: Lang, id: &str) -> bool {
    bundle_for(lang).has_message(id)
}

/// The message `id` in `lang`, without variables; the id itself when the
/// message does not exist (visible, never a panic).
pub fn message(lang: Lang, id: &str) -> String {
    message_with(lang, id, &[])
}

/// The message `id` in `lang` with its variables (`{ $name }`); the id
/// itself when the message does not exist.
pub fn message_with(lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
    let bundle = bundle_for(lang);
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return id.to_owned();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, *value);
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fluent_args), &mut errors)
        .into_owned()
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

    /// The message ids a Fluent file defines, in order.
    fn ids(source: &str) -> Vec<&str> {
        source
            .lines()
            .filter_map(|line| line.split_once(" ="))
            .map(|(id, _)| id)
            .filter(|id| {
                id.starts_with(|c: char| c.is_ascii_lowercase())
                    && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            .collect()
    }

    /// The variables (`{ $name }`) a message uses.
    fn variables(lang: Lang, id: &str) -> Vec<String> {
        let line = lang
            .source()
            .lines()
            .find(|line| line.starts_with(&format!("{id} =")))
            .unwrap_or_default();
        let mut found: Vec<String> = line
            .split("{ $")
            .skip(1)
            .filter_map(|rest| rest.split_once(" }").map(|(name, _)| name.to_owned()))
            .collect();
        found.sort();
        found
    }

    #[test]
    fn both_files_parse_without_errors() {
        for lang in Lang::ALL {
            assert!(
                FluentResource::try_new(lang.source().to_owned()).is_ok(),
                "{lang:?} has syntax errors"
            );
            let mut bundle = FluentBundle::new_concurrent(vec![]);
            let resource = FluentResource::try_new(lang.source().to_owned()).expect("parses");
            assert!(
                bundle.add_resource(resource).is_ok(),
                "{lang:?} has duplicate ids"
            );
        }
    }

    #[test]
    fn every_message_exists_in_both_languages_with_the_same_variables() {
        let fr = ids(FR_FTL);
        let en = ids(EN_FTL);
        assert!(fr.len() > 100, "the French file has {} messages", fr.len());
        assert_eq!(fr, en, "same ids, same order");
        for id in fr {
            for lang in Lang::ALL {
                assert!(has_message(lang, id), "{id} missing in {lang:?}");
            }
            assert_eq!(variables(Lang::Fr, id), variables(Lang::En, id), "{id}");
        }
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

    #[test]
    fn language_negotiation() {
        assert_eq!(Lang::negotiate(None, None), Lang::Fr);
        assert_eq!(Lang::negotiate(None, Some("en-GB,en;q=0.9")), Lang::En);
        assert_eq!(
            Lang::negotiate(None, Some("de-DE,en;q=0.5,fr;q=0.8")),
            Lang::Fr
        );
        assert_eq!(Lang::negotiate(None, Some("fr;q=0.2, EN;q=0.7")), Lang::En);
        assert_eq!(Lang::negotiate(None, Some("en;q=0, de")), Lang::Fr);
        assert_eq!(Lang::negotiate(None, Some("*")), Lang::Fr);
        assert_eq!(Lang::negotiate(None, Some(";;,q=x")), Lang::Fr);
        assert_eq!(Lang::negotiate(Some("en"), Some("fr")), Lang::En);
        assert_eq!(Lang::negotiate(Some("fr"), Some("en")), Lang::Fr);
        assert_eq!(Lang::negotiate(Some("xx"), Some("en-US")), Lang::En);
        assert_eq!(Lang::Fr.other(), Lang::En);
        assert_eq!(Lang::En.code(), "en");
    }
}
