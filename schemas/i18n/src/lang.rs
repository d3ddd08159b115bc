//! The languages the pages are written in, and how a request picks one.

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

    /// The page language: `?lang=` (or a cookie) when it names a supported
    /// language, else the supported language the `Accept-Language` header
    /// prefers most, else French.
    pub fn negotiate(chosen: Option<&str>, accept_language: Option<&str>) -> Lang {
        if let Some(lang) = chosen.and_then(Lang::from_tag) {
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
