//! The HTML pages driven like a browser (cookies, CSRF tokens, forms), one
//! file per page family; the in-process browser and the HTML helpers every
//! file (and other test modules) share are here.

use actix_web::http::{header, StatusCode};
use actix_web::test::TestRequest;

use crate::support::{TestApp, TestResponse, PASSWORD};

mod awards;
mod badges;
mod csv;
mod login;
mod networks;
mod search;
mod signing_keys;

/// A cookie jar and the last CSRF token seen, like a browser tab.
#[derive(Default)]
pub struct Browser {
    cookies: Vec<(String, String)>,
}

impl Browser {
    fn with_cookies(&self, mut req: TestRequest) -> TestRequest {
        for (name, value) in &self.cookies {
            req = req.cookie(actix_web::cookie::Cookie::new(name.clone(), value.clone()));
        }
        req
    }

    fn keep_cookies(&mut self, resp: &TestResponse) {
        for set in resp.headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            let (pair, attributes) = set.split_once(';').unwrap_or((set, ""));
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.retain(|(n, _)| n != name);
            if !attributes.contains("Max-Age=0") && !value.is_empty() {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
    }

    /// GET a page.
    pub async fn get(&mut self, app: &TestApp, path: &str) -> TestResponse {
        let resp = app
            .send(self.with_cookies(TestRequest::get().uri(path)))
            .await;
        self.keep_cookies(&resp);
        assert_plain_title(&resp);
        resp
    }

    /// POST an urlencoded form.
    pub async fn post_form(
        &mut self,
        app: &TestApp,
        path: &str,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let req = TestRequest::post()
            .uri(path)
            .insert_header((header::CONTENT_TYPE, "application/x-www-form-urlencoded"))
            .set_payload(body);
        let resp = app.send(self.with_cookies(req)).await;
        self.keep_cookies(&resp);
        assert_plain_title(&resp);
        resp
    }

    /// POST a multipart form; `file` is (field, filename, content type, bytes).
    pub async fn post_multipart(
        &mut self,
        app: &TestApp,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, &str, &[u8])>,
    ) -> TestResponse {
        let (content_type, body) = multipart(fields, file);
        let req = TestRequest::post()
            .uri(path)
            .insert_header((header::CONTENT_TYPE, content_type))
            .set_payload(body);
        let resp = app.send(self.with_cookies(req)).await;
        self.keep_cookies(&resp);
        assert_plain_title(&resp);
        resp
    }

    /// Commits a CSV import from the badge page at `badge_path`, as the
    /// preview's form does (Data Integrity); the outcome page, checked to
    /// be a 200.
    pub async fn commit_csv(
        &mut self,
        app: &TestApp,
        badge_path: &str,
        csrf: &str,
        csv: &str,
    ) -> TestResponse {
        let done = self
            .post_multipart(
                app,
                &format!("{badge_path}/csv/commit"),
                &[("csrf", csrf), ("format", "di"), ("csv", csv)],
                None,
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text());
        done
    }

    /// Logs in through the login form.
    pub async fn login(&mut self, app: &TestApp, email: &str) {
        let form = self.get(app, "/login").await;
        assert_eq!(form.status, StatusCode::OK);
        let csrf = hidden(&form.text(), "csrf");
        let resp = self
            .post_form(
                app,
                "/login",
                &[
                    ("csrf", &csrf),
                    ("next", "/app"),
                    ("email", email),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.text());
    }
}

/// Builds a multipart/form-data body.
pub fn multipart(
    fields: &[(&str, &str)],
    file: Option<(&str, &str, &str, &[u8])>,
) -> (String, Vec<u8>) {
    let boundary = "----pages-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((name, filename, content_type, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Every HTML page's `<title>` is plain words: no markup (which would put
/// CSRF tokens or participants' names into browser history and screen
/// readers' first words) and no participant data.
pub fn assert_plain_title(resp: &TestResponse) {
    let is_html = resp
        .header("content-type")
        .is_some_and(|kind| kind.starts_with("text/html"));
    if !is_html {
        return;
    }
    let html = resp.text();
    let Some(start) = html.find("<title>") else {
        return;
    };
    let title = &html[start + "<title>".len()..];
    let end = title.find("</title>").expect("a closed <title>");
    let title = &title[..end];
    assert!(
        !title.contains('<') && !title.contains('>') && title.len() < 200,
        "markup in <title>: {title}"
    );
    if html.contains("<html lang=\"fr\">") {
        for english in english_only_messages() {
            let escaped = english.replace('\'', "&#39;").replace('"', "&quot;");
            assert!(
                !html.contains(english.as_str()) && !html.contains(&escaped),
                "English on a French page: {english:?}"
            );
        }
    }
}

/// The English catalogue's plain messages (no placeable, long enough to be
/// a sentence) that differ from the French ones: none may show on a French
/// page.
fn english_only_messages() -> &'static [String] {
    static MESSAGES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    MESSAGES.get_or_init(|| {
        let entries = |ftl: &str| -> Vec<(String, String)> {
            ftl.lines()
                .filter_map(|l| l.split_once(" = "))
                .filter(|(k, _)| !k.starts_with(' ') && !k.starts_with('#'))
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .collect()
        };
        let fr = entries(include_str!("../../../locales/fr/issuer.ftl"));
        entries(include_str!("../../../locales/en/issuer.ftl"))
            .into_iter()
            .filter(|(_, v)| v.len() >= 12 && !v.contains('{'))
            .filter(|(k, v)| !fr.iter().any(|(fk, fv)| fk == k && fv == v))
            .map(|(_, v)| v)
            .collect()
    })
}

/// The text of a page's `<title>`.
pub fn title(html: &str) -> String {
    let start = html.find("<title>").expect("a <title>") + "<title>".len();
    let end = html[start..].find("</title>").expect("a closed <title>");
    html[start..start + end].to_owned()
}

/// The value of the hidden input `name` in a page.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no hidden {name} in page"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// The `Location` of a redirect.
pub fn location(resp: &TestResponse) -> String {
    resp.header("location").expect("a redirect")
}

/// Creates the demo-like badge through the designer; returns its page path.
pub(crate) async fn designed_badge(app: &TestApp, browser: &mut Browser) -> String {
    let designer = browser.get(app, "/app/centre-social/badges/new").await;
    let csrf = hidden(&designer.text(), "csrf");
    let created = browser
        .post_multipart(
            app,
            "/app/centre-social/badges",
            &[
                ("csrf", &csrf),
                ("name", "Faire ses démarches en ligne"),
                (
                    "description",
                    "Sait faire une démarche administrative en ligne.",
                ),
                ("criteria", "A participé aux trois séances."),
                ("language", "fr"),
                ("competence", "4.2"),
            ],
            None,
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
    location(&created).split('?').next().unwrap().to_owned()
}
