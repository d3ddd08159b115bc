//! Award e-mails, delivered to a real SMTP server (Python's aiosmtpd,
//! started by each test on loopback, see `smtp_server.py`): with and
//! without authentication, over STARTTLS and implicit TLS; on every path
//! (single award from the API and the page, workshop, CSV file); the
//! delivery status recorded per award, shown, and resent from the award
//! page; without SMTP the pages say so and give the codes.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use actix_web::http::{Method, StatusCode};
use base64::Engine as _;
use issuer::config::SmtpSettings;
use issuer::users::Role;
use serde_json::{json, Value};

use crate::awards::raw;
use crate::pages::{hidden, location, Browser};
use crate::support::{Auth, TestApp};

/// A message the server accepted.
pub(crate) struct Delivered {
    pub(crate) recipients: Vec<String>,
    data: String,
    auth: Option<String>,
    tls: bool,
}

/// aiosmtpd in a child process; stopped when dropped (its stdin closes).
pub(crate) struct SmtpServer {
    port: u16,
    child: Child,
    stdin: Option<ChildStdin>,
    delivered: mpsc::Receiver<Delivered>,
    _dir: Option<tempfile::TempDir>,
    /// The certificate the server presents, PEM (TLS servers).
    cert: Option<Vec<u8>>,
}

/// How the test server is set up.
#[derive(Default)]
struct ServerOptions {
    user: Option<(&'static str, &'static str)>,
    tls: Option<TlsMode>,
}

#[derive(Clone, Copy, PartialEq)]
enum TlsMode {
    RequireStartTls,
    Implicit,
}

impl SmtpServer {
    fn start(options: ServerOptions) -> Self {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/it/smtp_server.py");
        let mut command = Command::new("python3");
        command.arg(&script);
        if let Some((user, password)) = options.user {
            command.args(["--user", user, "--password", password]);
        }
        let mut dir = None;
        let mut cert = None;
        if let Some(mode) = options.tls {
            let tmp = tempfile::tempdir().unwrap();
            let (cert_path, key_path) = (tmp.path().join("cert.pem"), tmp.path().join("key.pem"));
            let made = Command::new("openssl")
                .args([
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                ])
                .args(["-subj", "/CN=127.0.0.1"])
                .args(["-addext", "subjectAltName=IP:127.0.0.1"])
                // An end-entity certificate (webpki refuses a CA one as the
                // server's), trusted directly as the extra root.
                .args(["-addext", "basicConstraints=critical,CA:FALSE"])
                .arg("-keyout")
                .arg(&key_path)
                .arg("-out")
                .arg(&cert_path)
                .stderr(Stdio::null())
                .status()
                .expect("the openssl command makes the test server's certificate");
            assert!(made.success(), "openssl could not make a certificate");
            command
                .arg("--cert")
                .arg(&cert_path)
                .arg("--key")
                .arg(&key_path);
            command.arg(match mode {
                TlsMode::RequireStartTls => "--require-tls",
                TlsMode::Implicit => "--implicit-tls",
            });
            cert = Some(std::fs::read(&cert_path).unwrap());
            dir = Some(tmp);
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python3 runs the test SMTP server");
        let stdin = child.stdin.take();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().and_then(Result::ok).unwrap_or_default();
        let Some(port) = first.strip_prefix("READY ").and_then(|p| p.parse().ok()) else {
            let mut err = String::new();
            let _ = std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err);
            panic!("the test SMTP server did not start: {err}");
        };
        let (sender, delivered) = mpsc::channel();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let Ok(message) = serde_json::from_str::<Value>(&line) else {
                    continue;
                };
                let _ = sender.send(Delivered {
                    recipients: message["recipients"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|r| r.as_str().unwrap().to_owned())
                        .collect(),
                    data: message["data"].as_str().unwrap().to_owned(),
                    auth: message["auth"].as_str().map(str::to_owned),
                    tls: message["tls"].as_bool().unwrap(),
                });
            }
        });
        Self {
            port,
            child,
            stdin,
            delivered,
            _dir: dir,
            cert,
        }
    }

    pub(crate) fn plain() -> Self {
        Self::start(ServerOptions::default())
    }

    /// Settings for the issuer: `scheme://[userinfo@]127.0.0.1:port`.
    pub(crate) fn settings(&self, scheme: &str, userinfo: &str) -> SmtpSettings {
        let mut settings = SmtpSettings::parse(
            "TEST",
            &format!("{scheme}://{userinfo}127.0.0.1:{}", self.port),
        )
        .unwrap();
        settings.extra_root = self.cert.clone();
        settings
    }

    /// The next message, waiting at most a few seconds for it.
    fn next(&self) -> Delivered {
        self.delivered
            .recv_timeout(Duration::from_secs(10))
            .expect("a message within 10 s")
    }

    /// Every message that arrives within a short while (sending is awaited
    /// by the handlers, so what was sent is already on its way).
    /// Who the messages accepted until now were for, in the order received.
    pub(crate) fn recipients(&self) -> Vec<String> {
        self.drain()
            .into_iter()
            .flat_map(|m| m.recipients)
            .collect()
    }

    pub(crate) fn drain(&self) -> Vec<Delivered> {
        let mut all = Vec::new();
        while let Ok(message) = self.delivered.recv_timeout(Duration::from_millis(500)) {
            all.push(message);
        }
        all
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.write_all(b"");
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The message's text body, whatever transfer encoding lettre chose.
fn body_text(data: &str) -> String {
    let (headers, body) = data.split_once("\r\n\r\n").expect("headers and body");
    let encoding = headers
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-transfer-encoding:")
                .map(|v| v.trim().to_owned())
        })
        .unwrap_or_default();
    match encoding.as_str() {
        "base64" => {
            let compact: String = body.split_whitespace().collect();
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .unwrap(),
            )
            .unwrap()
        }
        "quoted-printable" => quoted_printable(body),
        _ => body.to_owned(),
    }
}

