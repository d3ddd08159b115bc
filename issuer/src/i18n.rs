//! The issuer's page texts in French (the default) and English: Fluent files
//! under `issuer/locales/`, compiled in, looked up through the shared
//! [`i18n::Catalog`] (the one i18n mechanism of both services).

use std::sync::OnceLock;

use i18n::Catalog;
pub use i18n::{long_date, Lang};

/// The French messages (the reference file).
pub const FR_FTL: &str = include_str!("../locales/fr/issuer.ftl");
/// The English messages.
pub const EN_FTL: &str = include_str!("../locales/en/issuer.ftl");

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::new(FR_FTL, EN_FTL))
}

/// The message `id` in `lang` (the id itself if it does not exist).
pub fn message(lang: Lang, id: &str) -> String {
    catalog().message(lang, id)
}

/// The message `id` in `lang` with its variables.
pub fn message_with(lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
    catalog().message_with(lang, id, args)
}

/// Whether `id` exists in `lang`.
pub fn has_message(lang: Lang, id: &str) -> bool {
    catalog().has(lang, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_messages_and_variables() {
        let count = i18n::parity(FR_FTL, EN_FTL).unwrap();
        assert!(count > 50, "{count} messages");
    }

    #[test]
    fn every_message_a_template_uses_exists() {
        // Templates call ui.t("id") / ui.tw("id", ...): every id they name
        // must exist, or the page would show the bare id.
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for call in [".t(\"", ".tw(\""] {
                for rest in text.split(call).skip(1) {
                    let id = rest.split('"').next().unwrap();
                    for lang in Lang::ALL {
                        assert!(has_message(lang, id), "{id} ({lang:?}) in {path:?}");
                    }
                }
            }
        }
    }
}
