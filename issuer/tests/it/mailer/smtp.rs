//! The SMTP connection: authentication over STARTTLS and implicit TLS; a
//! refused password and an unreachable server fail the e-mail, never the
//! award, and the award page says so.

use std::net::TcpListener;

use issuer::config::SmtpSettings;

use super::{fixture, single_award, ServerOptions, SmtpServer, TlsMode};
use crate::pages::Browser;
use crate::support::TestApp;

#[actix_web::test]
async fn authenticated_submission_over_starttls() {
    let server = SmtpServer::start(ServerOptions {
        user: Some(("asso@example.org", "pa:ss word")),
        tls: Some(TlsMode::RequireStartTls),
    });
    let app = TestApp::sqlite_with(|config| {
        config.smtp = Some(server.settings("smtp", "asso%40example.org:pa%3Ass%20word@"));
    })
    .await;
    let fixture = fixture(&app).await;
    let resp = single_award(&app, &fixture, "lea@example.fr").await;
    assert_eq!(resp["delivery"], "sent", "{resp}");
    let message = server.next();
    assert_eq!(message.auth.as_deref(), Some("asso@example.org"));
    assert!(message.tls, "the message went over STARTTLS");
    assert_eq!(message.recipients, ["lea@example.fr"]);
}

#[actix_web::test]
async fn authenticated_submission_over_implicit_tls() {
    let server = SmtpServer::start(ServerOptions {
        user: Some(("asso", "secret")),
        tls: Some(TlsMode::Implicit),
    });
    let app = TestApp::sqlite_with(|config| {
        config.smtp = Some(server.settings("smtps", "asso:secret@"));
    })
    .await;
    let fixture = fixture(&app).await;
    let resp = single_award(&app, &fixture, "lea@example.fr").await;
    assert_eq!(resp["delivery"], "sent", "{resp}");
    let message = server.next();
    assert_eq!(message.auth.as_deref(), Some("asso"));
    assert!(message.tls);
}

#[actix_web::test]
async fn a_refused_password_is_a_failure_shown_on_the_award_page() {
    let server = SmtpServer::start(ServerOptions {
        user: Some(("asso", "right-password")),
        tls: None,
    });
    let app = TestApp::sqlite_with(|config| {
        config.smtp = Some(server.settings("smtp", "asso:wrong-password@"));
    })
    .await;
    let fixture = fixture(&app).await;
    let resp = single_award(&app, &fixture, "lea@example.fr").await;
    assert_eq!(resp["delivery"], "failed", "{resp}");
    assert!(!resp.to_string().contains("wrong-password"));
    assert!(server.drain().is_empty());
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let id = resp["id"].as_str().unwrap();
    let page = browser
        .get(&app, &format!("/app/centre-social/awards/{id}"))
        .await
        .text();
    assert!(
        page.contains("L&#39;e-mail n&#39;a pas pu partir")
            || page.contains("L'e-mail n'a pas pu partir"),
        "{page}"
    );
    assert!(page.contains("Renvoyer l"), "{page}");
    assert!(page.contains(resp["claim_code"].as_str().unwrap()));
    // Said plainly: the server refused the login, and where to fix it;
    // never the password, nor the server's own words.
    let page = page.replace("&#39;", "'");
    assert!(
        page.contains("le serveur de messagerie a refusé le nom d'utilisateur ou le mot de passe"),
        "{page}"
    );
    assert!(page.contains("ISSUER_SMTP_URL"), "{page}");
    assert!(!page.contains("wrong-password"), "{page}");
    // The server's reply is "535 5.7.8 Authentication credentials invalid";
    // "535" alone may turn up in a random id or code on the page.
    assert!(!page.contains("5.7.8"), "{page}");
    assert!(!page.contains("Authentication credentials"), "{page}");
    // The API list gives the same reason as a stable code.
    let list = app
        .get("/api/v1/orgs/centre-social/awards", &fixture.token)
        .await
        .json();
    assert_eq!(list[0]["delivery"], "failed", "{list}");
    assert_eq!(list[0]["delivery_reason"], "auth", "{list}");
    assert!(!list.to_string().contains("wrong-password"));
}

#[actix_web::test]
async fn an_unreachable_smtp_server_does_not_fail_the_award() {
    // A port that was just free: connecting is refused at once.
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let app = TestApp::sqlite_with(|config| {
        config.smtp = Some(SmtpSettings::parse("T", &format!("smtp://{closed}")).unwrap());
    })
    .await;
    let fixture = fixture(&app).await;
    let resp = single_award(&app, &fixture, "awa@example.fr").await;
    assert_eq!(resp["delivery"], "failed", "{resp}");
}
