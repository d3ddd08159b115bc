//! Award e-mails, delivered to a real SMTP server (Python's aiosmtpd,
//! started by each test on loopback, see `smtp_server.py`): with and
//! without authentication, over STARTTLS and implicit TLS; on every path
//! (single award from the API and the page, workshop, CSV file); the
//! delivery status recorded per award, shown, and resent from the award
//! page; without SMTP the pages say so and give the codes.
//!
//! One file per path; the test SMTP server and the helpers the files share
//! are here.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use actix_web::http::StatusCode;
use base64::Engine as _;
use issuer::config::SmtpSettings;
use issuer::users::Role;
use serde_json::{json, Value};

use crate::pages::{hidden, location, Browser};
use crate::support::{Auth, TestApp};

mod csv;
mod deliveries;
mod single;
mod smtp;
mod workshops;

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