fn quoted_printable(body: &str) -> String {
    let joined = body.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// The message's subject, its encoded words (RFC 2047) decoded.
fn subject(data: &str) -> String {
    let (headers, _) = data.split_once("\r\n\r\n").expect("headers and body");
    // Unfold continuation lines, then take the Subject header.
    let unfolded = headers.replace("\r\n ", " ").replace("\r\n\t", " ");
    let value = unfolded
        .lines()
        .find_map(|l| l.strip_prefix("Subject: "))
        .expect("a Subject header");
    // Whitespace between two encoded words is not part of the text; any
    // other whitespace is.
    let mut out = String::new();
    let mut previous_encoded = false;
    for word in value.split_whitespace() {
        let encoded = word
            .strip_prefix("=?utf-8?b?")
            .or_else(|| word.strip_prefix("=?UTF-8?B?"))
            .and_then(|w| w.strip_suffix("?="));
        let joined_to_previous = previous_encoded && encoded.is_some();
        if !out.is_empty() && !joined_to_previous {
            out.push(' ');
        }
        match encoded {
            Some(b64) => out.push_str(
                &String::from_utf8(
                    base64::engine::general_purpose::STANDARD
                        .decode(b64)
                        .unwrap(),
                )
                .unwrap(),
            ),
            None => out.push_str(word),
        }
        previous_encoded = encoded.is_some();
    }
    out
}

struct Fixture {
    token: Auth,
    achievement_id: String,
}

async fn fixture(app: &TestApp) -> Fixture {
    app.create_org("centre-social");
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let token = app.token(&app.login("marie@example.fr").await).await;
    let resp = app
        .post(
            "/api/v1/orgs/centre-social/achievements",
            &token,
            json!({
                "name": "Démarches en ligne",
                "description": "Faire ses démarches administratives en ligne",
                "criteria_narrative": "A suivi les trois séances de l'atelier",
            }),
        )
        .await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
    Fixture {
        token,
        achievement_id: resp.json()["id"].as_str().unwrap().to_owned(),
    }
}

#[actix_web::test]
async fn a_new_award_with_an_address_is_emailed_once_with_the_claim_link() {
    let server = SmtpServer::plain();
    let app = TestApp::sqlite_with(|config| {
        config.smtp = Some(server.settings("smtp", ""));
        config.smtp_from = "Centre social <badges@centre.example>".into();
    })
    .await;
    let fixture = fixture(&app).await;
    let award = |email: Option<&str>, key: &str| {
        json!({
            "achievement_id": fixture.achievement_id,
            "recipient_name": "Awa Diallo",
            "recipient_email": email,
            "idempotency_key": key,
        })
    };
    let path = "/api/v1/orgs/centre-social/awards";

    // Without an address: nothing is sent, the code is to be printed.
    let resp = app.post(path, &fixture.token, award(None, "k1")).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
    assert_eq!(resp.json()["delivery"], "no_address");
    assert!(resp.json()["claim_code"].is_string());

    let resp = app
        .post(path, &fixture.token, award(Some("awa@example.fr"), "k2"))
        .await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
    assert_eq!(resp.json()["delivery"], "sent");
    let claim_url = resp.json()["claim_url"].as_str().unwrap().to_owned();
    let code = resp.json()["claim_code"].as_str().unwrap().to_owned();
    let message = server.next();
    assert_eq!(message.recipients, ["awa@example.fr"]);
    assert_eq!(message.auth, None);
    assert!(message.data.contains("badges@centre.example"));
    let text = body_text(&message.data);
    assert!(text.contains(&claim_url), "{text}");
    assert!(text.contains(&code), "{text}");
    assert!(text.contains("Bonjour Awa Diallo"), "{text}");
    assert!(text.contains("Démarches en ligne"), "{text}");
    // In French only, the default language.
    assert!(!text.contains("Hello"), "{text}");
    assert_eq!(subject(&message.data), "Votre badge « Démarches en ligne »");

    // The same request again answers the same award and sends nothing more.
    let again = app
        .post(path, &fixture.token, award(Some("awa@example.fr"), "k2"))
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(server.drain().is_empty());
}

/// A participant who reads English gets the e-mail in English, from the
/// API field and from the award form's choice.
#[actix_web::test]
async fn the_award_email_is_in_the_participants_language() {
    let server = SmtpServer::plain();
    let app = TestApp::sqlite_with(|config| config.smtp = Some(server.settings("smtp", ""))).await;
    let fixture = fixture(&app).await;
    let path = "/api/v1/orgs/centre-social/awards";
    let resp = app
        .post(
            path,
            &fixture.token,
            json!({
                "achievement_id": fixture.achievement_id,
                "recipient_name": "John Smith",
                "recipient_email": "john@example.org",
                "recipient_language": "en-GB",
            }),
        )
        .await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
    assert_eq!(resp.json()["recipient_language"], "en");
    let message = server.next();
    let text = body_text(&message.data);
    assert!(text.starts_with("Hello John Smith,"), "{text}");
    assert!(
        text.contains("Org centre-social has awarded you the badge \"Démarches en ligne\""),
        "{text}"
    );
    assert!(text.contains(resp.json()["claim_url"].as_str().unwrap()));
    assert!(!text.contains("Bonjour"), "{text}");
    assert_eq!(subject(&message.data), "Your badge \"Démarches en ligne\"");
    // A language the service does not write in is refused, nothing awarded.
    let refused = app
        .post(
            path,
            &fixture.token,
            json!({
                "achievement_id": fixture.achievement_id,
                "recipient_name": "Hans Weber",
                "recipient_email": "hans@example.org",
                "recipient_language": "de",
            }),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::BAD_REQUEST,
        "{}",
        refused.text()
    );
    assert_eq!(refused.error_code(), "invalid_recipient_language");

    // The award form offers the choice.
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let badge_path = format!("/app/centre-social/badges/{}", fixture.achievement_id);
    let html = browser.get(&app, &badge_path).await.text();
    assert!(html.contains("name=\"language\""), "{html}");
    let (csrf, key) = (hidden(&html, "csrf"), hidden(&html, "idempotency_key"));
    let awarded = browser
        .post_form(
            &app,
            &format!("{badge_path}/award"),
            &[
                ("csrf", &csrf),
                ("idempotency_key", &key),
                ("name", "Mary Jones"),
                ("email", "mary@example.org"),
                ("language", "en"),
                ("format", "di"),
            ],
        )
        .await;
    assert_eq!(awarded.status, StatusCode::SEE_OTHER, "{}", awarded.text());
    let message = server.next();
    assert_eq!(message.recipients, ["mary@example.org"]);
    assert!(body_text(&message.data).starts_with("Hello Mary Jones,"));
    assert!(server.drain().is_empty());
    let doc = app.get("/openapi.json", &Auth::None).await.json();
    assert!(
        doc["components"]["schemas"]["AwardInput"]["properties"]["recipient_language"].is_object()
    );
}

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
    assert!(!page.contains("535"), "{page}");
    // The API list gives the same reason as a stable code.
    let list = app
        .get("/api/v1/orgs/centre-social/awards", &fixture.token)
        .await
        .json();
    assert_eq!(list[0]["delivery"], "failed", "{list}");
    assert_eq!(list[0]["delivery_reason"], "auth", "{list}");
    assert!(!list.to_string().contains("wrong-password"));
}

