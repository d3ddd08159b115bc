//! The home and login pages: French first with an English switch, the
//! login form's password and CSRF checks, the demo login.

use actix_web::http::{header, StatusCode};
use actix_web::test::TestRequest;
use issuer::users::Role;

use super::{hidden, location, Browser};
use crate::db_test;
use crate::support::{TestApp, PASSWORD};

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
