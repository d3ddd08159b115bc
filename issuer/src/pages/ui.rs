//! What every template receives: the language, the CSRF token, who is
//! logged in, and helpers to translate and format.

use actix_web::HttpRequest;
use chrono::DateTime;

use crate::i18n::{self, Lang};

/// Name of the cookie remembering the chosen language.
pub const LANG_COOKIE: &str = "lang";

/// Page context shared by every template.
#[derive(Debug, Clone)]
pub struct Ui {
    /// Page language.
    pub lang: Lang,
    /// CSRF token for the page's forms (empty when anonymous).
    pub csrf: String,
    /// Display name of the logged-in facilitator.
    pub user: Option<String>,
    /// Path of this page, for the language switch to come back to.
    pub path: String,
}

impl Ui {
    /// The context of a page nobody is logged in on.
    pub fn anonymous(lang: Lang, path: &str) -> Self {
        Self {
            lang,
            csrf: String::new(),
            user: None,
            path: path.to_owned(),
        }
    }

    /// The message `id`.
    pub fn t(&self, id: &str) -> String {
        i18n::message(self.lang, id)
    }

    /// The message `id` with one variable.
    pub fn tw(&self, id: &str, name: &str, value: impl AsRef<str>) -> String {
        i18n::message_with(self.lang, id, &[(name, value.as_ref())])
    }

    /// The message `id` with two variables.
    pub fn tw2(
        &self,
        id: &str,
        n1: &str,
        v1: impl AsRef<str>,
        n2: &str,
        v2: impl AsRef<str>,
    ) -> String {
        i18n::message_with(self.lang, id, &[(n1, v1.as_ref()), (n2, v2.as_ref())])
    }

    /// `fr` or `en`.
    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// The link that switches to the other language and comes back here.
    pub fn switch_href(&self) -> String {
        format!(
            "/lang/{}?next={}",
            self.lang.other().code(),
            encode(&self.path)
        )
    }

    /// The other language's code, for `hreflang` and `lang` on the switch.
    pub fn other_code(&self) -> &'static str {
        self.lang.other().code()
    }

    /// A Unix time as a day in words ("22 novembre 2026").
    pub fn date(&self, unix: impl UnixTime) -> String {
        DateTime::from_timestamp(unix.seconds(), 0)
            .map(|d| i18n::long_date(d, self.lang))
            .unwrap_or_default()
    }

    /// A calendar day kept as `YYYY-MM-DD`, in words; as given if not a date.
    pub fn day(&self, ymd: &str) -> String {
        chrono::NaiveDate::parse_from_str(ymd, "%Y-%m-%d")
            .map(|d| i18n::long_date(d.and_time(chrono::NaiveTime::MIN).and_utc(), self.lang))
            .unwrap_or_else(|_| ymd.to_owned())
    }
}

/// A Unix time as templates hold it (by value or by reference).
pub trait UnixTime {
    /// Seconds since the epoch.
    fn seconds(&self) -> i64;
}

impl UnixTime for i64 {
    fn seconds(&self) -> i64 {
        *self
    }
}

impl<T: UnixTime + ?Sized> UnixTime for &T {
    fn seconds(&self) -> i64 {
        (**self).seconds()
    }
}

/// The page language of a request: `?lang=`, then the `lang` cookie, then
/// `Accept-Language`, then French.
pub fn lang_of(req: &HttpRequest) -> Lang {
    let query = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.into_owned());
    let cookie = req.cookie(LANG_COOKIE).map(|c| c.value().to_owned());
    let accept = req
        .headers()
        .get(actix_web::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Lang::negotiate(query.or(cookie).as_deref(), accept)
}

/// The path and query of a request, for coming back to it.
pub fn here(req: &HttpRequest) -> String {
    match req.query_string() {
        "" => req.path().to_owned(),
        q => format!("{}?{q}", req.path()),
    }
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// A local path to go back to after login or a language switch: only
/// same-site absolute paths, never `//host` or a scheme (no open redirect).
pub fn safe_next(next: Option<&str>, fallback: &str) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => fallback.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_paths_stay_on_this_site() {
        assert_eq!(safe_next(Some("/app/x"), "/app"), "/app/x");
        assert_eq!(safe_next(Some("//evil.example"), "/app"), "/app");
        assert_eq!(safe_next(Some("https://evil.example"), "/app"), "/app");
        assert_eq!(safe_next(Some("/\\evil.example"), "/app"), "/app");
        assert_eq!(safe_next(None, "/app"), "/app");
    }

    #[test]
    fn switch_link_returns_here() {
        let ui = Ui::anonymous(Lang::Fr, "/claim?code=AB CD");
        assert_eq!(ui.switch_href(), "/lang/en?next=%2Fclaim%3Fcode%3DAB+CD");
        assert_eq!(ui.date(1_795_000_000), "18 novembre 2026");
    }
}