/// The API list shows each award's delivery; the API sends an e-mail
/// again, and says why when it cannot.
#[actix_web::test]
async fn the_api_lists_deliveries_and_resends() {
    let server = SmtpServer::plain();
    let app = TestApp::sqlite_with(|config| config.smtp = Some(server.settings("smtp", ""))).await;
    let fixture = fixture(&app).await;
    let lea = single_award(&app, &fixture, "lea@example.fr").await;
    server.next();
    let awa = app
        .post(
            "/api/v1/orgs/centre-social/awards",
            &fixture.token,
            json!({"achievement_id": fixture.achievement_id, "recipient_name": "Awa Diallo"}),
        )
        .await
        .json();
    let list = app
        .get("/api/v1/orgs/centre-social/awards", &fixture.token)
        .await
        .json();
    let by_id = |id: &Value| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == *id)
            .cloned()
            .unwrap()
    };
    let (listed_lea, listed_awa) = (by_id(&lea["id"]), by_id(&awa["id"]));
    assert_eq!(listed_lea["delivery"], "sent", "{list}");
    assert!(listed_lea["delivery_reason"].is_null(), "{list}");
    assert!(listed_lea["delivery_at"].is_string(), "{list}");
    assert_eq!(listed_awa["delivery"], "no_address", "{list}");
    assert!(listed_awa["claim_code"].is_string(), "{list}");

    // Resend: one more message, the view says sent.
    let lea_path = format!(
        "/api/v1/orgs/centre-social/awards/{}",
        lea["id"].as_str().unwrap()
    );
    let resent = app
        .post(&format!("{lea_path}/resend"), &fixture.token, json!({}))
        .await;
    assert_eq!(resent.status, StatusCode::OK, "{}", resent.text());
    assert_eq!(resent.json()["delivery"], "sent");
    assert_eq!(server.next().recipients, ["lea@example.fr"]);
    let shown = app.get(&lea_path, &fixture.token).await.json();
    assert_eq!(shown["delivery"], "sent");

    // Nothing to send to, or a revoked award: refused, nothing sent.
    let awa_path = format!(
        "/api/v1/orgs/centre-social/awards/{}",
        awa["id"].as_str().unwrap()
    );
    let refused = app
        .post(&format!("{awa_path}/resend"), &fixture.token, json!({}))
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
    assert_eq!(refused.error_code(), "no_address");
    let revoked = app
        .post(
            &format!("{lea_path}/revoke"),
            &fixture.token,
            json!({"reason": "erreur de saisie"}),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.text());
    let refused = app
        .post(&format!("{lea_path}/resend"), &fixture.token, json!({}))
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
    assert_eq!(refused.error_code(), "award_revoked");
    assert!(server.drain().is_empty());

    // Documented.
    let doc = app.get("/openapi.json", &Auth::None).await.json();
    let path = &doc["paths"]["/api/v1/orgs/{slug}/awards/{id}/resend"];
    assert!(path.get("post").is_some(), "resend missing");
    let award = &doc["components"]["schemas"]["Award"]["properties"];
    assert!(award["delivery_reason"]["enum"]
        .as_array()
        .unwrap()
        .contains(&json!("auth")));
}

