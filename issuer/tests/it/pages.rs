//! The facilitator pages through HTTP as a browser without JavaScript uses
//! them: forms, cookies, redirects, CSRF tokens, both languages.

use actix_web::http::{header, StatusCode};
use actix_web::test::TestRequest;
use issuer::users::Role;

use crate::db_test;
use crate::support::{TestApp, TestResponse, PASSWORD};

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
        let fr = entries(include_str!("../../locales/fr/issuer.ftl"));
        entries(include_str!("../../locales/en/issuer.ftl"))
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

async fn home_and_login_pages_are_french_first_with_an_english_switch(app: TestApp) {
    let mut browser = Browser::default();
    let home = browser.get(&app, "/").await;
    assert_eq!(home.status, StatusCode::OK);
    let html = home.text();
    assert!(html.contains("<html lang=\"fr\">"), "{html}");
    assert!(html.contains("Vous avez reçu un code ?"));
    assert!(html.contains("href=\"/lang/en?next=%2F\""));
    let csp = home.header("content-security-policy").unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"));
    assert_eq!(home.header("x-content-type-options").unwrap(), "nosniff");

    let switched = browser.get(&app, "/lang/en?next=%2Flogin").await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&switched), "/login");
    let login = browser.get(&app, "/login").await;
    assert!(login.text().contains("<html lang=\"en\">"));
    assert!(login.text().contains("Log in"));
    // No open redirect through the switch.
    let away = browser.get(&app, "/lang/fr?next=%2F%2Fevil.example").await;
    assert_eq!(location(&away), "/");
    // Accept-Language alone picks English for a new visitor.
    let resp = app
        .send(
            TestRequest::get()
                .uri("/")
                .insert_header((header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9")),
        )
        .await;
    assert!(resp.text().contains("<html lang=\"en\">"));
}
db_test!(
    home_and_login,
    home_and_login_pages_are_french_first_with_an_english_switch
);

async fn login_form_checks_password_and_csrf_and_redirects_back(app: TestApp) {
    app.create_org("centre-social");
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let mut browser = Browser::default();
    // A page that needs a login sends there, then back.
    let resp = browser.get(&app, "/app/centre-social").await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&resp), "/login?next=%2Fapp%2Fcentre-social");

    let form = browser
        .get(&app, "/login?next=%2Fapp%2Fcentre-social")
        .await;
    let csrf = hidden(&form.text(), "csrf");
    assert_eq!(hidden(&form.text(), "next"), "/app/centre-social");
    // Wrong password: the form again, with a plain message.
    let wrong = browser
        .post_form(
            &app,
            "/login",
            &[
                ("csrf", &csrf),
                ("next", "/app/centre-social"),
                ("email", "marie@example.fr"),
                ("password", "not the password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.text().contains("incorrect"), "{}", wrong.text());
    // A forged form (no login CSRF cookie) is refused.
    let forged = Browser::default()
        .post_form(
            &app,
            "/login",
            &[
                ("csrf", &csrf),
                ("next", "/app"),
                ("email", "marie@example.fr"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let csrf = hidden(&wrong.text(), "csrf");
    let ok = browser
        .post_form(
            &app,
            "/login",
            &[
                ("csrf", &csrf),
                ("next", "/app/centre-social"),
                ("email", "marie@example.fr"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&ok), "/app/centre-social");
    let set_cookie = ok.header("set-cookie").unwrap();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
    let dashboard = browser.get(&app, "/app/centre-social").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(dashboard.text().contains("Org centre-social"));

    // Logging out needs the CSRF token too, then the session is gone.
    let csrf = hidden(&dashboard.text(), "csrf");
    let refused = browser
        .post_form(&app, "/logout", &[("csrf", "wrong")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let out = browser.post_form(&app, "/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let again = browser.get(&app, "/app/centre-social").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
}
db_test!(
    login_form,
    login_form_checks_password_and_csrf_and_redirects_back
);

async fn designer_creates_a_badge_with_digcomp_competences(app: TestApp) {
    app.create_org("centre-social");
    app.create_org("autre");
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let designer = browser.get(&app, "/app/centre-social/badges/new").await;
    assert_eq!(designer.status, StatusCode::OK);
    let html = designer.text();
    assert!(html.contains("Protéger les données personnelles et la vie privée"));
    assert!(html.contains("<label for=\"name\">"));
    let csrf = hidden(&html, "csrf");

    let fields = [
        ("csrf", csrf.as_str()),
        ("name", "Faire ses démarches en ligne"),
        (
            "description",
            "Sait créer un compte et faire une démarche en ligne.",
        ),
        ("criteria", "A participé aux trois séances de l'atelier."),
        ("achievement_type", "Badge"),
        ("tags", "démarches, administration"),
        ("language", "fr"),
        ("competence", "1.1"),
        ("competence", "4.2"),
    ];
    let created = browser
        .post_multipart(&app, "/app/centre-social/badges", &fields, None)
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
    let badge = browser.get(&app, &location(&created)).await;
    let html = badge.text();
    assert!(html.contains("Faire ses démarches en ligne"));
    assert!(html.contains("4.2 Protéger les données personnelles et la vie privée"));
    assert!(html.contains("Le badge est créé."));

    // Missing name: the form again with the error and the typed values kept.
    let mut bad = fields.to_vec();
    bad[1] = ("name", "");
    let refused = browser
        .post_multipart(&app, "/app/centre-social/badges", &bad, None)
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.text().contains("Le badge n&#39;a pas été créé.")
            || refused.text().contains("Le badge n'a pas été créé."),
        "{}",
        refused.text()
    );
    assert!(refused.text().contains("A participé aux trois séances"));
    // Without the CSRF token nothing is created.
    let mut forged = fields.to_vec();
    forged[0] = ("csrf", "forged");
    let forged = browser
        .post_multipart(&app, "/app/centre-social/badges", &forged, None)
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // Another organisation's pages are "not found", as a readable page.
    let other = browser.get(&app, "/app/autre").await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert!(other.text().contains("Page introuvable"));
    let other = browser.get(&app, "/app/autre/badges/new").await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}
db_test!(designer, designer_creates_a_badge_with_digcomp_competences);

async fn demo_seed_gives_a_working_login_once(app: TestApp) {
    let path = issuer::cli::demo::seed_if_empty(&app.state)
        .unwrap()
        .expect("an empty database is seeded");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let line = std::fs::read_to_string(&path).unwrap();
    let (email, rest) = line.split_once(" / ").unwrap();
    let password = rest.split_whitespace().next().unwrap();
    assert_eq!(email, issuer::cli::demo::DEMO_EMAIL);
    // Seeding again changes nothing: the database is no longer empty.
    assert!(issuer::cli::demo::seed_if_empty(&app.state)
        .unwrap()
        .is_none());
    assert!(line.ends_with(&format!("({}/login)\n", app.state.base())));
    // A later start at another address rewrites the address, not the password.
    let mut moved = app.state.clone();
    let mut config = (*moved.config).clone();
    config.public_url = Some("https://badges.example.org/".parse().unwrap());
    moved.config = std::sync::Arc::new(config);
    assert!(issuer::cli::demo::refresh_login_file(&moved).unwrap());
    let moved_line = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        moved_line,
        format!("{email} / {password}   (https://badges.example.org/login)\n")
    );
    assert!(issuer::cli::demo::refresh_login_file(&app.state).unwrap());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), line);

    let mut browser = Browser::default();
    let form = browser.get(&app, "/login").await;
    let csrf = hidden(&form.text(), "csrf");
    let resp = browser
        .post_form(
            &app,
            "/login",
            &[
                ("csrf", &csrf),
                ("next", "/app"),
                ("email", email),
                ("password", password),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    // One organisation: /app goes straight to it.
    let app_page = browser.get(&app, "/app").await;
    assert_eq!(location(&app_page), "/app/demo");
    let dashboard = browser.get(&app, "/app/demo").await;
    assert!(dashboard.text().contains("Faire ses démarches en ligne"));
}
db_test!(demo_seed, demo_seed_gives_a_working_login_once);

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

async fn award_claim_share_and_revoke_through_the_pages(app: TestApp) {
    app.create_org("centre-social");
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let mut facilitator = Browser::default();
    facilitator.login(&app, "marie@example.fr").await;
    let badge_path = designed_badge(&app, &mut facilitator).await;
    let badge = facilitator.get(&app, &badge_path).await;
    let html = badge.text();
    let csrf = hidden(&html, "csrf");
    let key = hidden(&html, "idempotency_key");
    let form = [
        ("csrf", csrf.as_str()),
        ("idempotency_key", key.as_str()),
        ("name", "Awa Diallo"),
        ("email", ""),
        ("narrative", "A fait sa demande de carte vitale en ligne."),
        ("format", "di"),
    ];
    let awarded = facilitator
        .post_form(&app, &format!("{badge_path}/award"), &form)
        .await;
    assert_eq!(awarded.status, StatusCode::SEE_OTHER, "{}", awarded.text());
    let awarded_path = location(&awarded);
    // A double submit of the same form awards once.
    let again = facilitator
        .post_form(&app, &format!("{badge_path}/award"), &form)
        .await;
    assert_eq!(location(&again), awarded_path);
    let award_path = awarded_path.split('?').next().unwrap().to_owned();

    let award = facilitator.get(&app, &awarded_path).await;
    let html = award.text();
    assert!(
        html.contains("Le badge est délivré à Awa Diallo."),
        "{html}"
    );
    // The participant's name stays out of the title (browser history).
    assert!(!title(&html).contains("Awa"), "{}", title(&html));
    let code = html
        .split("<p class=\"code\" id=\"claim-code\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("a claim code for a participant without e-mail")
        .to_owned();
    assert!(html.contains("claim-qr.png"));
    assert!(html.contains("pas encore ouvert"));
    let dashboard = facilitator.get(&app, "/app/centre-social").await;
    assert!(dashboard.text().contains("Awa Diallo"));
    assert!(dashboard
        .text()
        .contains("1 badge(s) pas encore récupéré(s)"));

    // The participant types the code loosely: lower case, no hyphen.
    let mut participant = Browser::default();
    let typed = code.replace('-', "").to_lowercase();
    let found = participant.get(&app, &format!("/claim?code={typed}")).await;
    assert_eq!(location(&found), format!("/claim/{code}"));
    let claim = participant.get(&app, &format!("/claim/{code}")).await;
    assert_eq!(claim.status, StatusCode::OK);
    assert!(claim.text().contains("Bravo, vous avez obtenu un badge !"));
    let claim_csrf = hidden(&claim.text(), "csrf");
    let claimed = participant
        .post_form(
            &app,
            &format!("/claim/{code}"),
            &[("csrf", &claim_csrf), ("show_name", "yes")],
        )
        .await;
    assert_eq!(claimed.status, StatusCode::SEE_OTHER, "{}", claimed.text());
    let page_path = location(&claimed);
    assert!(page_path.starts_with("/credentials/"));
    let page = participant.get(&app, &page_path).await;
    let html = page.text();
    assert_eq!(page.status, StatusCode::OK);
    assert!(html.contains("Délivré à Awa Diallo"), "{html}");
    assert!(html.contains("Télécharger mon badge"));
    assert!(html.contains("http://verifier.test/bake?format=png&#38;url=http%3A%2F%2F"));
    assert!(html.contains("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME"));
    assert!(html.contains("mailto:?subject=Mon%20badge"));
    assert!(page.header("content-security-policy").is_some());
    // Machines still get the credential, now naming the holder.
    let token_path = page_path.split('?').next().unwrap();
    let json = app
        .send(
            TestRequest::get()
                .uri(token_path)
                .insert_header((header::ACCEPT, "application/ld+json")),
        )
        .await;
    assert_eq!(json.status, StatusCode::OK);
    assert!(json.text().contains("Awa Diallo"));
    let award = facilitator.get(&app, &award_path).await;
    assert!(award.text().contains("a déjà ouvert son badge"));

    // Revocation needs a reason, then shows everywhere with it.
    let csrf = hidden(&award.text(), "csrf");
    let no_reason = facilitator
        .post_form(
            &app,
            &format!("{award_path}/revoke"),
            &[("csrf", &csrf), ("reason", "  ")],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    let revoked = facilitator
        .post_form(
            &app,
            &format!("{award_path}/revoke"),
            &[("csrf", &csrf), ("reason", "Badge délivré par erreur")],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let page = participant.get(&app, token_path).await;
    let html = page.text();
    assert!(
        html.contains("Ce badge a été retiré par Org centre-social"),
        "{html}"
    );
    assert!(html.contains("Raison : Badge délivré par erreur"));
    assert!(!html.contains("Télécharger mon badge"));
    let gone = app
        .send(
            TestRequest::get()
                .uri(token_path)
                .insert_header((header::ACCEPT, "application/json")),
        )
        .await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert_eq!(gone.json()["revocationReason"], "Badge délivré par erreur");
}
db_test!(
    award_claim_revoke,
    award_claim_share_and_revoke_through_the_pages
);

async fn wrong_claim_codes_are_explained_then_throttled(app: TestApp) {
    let mut visitor = Browser::default();
    let wrong = visitor.get(&app, "/claim?code=AAAA-AAAA").await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert!(wrong
        .text()
        .contains("Ce code ne correspond à aucun badge."));
    let mut last = wrong.status;
    for _ in 0..25 {
        last = visitor.get(&app, "/claim/BBBB-BBBB").await.status;
    }
    // The in-process test client has no peer address unless one is set.
    let _ = last;
    let peer: std::net::SocketAddr = "203.0.113.9:5000".parse().unwrap();
    let mut status = StatusCode::OK;
    for _ in 0..25 {
        status = app
            .send(TestRequest::get().uri("/claim/CCCC-CCCC").peer_addr(peer))
            .await
            .status;
    }
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}
db_test!(
    wrong_claim_codes,
    wrong_claim_codes_are_explained_then_throttled
);

async fn csv_preview_lists_bad_rows_then_commits_once(app: TestApp) {
    app.create_org("centre-social");
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let badge_path = designed_badge(&app, &mut browser).await;
    let csrf = hidden(&browser.get(&app, &badge_path).await.text(), "csrf");
    let bad = b"name,email\nLea Martin,lea@example.fr\n,nobody@example.fr\nJo Petit,not-an-email\n";
    let preview = browser
        .post_multipart(
            &app,
            &format!("{badge_path}/csv"),
            &[("csrf", &csrf)],
            Some(("file", "session.csv", "text/csv", bad)),
        )
        .await;
    assert_eq!(preview.status, StatusCode::BAD_REQUEST);
    let html = preview.text();
    assert!(
        html.contains("<td>3</td>") && html.contains("<td>4</td>"),
        "{html}"
    );
    assert!(html.contains("Rien n&#39;a été délivré") || html.contains("Rien n'a été délivré"));

    let good = b"name,email\nLea Martin,lea@example.fr\nJo Petit,\nSam Bernard,sam@example.fr\n";
    let preview = browser
        .post_multipart(
            &app,
            &format!("{badge_path}/csv"),
            &[("csrf", &csrf)],
            Some(("file", "session.csv", "text/csv", good)),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text());
    assert!(preview
        .text()
        .contains("3 personne(s) vont recevoir le badge"));
    let csv = String::from_utf8(good.to_vec()).unwrap();
    for expected in ["3 badge(s) délivré(s). 0", "0 badge(s) délivré(s). 3"] {
        let done = browser.commit_csv(&app, &badge_path, &csrf, &csv).await;
        assert!(done.text().contains(expected), "{}", done.text());
    }
}
db_test!(csv_pages, csv_preview_lists_bad_rows_then_commits_once);

/// A French Excel file through the pages: the preview shows how each column
/// is read and its problems in French, naming the columns as the file does;
/// after the import the codes of people without e-mail are shown.
async fn french_excel_file_through_the_pages(app: TestApp) {
    app.create_org("centre-social");
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let badge_path = designed_badge(&app, &mut browser).await;
    let csrf = hidden(&browser.get(&app, &badge_path).await.text(), "csrf");
    let bad: &[u8] = b"Nom;Pr\xe9nom;Courriel\r\nRoux;Zo\xe9;zoe@\r\nDiallo;Awa;\r\n";
    let preview = browser
        .post_multipart(
            &app,
            &format!("{badge_path}/csv"),
            &[("csrf", &csrf)],
            Some(("file", "liste.csv", "text/csv", bad)),
        )
        .await;
    assert_eq!(preview.status, StatusCode::BAD_REQUEST);
    let html = preview.text();
    assert!(
        html.contains("<td>Courriel</td><td>Ce n&#39;est pas une adresse e-mail.</td>")
            || html.contains("<td>Courriel</td><td>Ce n'est pas une adresse e-mail.</td>"),
        "{html}"
    );
    assert!(html.contains("<td>Prénom</td><td>Prénom</td>"), "{html}");
    assert!(
        html.contains("<td>Nom</td><td>Nom de famille</td>"),
        "{html}"
    );
    assert!(!html.contains("not an e-mail"), "{html}");

    let good: &[u8] = b"Nom;Pr\xe9nom;Courriel\r\nRoux;Zo\xe9;zoe@example.fr\r\nDiallo;Awa;\r\n";
    let preview = browser
        .post_multipart(
            &app,
            &format!("{badge_path}/csv"),
            &[("csrf", &csrf)],
            Some(("file", "liste.csv", "text/csv", good)),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text());
    let html = preview.text();
    assert!(html.contains("<td>Zoé Roux</td>"), "{html}");
    let csv = hidden(&html, "csv")
        .replace("&#10;", "\n")
        .replace("&#13;", "\r");
    let done = browser.commit_csv(&app, &badge_path, &csrf, &csv).await;
    let html = done.text();
    assert!(html.contains("2 badge(s) délivré(s)."), "{html}");
    assert!(
        html.contains("Awa Diallo</a></td><td class=\"code-inline\">"),
        "{html}"
    );
}
db_test!(french_excel_pages, french_excel_file_through_the_pages);

async fn erasing_a_participant_removes_their_data_and_revokes(app: TestApp) {
    app.create_org("centre-social");
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let mut facilitator = Browser::default();
    facilitator.login(&app, "marie@example.fr").await;
    let badge_path = designed_badge(&app, &mut facilitator).await;
    let html = facilitator.get(&app, &badge_path).await.text();
    let csrf = hidden(&html, "csrf");
    let awarded = facilitator
        .post_form(
            &app,
            &format!("{badge_path}/award"),
            &[
                ("csrf", &csrf),
                ("idempotency_key", &hidden(&html, "idempotency_key")),
                ("name", "Awa Diallo"),
                ("email", "awa@example.fr"),
                ("consent", "yes"),
                ("narrative", "Démarche CAF en ligne"),
            ],
        )
        .await;
    let award_path = location(&awarded).split('?').next().unwrap().to_owned();
    let award_id = award_path.rsplit('/').next().unwrap().to_owned();
    let token = app
        .state
        .db
        .run_blocking(|conn| {
            let org = issuer::orgs::by_slug(conn, "centre-social")?;
            issuer::awards::by_id(conn, &org.id, &award_id)
        })
        .unwrap()
        .public_token;
    // Without the confirmation box, nothing is erased.
    let unconfirmed = facilitator
        .post_form(&app, &format!("{award_path}/erase"), &[("csrf", &csrf)])
        .await;
    assert_eq!(unconfirmed.status, StatusCode::BAD_REQUEST);
    let erased = facilitator
        .post_form(
            &app,
            &format!("{award_path}/erase"),
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(erased.status, StatusCode::SEE_OTHER);
    let page = facilitator.get(&app, &award_path).await.text();
    assert!(page.contains("Les données de la personne ont été effacées"));
    assert!(!page.contains("Awa Diallo") && !page.contains("awa@example.fr"));

    let award = app
        .state
        .db
        .run_blocking(|conn| {
            let org = issuer::orgs::by_slug(conn, "centre-social")?;
            issuer::awards::by_id(conn, &org.id, &award_id)
        })
        .unwrap();
    assert!(
        award.is_erased() && award.is_revoked(),
        "{:?}",
        award.credential
    );
    for value in [
        award.recipient_name.as_str(),
        award.credential.as_str(),
        award.recipient_email.as_deref().unwrap_or(""),
        award.narrative.as_deref().unwrap_or(""),
    ] {
        assert!(!value.contains("Awa") && !value.contains("awa@"), "{value}");
    }
    let public = Browser::default()
        .get(&app, &format!("/credentials/{token}"))
        .await;
    assert_eq!(public.status, StatusCode::GONE, "{}", public.text());
    assert!(public
        .text()
        .contains("les données de la personne ont été effacées"));
    for (path, accept) in [
        (format!("/credentials/{token}"), "application/json"),
        (format!("/credentials/{token}.json"), "*/*"),
    ] {
        let resp = app
            .send(
                TestRequest::get()
                    .uri(&path)
                    .insert_header((header::ACCEPT, accept)),
            )
            .await;
        assert_eq!(resp.status, StatusCode::GONE, "{path}");
        assert!(!resp.text().contains("Awa"), "{}", resp.text());
    }
}
db_test!(erase, erasing_a_participant_removes_their_data_and_revokes);

async fn admins_rotate_keys_from_the_page_facilitators_cannot(app: TestApp) {
    app.create_org("centre-social");
    app.create_user("admin@example.fr", "centre-social", Role::Admin);
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let mut admin = Browser::default();
    admin.login(&app, "admin@example.fr").await;
    let page = admin.get(&app, "/app/centre-social/keys").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = hidden(&page.text(), "csrf");
    assert_eq!(
        page.text()
            .matches("<span class=\"status-active\">")
            .count(),
        2
    );
    let rotated = admin
        .post_form(
            &app,
            "/app/centre-social/keys/rotate",
            &[("csrf", &csrf), ("algorithm", "Ed25519")],
        )
        .await;
    assert_eq!(rotated.status, StatusCode::SEE_OTHER);
    let page = admin.get(&app, &location(&rotated)).await.text();
    assert!(page.contains("La nouvelle clé est active."));
    assert!(page.contains("Retirée le"));
    // The retired key stays published in the profile.
    let profile = app
        .get("/orgs/centre-social", &crate::support::Auth::None)
        .await
        .json();
    assert_eq!(profile["assertionMethod"].as_array().map(Vec::len), Some(3));

    let mut facilitator = Browser::default();
    facilitator.login(&app, "marie@example.fr").await;
    let refused = facilitator.get(&app, "/app/centre-social/keys").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let dashboard = facilitator.get(&app, "/app/centre-social").await.text();
    let csrf = hidden(&dashboard, "csrf");
    let refused = facilitator
        .post_form(
            &app,
            "/app/centre-social/keys/rotate",
            &[("csrf", &csrf), ("algorithm", "Ed25519")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
db_test!(
    keys_page,
    admins_rotate_keys_from_the_page_facilitators_cannot
);

/// `issuer org create --network` makes a member; the network's page lists
/// its members with their activity; members see nothing of the network.
#[actix_web::test]
async fn a_network_lists_its_member_organisations() {
    use clap::Parser as _;
    let app = TestApp::sqlite().await;
    app.create_org("reseau-cher");
    app.create_user("coord@example.fr", "reseau-cher", Role::Admin);
    let data_dir = app.state.config.data_dir.to_str().unwrap().to_owned();
    for (slug, name) in [
        ("centre-vierzon", "Centre social de Vierzon"),
        ("mediatheque", "Médiathèque de Bourges"),
    ] {
        let cli = issuer::cli::Cli::try_parse_from([
            "issuer",
            "org",
            "create",
            "--slug",
            slug,
            "--name",
            name,
            "--network",
            "reseau-cher",
            "--data-dir",
            &data_dir,
        ])
        .unwrap();
        assert_eq!(
            issuer::cli::run(cli).unwrap(),
            std::process::ExitCode::SUCCESS
        );
    }
    // Unknown network: refused, nothing created.
    let cli = issuer::cli::Cli::try_parse_from([
        "issuer",
        "org",
        "create",
        "--slug",
        "orphan",
        "--name",
        "Orphan",
        "--network",
        "nowhere",
        "--data-dir",
        &data_dir,
    ])
    .unwrap();
    assert!(issuer::cli::run(cli).is_err());
    app.create_user("marie@example.fr", "centre-vierzon", Role::Facilitator);

    let mut coordinator = Browser::default();
    coordinator.login(&app, "coord@example.fr").await;
    let dashboard = coordinator.get(&app, "/app/reseau-cher").await.text();
    assert!(
        dashboard.contains("Structures du réseau (2)"),
        "{dashboard}"
    );
    let page = coordinator.get(&app, "/app/reseau-cher/members").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("Centre social de Vierzon") && html.contains("Médiathèque de Bourges"));
    assert!(html.contains("Aucun pour le moment"));
    // A member's facilitator cannot open the network's pages.
    let mut member = Browser::default();
    member.login(&app, "marie@example.fr").await;
    let refused = member.get(&app, "/app/reseau-cher/members").await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}

/// An old award is found again: by name, e-mail or code, per badge and per
/// workshop, a page at a time; its page then revokes it.
async fn old_awards_are_found_by_search_and_pages(app: TestApp) {
    app.create_org("centre-social");
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let mut facilitator = Browser::default();
    facilitator.login(&app, "marie@example.fr").await;
    let badge_path = designed_badge(&app, &mut facilitator).await;
    let badge_id = badge_path.rsplit('/').next().unwrap().to_owned();
    let mut first = String::new();
    for i in 0..40 {
        let html = facilitator.get(&app, &badge_path).await.text();
        let (csrf, key) = (hidden(&html, "csrf"), hidden(&html, "idempotency_key"));
        let name = if i == 0 {
            "Élise Zébulon".to_owned()
        } else {
            format!("Personne {i:02}")
        };
        let email = if i == 0 {
            "elise@example.fr".to_owned()
        } else {
            String::new()
        };
        let resp = facilitator
            .post_form(
                &app,
                &format!("{badge_path}/award"),
                &[
                    ("csrf", &csrf),
                    ("idempotency_key", &key),
                    ("name", &name),
                    ("email", &email),
                ],
            )
            .await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.text());
        if i == 0 {
            first = location(&resp).split('?').next().unwrap().to_owned();
        }
    }
    // The dashboard links to the list, which pages through every award.
    let dashboard = facilitator.get(&app, "/app/centre-social").await.text();
    assert!(dashboard.contains("/app/centre-social/awards\""));
    let all = facilitator
        .get(&app, "/app/centre-social/awards")
        .await
        .text();
    assert!(all.contains("40 badge(s) trouvé(s)."), "{all}");
    assert!(all.contains("Page 1 sur 2"), "{all}");
    assert!(all.contains("rel=\"next\""));
    let last = facilitator
        .get(&app, "/app/centre-social/awards?page=2")
        .await
        .text();
    assert!(last.contains("rel=\"prev\""));
    let rows = |html: &str| {
        html.matches("<td><a href=\"/app/centre-social/awards/")
            .count()
    };
    assert_eq!((rows(&all), rows(&last)), (25, 15));
    assert_eq!(
        all.matches("Élise Zébulon").count() + last.matches("Élise Zébulon").count(),
        1
    );
    for q in ["élise", "ZÉBULON", "elise@example"] {
        let found = facilitator
            .get(
                &app,
                &format!(
                    "/app/centre-social/awards?q={}",
                    url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
                ),
            )
            .await
            .text();
        assert!(found.contains("1 badge(s) trouvé(s)."), "{q}: {found}");
        assert!(found.contains(&first), "{q}");
    }
    let award = facilitator.get(&app, &first).await.text();
    let code = award
        .split("<p class=\"code\" id=\"claim-code\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_owned();
    let by_code = facilitator
        .get(
            &app,
            &format!(
                "/app/centre-social/awards?q={}",
                code.replace('-', "").to_lowercase()
            ),
        )
        .await
        .text();
    assert!(by_code.contains("1 badge(s) trouvé(s)."), "{by_code}");
    let per_badge = facilitator
        .get(&app, &format!("/app/centre-social/awards?badge={badge_id}"))
        .await
        .text();
    assert!(per_badge.contains("40 badge(s) trouvé(s)."));
    let none = facilitator
        .get(&app, "/app/centre-social/awards?workshop=none&page=zz")
        .await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(none.text().contains("0 badge(s) trouvé(s)."));
    // Revoked from its page, as any award.
    let csrf = hidden(&award, "csrf");
    let revoked = facilitator
        .post_form(
            &app,
            &format!("{first}/revoke"),
            &[("csrf", &csrf), ("reason", "Erreur")],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    // Typed without its accents, the name is found all the same.
    for q in ["zebulon", "z%C3%A9bulon", "ELISE"] {
        let found = facilitator
            .get(&app, &format!("/app/centre-social/awards?q={q}"))
            .await
            .text();
        assert!(found.contains("1 badge(s) trouvé(s)."), "{q}: {found}");
        assert!(
            found.contains("Retiré") || found.contains("status-revoked"),
            "{found}"
        );
    }
}
db_test!(award_search, old_awards_are_found_by_search_and_pages);

/// A refused award speaks French on a French page: no field name, no
/// English, no jargon; the typed values stay.
async fn refused_award_speaks_the_page_language(app: TestApp) {
    app.create_org("centre-social");
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let mut facilitator = Browser::default();
    facilitator.login(&app, "marie@example.fr").await;
    let badge_path = designed_badge(&app, &mut facilitator).await;
    let html = facilitator.get(&app, &badge_path).await.text();
    assert!(html.contains("Format standard (recommandé)"));
    for jargon in ["VC-JWT", "Data Integrity", "RS256", "Ed25519"] {
        assert!(!html.contains(jargon), "{jargon}");
    }
    let (csrf, key) = (hidden(&html, "csrf"), hidden(&html, "idempotency_key"));
    let refused = facilitator
        .post_form(
            &app,
            &format!("{badge_path}/award"),
            &[
                ("csrf", &csrf),
                ("idempotency_key", &key),
                ("name", "Awa Diallo"),
                ("email", "awa@"),
                ("narrative", "A rempli sa déclaration."),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let html = refused.text();
    assert!(
        html.contains("L&#39;adresse e-mail n&#39;est pas valable")
            || html.contains("L'adresse e-mail n'est pas valable"),
        "{html}"
    );
    assert!(
        !html.contains("recipient_email") && !html.contains("not an e-mail"),
        "{html}"
    );
    assert!(html.contains("value=\"awa@\"") && html.contains("A rempli sa déclaration."));
}
db_test!(award_language, refused_award_speaks_the_page_language);
