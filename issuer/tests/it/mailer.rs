//! Award e-mails, delivered to a minimal SMTP sink started by the test:
//! a new award with an address sends one message with the credential URL;
//! an award without an address, or repeated with its idempotency key, sends
//! nothing; an unreachable server does not fail the award.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::Duration;

use actix_web::http::StatusCode;
use base64::Engine as _;
use issuer::users::Role;
use serde_json::json;

use crate::pages::{hidden, Browser};
use crate::support::{Auth, TestApp};

/// A message the sink accepted.
struct Delivered {
    recipients: Vec<String>,
    data: String,
}

/// An SMTP server that accepts everything and hands each message over.
struct SmtpSink {
    address: SocketAddr,
    delivered: mpsc::Receiver<Delivered>,
}

impl SmtpSink {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let (sender, delivered) = mpsc::channel();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let sender = sender.clone();
                std::thread::spawn(move || {
                    let _ = session(stream, &sender);
                });
            }
        });
        Self { address, delivered }
    }

    fn url(&self) -> url::Url {
        format!("smtp://{}", self.address).parse().unwrap()
    }

    /// The next message, waiting at most a few seconds for it.
    fn next(&self) -> Delivered {
        self.delivered
            .recv_timeout(Duration::from_secs(10))
            .expect("a message within 10 s")
    }

    /// Whether nothing was delivered so far (sending is awaited by the
    /// handler, so anything sent has arrived once the response is read).
    fn is_empty(&self) -> bool {
        self.delivered.try_recv().is_err()
    }
}

fn session(stream: TcpStream, sender: &mpsc::Sender<Delivered>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    writer.write_all(b"220 sink.test ESMTP\r\n")?;
    let mut recipients = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
            b"250 sink.test\r\n"
        } else if command.starts_with("MAIL FROM") {
            b"250 ok\r\n"
        } else if command.starts_with("RCPT TO") {
            let address = line
                .split_once('<')
                .and_then(|(_, rest)| rest.split_once('>'))
                .map(|(address, _)| address.to_owned())
                .unwrap_or_default();
            recipients.push(address);
            b"250 ok\r\n"
        } else if command == "DATA" {
            writer.write_all(b"354 go ahead\r\n")?;
            let mut data = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line)? == 0 {
                    return Ok(());
                }
                if line.trim_end_matches(['\r', '\n']) == "." {
                    break;
                }
                // Dot-unstuffing (RFC 5321 4.5.2).
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            let _ = sender.send(Delivered {
                recipients: std::mem::take(&mut recipients),
                data,
            });
            b"250 queued\r\n"
        } else if command == "QUIT" {
            writer.write_all(b"221 bye\r\n")?;
            return Ok(());
        } else if command == "RSET" || command == "NOOP" {
            b"250 ok\r\n"
        } else {
            b"502 not implemented\r\n"
        };
        writer.write_all(reply)?;
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
async fn a_new_award_with_an_address_is_emailed_once() {
    let sink = SmtpSink::start();
    let app = TestApp::sqlite_with(|config| {
        config.smtp_url = Some(sink.url());
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

    // Without an address: nothing is sent.
    let resp = app.post(path, &fixture.token, award(None, "k1")).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
    assert!(sink.is_empty());

    let resp = app
        .post(path, &fixture.token, award(Some("awa@example.fr"), "k2"))
        .await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
    let credential_url = resp.json()["credential_url"].as_str().unwrap().to_owned();
    let message = sink.next();
    assert_eq!(message.recipients, ["awa@example.fr"]);
    assert!(message.data.contains("badges@centre.example"));
    let text = body_text(&message.data);
    assert!(text.contains(&credential_url), "{text}");
    assert!(text.contains("Bonjour Awa Diallo"), "{text}");
    assert!(text.contains("Démarches en ligne"), "{text}");
    assert!(text.find("Bonjour").unwrap() < text.find("Hello").unwrap());

    // The same request again answers the same award and sends nothing more.
    let again = app
        .post(path, &fixture.token, award(Some("awa@example.fr"), "k2"))
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(sink.is_empty());
}

#[actix_web::test]
async fn the_award_page_emails_the_participant() {
    let sink = SmtpSink::start();
    let app = TestApp::sqlite_with(|config| config.smtp_url = Some(sink.url())).await;
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
    let message = sink.next();
    assert_eq!(message.recipients, ["lea@example.fr"]);
    let award_page = browser
        .get(&app, awarded.header("location").unwrap().as_str())
        .await
        .text();
    let text = body_text(&message.data);
    let url = text
        .lines()
        .find(|l| l.contains("/credentials/"))
        .expect("a credential link")
        .trim();
    assert!(award_page.contains(url), "{url}");
}

#[actix_web::test]
async fn an_unreachable_smtp_server_does_not_fail_the_award() {
    // A port that was just free: connecting is refused at once.
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let app = TestApp::sqlite_with(|config| {
        config.smtp_url = Some(format!("smtp://{closed}").parse().unwrap());
    })
    .await;
    let fixture = fixture(&app).await;
    let resp = app
        .post(
            "/api/v1/orgs/centre-social/awards",
            &fixture.token,
            json!({
                "achievement_id": fixture.achievement_id,
                "recipient_name": "Awa Diallo",
                "recipient_email": "awa@example.fr",
            }),
        )
        .await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
}
