//! The one i18n mechanism of both services: every user-facing text comes
//! from a Fluent catalogue (French, the default, and English) compiled into
//! the binary, looked up by message id.
//!
//! Each service owns its `.ftl` files (`issuer/locales/`, `verifier/locales/`)
//! and builds one [`Catalog`] from them; this crate holds what they share:
//! the [`Lang`] enum and its negotiation from `?lang=` and `Accept-Language`,
//! message formatting, dates in words ("22 novembre 2026"), and
//! [`parity`], which their tests use to prove both languages have the same
//! messages with the same variables.
//!
//! It lives under `schemas/` because it is shared data plumbing for both
//! services and depends on no web framework.

// Tests may unwrap: a panic there is a failing test, with its message.
#![cfg_attr(test, allow(clippy::unwrap_used))]

mod date;
mod lang;

pub use date::long_date;
pub use lang::Lang;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::LanguageIdentifier;

/// A service's messages in every [`Lang`].
pub struct Catalog {
    fr: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog").finish_non_exhaustive()
    }
}

impl Catalog {
    /// Builds the catalogue from the French and English Fluent sources.
    ///
    /// The sources are compiled in and checked by each service's tests
    /// ([`parity`]); a syntax error here only drops the broken entries (they
    /// then show as their id), it never stops a service.
    pub fn new(fr_source: &str, en_source: &str) -> Self {
        Self {
            fr: bundle(Lang::Fr, fr_source),
            en: bundle(Lang::En, en_source),
        }
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }

    /// Whether the message `id` exists in `lang`.
    pub fn has(&self, lang: Lang, id: &str) -> bool {
        self.bundle(lang).has_message(id)
    }

    /// The message `id` in `lang`, without variables; the id itself when the
    /// message does not exist (visible, never a panic).
    pub fn message(&self, lang: Lang, id: &str) -> String {
        self.message_with(lang, id, &[])
    }

    /// The message `id` in `lang` with its variables (`{ $name }`); the id
    /// itself when the message does not exist.
    pub fn message_with(&self, lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
        let bundle = self.bundle(lang);
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
}

fn bundle(lang: Lang, source: &str) -> FluentBundle<FluentResource> {
    let id: LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Plain text for HTML pages (escaped by the templates): no Unicode
    // isolation marks around values.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(r, _)| r);
    let _ = bundle.add_resource(resource);
    bundle
}

/// Checks that two Fluent sources parse without errors, define the same
/// message ids in the same order, and use the same variables in each
/// message. Returns the number of messages, or what differs.
pub fn parity(fr_source: &str, en_source: &str) -> Result<usize, String> {
    for (lang, source) in [(Lang::Fr, fr_source), (Lang::En, en_source)] {
        let resource = FluentResource::try_new(source.to_owned())
            .map_err(|(_, errors)| format!("{lang:?}: syntax errors {errors:?}"))?;
        let mut bundle = FluentBundle::new_concurrent(vec![]);
        bundle
            .add_resource(resource)
            .map_err(|errors| format!("{lang:?}: duplicate ids {errors:?}"))?;
    }
    let fr = message_lines(fr_source);
    let en = message_lines(en_source);
    let fr_ids: Vec<&str> = fr.iter().map(|(id, _)| *id).collect();
    let en_ids: Vec<&str> = en.iter().map(|(id, _)| *id).collect();
    if fr_ids != en_ids {
        let only_fr: Vec<_> = fr_ids.iter().filter(|id| !en_ids.contains(id)).collect();
        let only_en: Vec<_> = en_ids.iter().filter(|id| !fr_ids.contains(id)).collect();
        return Err(format!(
            "ids differ (or their order): only in fr {only_fr:?}, only in en {only_en:?}"
        ));
    }
    for ((id, fr_text), (_, en_text)) in fr.iter().zip(&en) {
        if variables(fr_text) != variables(en_text) {
            return Err(format!("{id}: variables differ"));
        }
    }
    Ok(fr_ids.len())
}

/// `(id, text)` of every message of a Fluent source, in order.
fn message_lines(source: &str) -> Vec<(&str, &str)> {
    source
        .lines()
        .filter_map(|line| line.split_once(" ="))
        .filter(|(id, _)| {
            id.starts_with(|c: char| c.is_ascii_lowercase())
                && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        .collect()
}

/// The variables (`{ $name }`) a message uses, sorted.
fn variables(text: &str) -> Vec<&str> {
    let mut found: Vec<&str> = text
        .split("{ $")
        .skip(1)
        .filter_map(|rest| rest.split_once(" }").map(|(name, _)| name))
        .collect();
    found.sort_unstable();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const FR: &str = "hello = Bonjour { $name } !\nbye = Au revoir\n";
    const EN: &str = "hello = Hello { $name }!\nbye = Goodbye\n";

    #[test]
    fn messages_are_looked_up_and_formatted() {
        let catalog = Catalog::new(FR, EN);
        assert_eq!(
            catalog.message_with(Lang::Fr, "hello", &[("name", "Marie")]),
            "Bonjour Marie !"
        );
        assert_eq!(catalog.message(Lang::En, "bye"), "Goodbye");
        assert_eq!(catalog.message(Lang::En, "missing"), "missing");
        assert!(catalog.has(Lang::Fr, "bye"));
        assert!(!catalog.has(Lang::Fr, "missing"));
    }

    #[test]
    fn parity_finds_missing_messages_and_variables() {
        assert_eq!(parity(FR, EN), Ok(2));
        assert!(parity(FR, "hello = Hello { $name }!\n")
            .unwrap_err()
            .contains("bye"));
        assert!(parity(FR, "hello = Hello!\nbye = Goodbye\n")
            .unwrap_err()
            .contains("variables"));
        assert!(parity("a = x\na = y\n", "a = x\na = y\n").is_err());
    }
}
