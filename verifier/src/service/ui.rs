//! What every template receives ([`Ui`]: the language and the language
//! switch), and the percent-encoding of the links pages write. Used by the
//! pages and the error pages alike, so it sits below both.

use crate::i18n::{self, Lang};

/// What every template receives: the language and the language switch.
#[derive(Debug, Clone)]
pub(crate) struct Ui {
    /// The page language.
    pub(crate) lang: Lang,
    /// The link to this page in the other language.
    pub(crate) switch_href: String,
    /// For a page answering a POST: the switch is a button posting the
    /// page's `again` form (the same credential) in the other language.
    pub(crate) repost: bool,
}

impl Ui {
    /// A page whose language switch is a link.
    pub(crate) fn new(lang: Lang, switch_href: String) -> Self {
        Ui {
            lang,
            switch_href,
            repost: false,
        }
    }

    /// The message `id`.
    pub(crate) fn t(&self, id: &str) -> String {
        i18n::message(self.lang, id)
    }

    /// `fr` or `en`.
    pub(crate) fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// The other language's code.
    pub(crate) fn other_code(&self) -> &'static str {
        self.lang.other().code()
    }
}

/// Percent-encodes a query value.
pub(crate) fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