#[actix_web::test]
async fn the_api_refuses_to_resend_without_smtp() {
    let app = TestApp::sqlite().await;
    let fixture = fixture(&app).await;
    let lea = single_award(&app, &fixture, "lea@example.fr").await;
    assert_eq!(lea["delivery"], "no_smtp", "{lea}");
    let id = lea["id"].as_str().unwrap();
    let refused = app
        .post(
            &format!("/api/v1/orgs/centre-social/awards/{id}/resend"),
            &fixture.token,
            json!({}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
    assert_eq!(refused.error_code(), "smtp_not_configured");
}

#[actix_web::test]
async fn the_award_page_emails_the_participant_shows_it_and_resends() {
    let server = SmtpServer::plain();
    let app = TestApp::sqlite_with(|config| config.smtp = Some(server.settings("smtp", ""))).await;
    let fixture = fixture(&app).await;
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let badge_path = format!("/app/centre-social/badges/{}", fixture.achievement_id);
    let html = browser.get(&app, &badge_path).await.text();
    let (csrf, key) = (hidden(&html, "csrf"), hidden(&html, "idempotency_key"));
    let awarded = browser
        .post_form(
            &app,
            &format!("{badge_path}/award"),
            &[
                ("csrf", &csrf),
                ("idempotency_key", &key),
                ("name", "Léa Martin"),
                ("email", "lea@example.fr"),
                ("format", "di"),
            ],
        )
        .await;
    assert_eq!(awarded.status, StatusCode::SEE_OTHER, "{}", awarded.text());
    let message = server.next();
    assert_eq!(message.recipients, ["lea@example.fr"]);
    let award_path = location(&awarded);
    let award_page = browser.get(&app, &award_path).await.text();
    let text = body_text(&message.data);
    let url = text
        .lines()
        .find(|l| l.contains("/claim/"))
        .expect("a claim link")
        .trim();
    let code = url.rsplit('/').next().unwrap();
    assert!(award_page.contains(code), "{url}");
    assert!(award_page.contains("E-mail envoyé le"), "{award_page}");
    // Resend from the award page: one more message.
    let award_path = award_path.split('?').next().unwrap();
    let resent = browser
        .post_form(&app, &format!("{award_path}/resend"), &[("csrf", &csrf)])
        .await;
    assert_eq!(resent.status, StatusCode::SEE_OTHER);
    assert_eq!(server.next().recipients, ["lea@example.fr"]);
    let page = browser.get(&app, &location(&resent)).await.text();
    assert!(
        page.contains("Nouvel essai d&#39;envoi fait")
            || page.contains("Nouvel essai d'envoi fait"),
        "{page}"
    );
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

/// Workshop and CSV, through the pages: one e-mail per person with an
/// address, the codes of the others shown.
#[actix_web::test]
async fn workshop_and_csv_paths_email_everyone_with_an_address() {
    let server = SmtpServer::plain();
    let app = TestApp::sqlite_with(|config| config.smtp = Some(server.settings("smtp", ""))).await;
    let fixture = fixture(&app).await;
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let (html, workshop) = workshop_awarded(&app, &mut browser, &fixture).await;
    let mut to: Vec<String> = server.recipients();
    to.sort();
    assert_eq!(to, ["jo@example.fr", "lea@example.fr"], "{html}");
    assert!(html.contains("2 e-mail(s) envoyé(s)"), "{html}");
    assert!(html.contains("1 personne(s) sans adresse e-mail"), "{html}");
    assert!(
        html.contains("Awa Diallo</a></td><td class=\"code-inline\">"),
        "{html}"
    );
    assert!(!html.contains("Aucune messagerie"), "{workshop}");

    let badge_path = format!("/app/centre-social/badges/{}", fixture.achievement_id);
    let csrf = hidden(&browser.get(&app, &badge_path).await.text(), "csrf");
    let csv = "name,email\nSam Bernard,sam@example.fr\nZoé Roux,\n";
    let done = browser.commit_csv(&app, &badge_path, &csrf, csv).await;
    let html = done.text();
    let to: Vec<String> = server.recipients();
    assert_eq!(to, ["sam@example.fr"]);
    assert!(html.contains("1 e-mail(s) envoyé(s)"), "{html}");
    assert!(
        html.contains("Zoé Roux</a></td><td class=\"code-inline\">"),
        "{html}"
    );
    assert!(
        !html.contains("Sam Bernard</a></td><td class=\"code-inline\">"),
        "{html}"
    );
}

/// A workshop participant marked as reading English, from the page's
/// choice or the API's `language`, gets the badge's e-mail in English; the
/// others in French; an unknown language is refused, what was typed kept.
/// On SQLite and, when configured, PostgreSQL (the choice is a stored column).
#[actix_web::test]
async fn a_workshop_participants_language_reaches_the_email_sqlite() {
    let server = SmtpServer::plain();
    let app = TestApp::sqlite_with(|config| config.smtp = Some(server.settings("smtp", ""))).await;
    workshop_participant_language(app, server).await;
}

#[actix_web::test]
async fn a_workshop_participants_language_reaches_the_email_postgres() {
    let server = SmtpServer::plain();
    let Some(app) =
        TestApp::postgres_with(|config| config.smtp = Some(server.settings("smtp", ""))).await
    else {
        return;
    };
    workshop_participant_language(app, server).await;
}

async fn workshop_participant_language(app: TestApp, server: SmtpServer) {
    let fixture = fixture(&app).await;
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let page = browser
        .get(&app, "/app/centre-social/workshops")
        .await
        .text();
    let csrf = hidden(&page, "csrf");
    let created = browser
        .post_form(
            &app,
            "/app/centre-social/workshops",
            &[
                ("csrf", &csrf),
                ("title", "Atelier du jeudi"),
                ("achievement_id", &fixture.achievement_id),
                ("sessions", "1"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
    let path = location(&created);
    let html = browser.get(&app, &path).await.text();
    assert!(
        html.contains("<label for=\"p-language\">")
            && html.contains("<select id=\"p-language\" name=\"language\">"),
        "{html}"
    );
    // A language the page does not offer: refused in words, input kept.
    let refused = browser
        .post_form(
            &app,
            &format!("{path}/participants"),
            &[
                ("csrf", &csrf),
                ("name", "Hans Weber"),
                ("email", "hans@example.org"),
                ("language", "de"),
            ],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::BAD_REQUEST,
        "{}",
        refused.text()
    );
    let html = refused.text();
    assert!(html.contains("Choisissez la langue de l"), "{html}");
    assert!(html.contains("value=\"hans@example.org\""), "{html}");
    // A wrong address or an empty name: said in French, never with the
    // API's field names.
    for (name, email, expected) in [
        (
            "Hans Weber",
            "hans-at-example.org",
            "L'adresse e-mail n'est pas valable",
        ),
        ("   ", "", "Écrivez le nom de la personne"),
    ] {
        let refused = browser
            .post_form(
                &app,
                &format!("{path}/participants"),
                &[
                    ("csrf", &csrf),
                    ("name", name),
                    ("email", email),
                    ("language", "fr"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        let html = refused.text().replace("&#x27;", "'").replace("&#39;", "'");
        assert!(html.contains(expected), "{html}");
        assert!(
            !html.contains("email:") && !html.contains("name:"),
            "{html}"
        );
    }
    let refused = browser
        .post_form(
            &app,
            "/app/centre-social/workshops",
            &[
                ("csrf", &csrf),
                ("title", ""),
                ("achievement_id", &fixture.achievement_id),
                ("sessions", "1"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let html = refused.text().replace("&#x27;", "'").replace("&#39;", "'");
    assert!(
        html.contains("Vérifiez le formulaire : un nom d'atelier"),
        "{html}"
    );
    assert!(!html.contains("title:"), "{html}");
    for (name, email, language) in [
        ("John Smith", "john@example.org", "en"),
        ("Lea Martin", "lea@example.fr", "fr"),
    ] {
        let resp = browser
            .post_form(
                &app,
                &format!("{path}/participants"),
                &[
                    ("csrf", &csrf),
                    ("name", name),
                    ("email", email),
                    ("language", language),
                ],
            )
            .await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.text());
    }
    // The API takes the same choice; without one, French.
    let workshop_id = path.rsplit('/').next().unwrap();
    let api_path = format!("/api/v1/orgs/centre-social/workshops/{workshop_id}/participants");
    let bad = app
        .post(
            &api_path,
            &fixture.token,
            json!({"name": "Hans Weber", "email": "hans@example.org", "language": "de"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text());
    assert_eq!(bad.error_code(), "invalid_language");
    for (body, language) in [
        (
            json!({"name": "Mary Jones", "email": "mary@example.org", "language": "en-GB"}),
            "en",
        ),
        (json!({"name": "Jo Petit", "email": "jo@example.fr"}), "fr"),
    ] {
        let resp = app.post(&api_path, &fixture.token, body).await;
        assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
        assert_eq!(resp.json()["language"], language);
    }

    let page = browser.get(&app, &path).await.text();
    // The attendance sheet says who gets the e-mail in English.
    for name in ["John Smith", "Mary Jones"] {
        assert!(
            page.contains(&format!(
                "{name} <span class=\"muted\">(e-mail en anglais)</span>"
            )),
            "{name}: {page}"
        );
    }
    assert_eq!(page.matches("(e-mail en anglais)").count(), 2, "{page}");
    let marks: Vec<String> = page
        .split("name=\"present\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect();
    assert_eq!(marks.len(), 4, "{page}");
    let mut fields = vec![("csrf", csrf.as_str()), ("then", "award")];
    fields.extend(marks.iter().map(|m| ("present", m.as_str())));
    let awarded = browser
        .post_multipart(&app, &format!("{path}/attendance"), &fields, None)
        .await;
    assert_eq!(awarded.status, StatusCode::OK, "{}", awarded.text());
    let mut bodies: Vec<(String, String)> = server
        .drain()
        .into_iter()
        .map(|m| (m.recipients.join(","), body_text(&m.data)))
        .collect();
    bodies.sort();
    let to: Vec<&str> = bodies.iter().map(|(to, _)| to.as_str()).collect();
    assert_eq!(
        to,
        [
            "jo@example.fr",
            "john@example.org",
            "lea@example.fr",
            "mary@example.org"
        ]
    );
    for ((_, text), greeting) in bodies.iter().zip([
        "Bonjour Jo Petit,",
        "Hello John Smith,",
        "Bonjour Lea Martin,",
        "Hello Mary Jones,",
    ]) {
        assert!(text.starts_with(greeting), "{greeting}: {text}");
    }
}

/// A CSV file's "Langue" column chooses each person's e-mail language:
/// shown in words on the preview, an unknown language refused in the
/// reader's language, English rows mailed in English, the others in
/// French; the API reads the same column.
#[actix_web::test]
async fn a_csv_language_column_chooses_each_persons_email_language() {
    let server = SmtpServer::plain();
    let app = TestApp::sqlite_with(|config| config.smtp = Some(server.settings("smtp", ""))).await;
    let fixture = fixture(&app).await;
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let badge_path = format!("/app/centre-social/badges/{}", fixture.achievement_id);
    let csrf = hidden(&browser.get(&app, &badge_path).await.text(), "csrf");

    // As Excel in France saves it: Windows-1252, ";" ("Prénom", "Français").
    let refused = b"Nom;Pr\xe9nom;Courriel;Langue\r\nSmith;John;john@example.org;espagnol\r\n";
    let preview = browser
        .post_multipart(
            &app,
            &format!("{badge_path}/csv"),
            &[("csrf", &csrf), ("format", "di")],
            Some(("file", "participants.csv", "text/csv", refused)),
        )
        .await;
    assert_eq!(preview.status, StatusCode::BAD_REQUEST);
    let html = preview.text();
    assert!(html.contains("Langue inconnue"), "{html}");
    assert!(!html.contains("language_invalid") && !html.contains("Unknown language"));
    assert!(server.drain().is_empty());

    let file = b"Nom;Pr\xe9nom;Courriel;Langue\r\n\
                 Smith;John;john@example.org;English\r\n\
                 Roux;Zo\xe9;zoe@example.fr;Fran\xe7ais\r\n\
                 Petit;Jo;jo@example.fr;\r\n";
    let preview = browser
        .post_multipart(
            &app,
            &format!("{badge_path}/csv"),
            &[("csrf", &csrf), ("format", "di")],
            Some(("file", "participants.csv", "text/csv", file)),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text());
    let html = preview.text();
    assert!(
        html.contains("<td>Langue</td><td>Langue de l&#39;e-mail</td>")
            || html.contains("<td>Langue</td><td>Langue de l'e-mail</td>"),
        "{html}"
    );
    assert!(
        html.contains("<td>John Smith</td><td>john@example.org</td><td>Anglais</td>"),
        "{html}"
    );
    assert!(
        html.contains("<td>Jo Petit</td><td>jo@example.fr</td><td>Français</td>"),
        "{html}"
    );
    let csv = hidden(&html, "csv");
    browser.commit_csv(&app, &badge_path, &csrf, &csv).await;
    let mut bodies: Vec<(String, String)> = server
        .drain()
        .into_iter()
        .map(|m| (m.recipients.join(","), body_text(&m.data)))
        .collect();
    bodies.sort();
    let to: Vec<&str> = bodies.iter().map(|(to, _)| to.as_str()).collect();
    assert_eq!(to, ["jo@example.fr", "john@example.org", "zoe@example.fr"]);
    assert!(
        bodies[0].1.starts_with("Bonjour Jo Petit,"),
        "{}",
        bodies[0].1
    );
    assert!(
        bodies[1].1.starts_with("Hello John Smith,"),
        "{}",
        bodies[1].1
    );
    assert!(!bodies[1].1.contains("Bonjour"), "{}", bodies[1].1);
    assert!(
        bodies[2].1.starts_with("Bonjour Zoé Roux,"),
        "{}",
        bodies[2].1
    );

    // The API reads the same column, in English words too.
    let csv_path = format!(
        "/api/v1/orgs/centre-social/awards/csv?achievement_id={}",
        fixture.achievement_id
    );
    let resp = raw(
        &app,
        Method::POST,
        &csv_path,
        &fixture.token,
        &[("content-type", "text/csv")],
            b"name,email,language\nMary Jones,mary@example.org,EN\nLou Blanc,lou@example.fr,fr\nAl Brun,,Spanish\n".to_vec(),
    )
    .await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST, "{}", resp.text());
    let body = resp.json();
    assert_eq!(body["errors"][0]["code"], "language_invalid");
    assert_eq!(body["errors"][0]["line"], 4);
    assert_eq!(body["errors"][0]["column"], "language");
    let resp = raw(
        &app,
        Method::POST,
        &csv_path,
        &fixture.token,
        &[("content-type", "text/csv")],
        b"name,email,language\nMary Jones,mary@example.org,EN\nLou Blanc,lou@example.fr,fr\n"
            .to_vec(),
    )
    .await;
    assert!(resp.status.is_success(), "{}", resp.text());
    let ids = resp.json()["award_ids"].clone();
    let mut languages = Vec::new();
    for id in ids.as_array().unwrap() {
        let award = app
            .get(
                &format!("/api/v1/orgs/centre-social/awards/{}", id.as_str().unwrap()),
                &fixture.token,
            )
            .await
            .json();
        languages.push(award["recipient_language"].as_str().unwrap().to_owned());
    }
    assert_eq!(languages, ["en", "fr"]);
}

#[actix_web::test]
async fn without_smtp_the_facilitator_is_told_and_given_every_code() {
    let app = TestApp::sqlite().await;
    let fixture = fixture(&app).await;
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let (html, workshop) = workshop_awarded(&app, &mut browser, &fixture).await;
    // One A4 sheet of cards to cut out, written to each participant.
    let sheet = browser.get(&app, &format!("{workshop}/sheet")).await;
    assert_eq!(sheet.status, StatusCode::OK);
    let sheet = sheet.text();
    assert_eq!(sheet.matches("class=\"claim-card\"").count(), 3, "{sheet}");
    for first_name in ["Awa", "Lea", "Jo"] {
        assert!(sheet.contains(&format!("Bonjour {first_name},")), "{sheet}");
    }
    assert!(sheet.contains("tapez ce code"), "{sheet}");
    assert!(sheet.contains("claim-qr.png"));
    assert!(
        html.contains("Aucune messagerie n&#39;est configurée")
            || html.contains("Aucune messagerie n'est configurée"),
        "{html}"
    );
    for name in ["Awa Diallo", "Lea Martin", "Jo Petit"] {
        assert!(
            html.contains(&format!("{name}</a></td><td class=\"code-inline\">")),
            "{name}: {html}"
        );
    }
    assert!(
        html.contains("2 personne(s) avec une adresse e-mail n&#39;ont rien reçu")
            || html.contains("2 personne(s) avec une adresse e-mail n'ont rien reçu"),
        "{html}"
    );
}

/// One award through the API; its JSON view.
async fn single_award(app: &TestApp, fixture: &Fixture, email: &str) -> Value {
    let resp = app
        .post(
            "/api/v1/orgs/centre-social/awards",
            &fixture.token,
            json!({
                "achievement_id": fixture.achievement_id,
                "recipient_name": "Léa Martin",
                "recipient_email": email,
            }),
        )
        .await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
    resp.json()
}

/// A workshop of one session with three participants (Awa without
/// e-mail), everyone ticked and awarded from the page; the outcome page
/// and the workshop path.
async fn workshop_awarded(
    app: &TestApp,
    browser: &mut Browser,
    fixture: &Fixture,
) -> (String, String) {
    let page = browser
        .get(app, "/app/centre-social/workshops")
        .await
        .text();
    let csrf = hidden(&page, "csrf");
    let created = browser
        .post_form(
            app,
            "/app/centre-social/workshops",
            &[
                ("csrf", &csrf),
                ("title", "Atelier du mardi"),
                ("achievement_id", &fixture.achievement_id),
                ("sessions", "1"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
    let path = location(&created);
    for (name, email) in [
        ("Awa Diallo", ""),
        ("Lea Martin", "lea@example.fr"),
        ("Jo Petit", "jo@example.fr"),
    ] {
        let resp = browser
            .post_form(
                app,
                &format!("{path}/participants"),
                &[("csrf", &csrf), ("name", name), ("email", email)],
            )
            .await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.text());
    }
    let page = browser.get(app, &path).await.text();
    let marks: Vec<String> = page
        .split("name=\"present\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect();
    let mut fields = vec![("csrf", csrf.as_str()), ("then", "award")];
    fields.extend(marks.iter().map(|m| ("present", m.as_str())));
    let awarded = browser
        .post_multipart(app, &format!("{path}/attendance"), &fields, None)
        .await;
    assert_eq!(awarded.status, StatusCode::OK, "{}", awarded.text());
    let html = awarded.text();
    assert!(html.contains("3 badge(s) délivré(s)."), "{html}");
    (html, path)
}
