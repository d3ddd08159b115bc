//! Award e-mails: a short plain-text message in the participant's language
//! (French unless they read English), from the i18n catalogue, with the
//! link (and the code) the participant opens the badge with.
//!
//! Submitted to `ISSUER_SMTP_URL` ([`SmtpSettings`]): an association's mail
//! provider over TLS (`smtps://`, 465) or STARTTLS (`smtp://` with
//! credentials, 587), authenticated, or a relay on this machine. rustls with
//! the webpki roots checks the server's certificate; `ISSUER_SMTP_CA_FILE`
//! adds a private root. Without `ISSUER_SMTP_URL` nothing is sent and
//! [`crate::delivery`] records `no_smtp`, so the pages show the code to print.
//!
//! An e-mail address is personal data and the password a secret: neither
//! the address, the message nor the password is ever logged, and
//! [`MailError`] never carries them.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport as _};
use secrecy::ExposeSecret as _;

use crate::config::{Config, SmtpSecurity, SmtpSettings};
use crate::i18n::{self, Lang};

/// How long connecting and each SMTP exchange may take.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(10);

/// Why an e-mail was not sent. Never holds an address, message content or
/// password: a server's answer may quote the address, so only its class and
/// code are kept.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MailError {
    /// No SMTP server is configured.
    #[error("no SMTP server configured")]
    NotConfigured,
    /// The recipient's or the sender's address is not a valid address.
    #[error("invalid {0} address")]
    Address(&'static str),
    /// The message could not be built.
    #[error("the message could not be built")]
    Build,
    /// The TLS settings could not be built (a bad extra root certificate).
    #[error("TLS settings refused: {0}")]
    Tls(&'static str),
    /// The SMTP server could not be reached, or refused the message.
    #[error("SMTP delivery failed: {kind}{}", code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default())]
    Smtp {
        /// `permanent rejection`, `transient rejection`, `timeout`,
        /// `TLS error` or `connection or protocol error`.
        kind: &'static str,
        /// The server's reply code, if it answered one.
        code: Option<String>,
    },
}

impl MailError {
    /// A stable code for the pages to word: `no_smtp`, or the
    /// [`FailureReason`].
    pub fn code(&self) -> &'static str {
        self.reason().map_or("no_smtp", FailureReason::as_str)
    }

    /// Why the e-mail failed; `None` when no mail server is configured.
    pub fn reason(&self) -> Option<FailureReason> {
        Some(match self {
            Self::NotConfigured => return None,
            Self::Address(_) => FailureReason::Address,
            Self::Smtp {
                code: Some(code), ..
            } if AUTH_REFUSED.contains(&code.as_str()) => FailureReason::Auth,
            Self::Smtp {
                kind: "permanent rejection" | "transient rejection",
                ..
            } => FailureReason::Rejected,
            _ => FailureReason::Unreachable,
        })
    }
}

/// Why an e-mail could not be sent (the delivery `failed`), as recorded with
/// the delivery and answered by the API: never the server's own words nor
/// the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FailureReason {
    /// The mail server refused the user name or password of `ISSUER_SMTP_URL`.
    Auth,
    /// The server refused the message.
    Rejected,
    /// No answer.
    Unreachable,
    /// Not a valid address.
    Address,
}

impl FailureReason {
    /// Every reason, for the tests.
    pub const ALL: [Self; 4] = [Self::Auth, Self::Rejected, Self::Unreachable, Self::Address];

    /// The stored and API form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auth => "auth",
            Self::Rejected => "rejected",
            Self::Unreachable => "unreachable",
            Self::Address => "address",
        }
    }
}

/// Reply codes by which a server refuses to authenticate (RFC 4954): `535`
/// credentials invalid, `534` mechanism too weak, `530` authentication
/// required (no user name and password were given).
const AUTH_REFUSED: [&str; 3] = ["535", "534", "530"];

impl From<lettre::transport::smtp::Error> for MailError {
    fn from(e: lettre::transport::smtp::Error) -> Self {
        let kind = if e.is_permanent() {
            "permanent rejection"
        } else if e.is_transient() {
            "transient rejection"
        } else if e.is_timeout() {
            "timeout"
        } else if e.is_tls() {
            "TLS error"
        } else {
            "connection or protocol error"
        };
        Self::Smtp {
            kind,
            code: e.status().map(|c| c.to_string()),
        }
    }
}

/// What an award e-mail says.
#[derive(Debug, Clone)]
pub struct AwardMail<'a> {
    /// The participant's address.
    pub to: &'a str,
    /// The participant's name.
    pub recipient_name: &'a str,
    /// The badge's name.
    pub badge_name: &'a str,
    /// The awarding organisation.
    pub org_name: &'a str,
    /// The claim link.
    pub claim_url: &'a str,
    /// The claim code, for typing.
    pub claim_code: &'a str,
    /// The language the participant reads.
    pub lang: Lang,
}

/// The transport for `smtp`: TLS or STARTTLS as configured, with
/// authentication when credentials are given.
fn transport(smtp: &SmtpSettings) -> Result<SmtpTransport, MailError> {
    let mut tls = TlsParameters::builder(smtp.host.clone());
    if let Some(pem) = &smtp.extra_root {
        let root = Certificate::from_pem(pem).map_err(|_| MailError::Tls("extra root"))?;
        tls = tls.add_root_certificate(root);
    }
    let tls = tls
        .build_rustls()
        .map_err(|_| MailError::Tls("parameters"))?;
    let mut builder = SmtpTransport::builder_dangerous(smtp.host.as_str())
        .port(smtp.port)
        .timeout(Some(SMTP_TIMEOUT))
        .tls(match smtp.security {
            SmtpSecurity::Tls => Tls::Wrapper(tls),
            SmtpSecurity::StartTls => Tls::Required(tls),
            SmtpSecurity::LoopbackOpportunistic | SmtpSecurity::Opportunistic => {
                Tls::Opportunistic(tls)
            }
        });
    if let (Some(user), Some(password)) = (&smtp.username, &smtp.password) {
        builder = builder.credentials(Credentials::new(
            user.clone(),
            password.expose_secret().to_owned(),
        ));
    }
    Ok(builder.build())
}

/// Sends the award e-mail. Blocking: call it off the async executor (as
/// [`crate::delivery`] does).
pub fn send_award_email(config: &Config, mail: &AwardMail<'_>) -> Result<(), MailError> {
    let Some(smtp) = &config.smtp else {
        return Err(MailError::NotConfigured);
    };
    let from: Mailbox = config
        .smtp_from
        .parse()
        .map_err(|_| MailError::Address("sender"))?;
    let to = Mailbox::new(
        Some(one_line(mail.recipient_name)).filter(|n| !n.is_empty()),
        mail.to
            .trim()
            .parse()
            .map_err(|_| MailError::Address("recipient"))?,
    );
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(i18n::message_with(
            mail.lang,
            "mail-award-subject",
            &[("badge", &one_line(mail.badge_name))],
        ))
        .header(ContentType::TEXT_PLAIN)
        .body(award_text(mail))
        .map_err(|_| MailError::Build)?;
    transport(smtp)?.send(&message)?;
    Ok(())
}

/// The message body, in the participant's language.
pub fn award_text(mail: &AwardMail<'_>) -> String {
    let body = i18n::message_with(
        mail.lang,
        "mail-award-body",
        &[
            ("name", mail.recipient_name),
            ("org", mail.org_name),
            ("badge", mail.badge_name),
            ("url", mail.claim_url),
            ("code", mail.claim_code),
        ],
    );
    format!("{body}\n")
}

/// A header-safe single line: control characters (line breaks) removed.
fn one_line(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(to: &str) -> AwardMail<'_> {
        AwardMail {
            to,
            recipient_name: "Awa",
            badge_name: "Démarches",
            org_name: "Centre social",
            claim_url: "https://x/claim/ABCD-EFGH",
            claim_code: "ABCD-EFGH",
            lang: Lang::Fr,
        }
    }

    #[test]
    fn nothing_is_sent_without_smtp() {
        let config = Config::for_data_dir("/tmp/x");
        let err = send_award_email(&config, &mail("awa@example.fr")).unwrap_err();
        assert_eq!(err.code(), "no_smtp");
    }

    #[test]
    fn bad_addresses_are_named_without_their_value() {
        let mut config = Config::for_data_dir("/tmp/x");
        config.smtp = Some(SmtpSettings::parse("T", "smtp://127.0.0.1:9").unwrap());
        let err = send_award_email(&config, &mail("awa@")).unwrap_err();
        assert_eq!(err.to_string(), "invalid recipient address");
    }

    #[test]
    fn a_refused_login_has_its_own_code() {
        let refused = |code: &str| MailError::Smtp {
            kind: "permanent rejection",
            code: Some(code.into()),
        };
        assert_eq!(refused("535").code(), "auth");
        assert_eq!(refused("530").code(), "auth");
        assert_eq!(refused("550").code(), "rejected");
    }

    #[test]
    fn text_is_in_the_participants_language_with_the_link_and_code() {
        let french = award_text(&mail("awa@example.fr"));
        assert!(
            french.starts_with("Bonjour Awa,\n\nCentre social vous a délivré"),
            "{french}"
        );
        assert!(!french.contains("Hello"), "{french}");
        assert_eq!(french.matches("https://x/claim/ABCD-EFGH").count(), 1);
        assert_eq!(french.matches("ABCD-EFGH").count(), 2);
        let english = award_text(&AwardMail {
            lang: Lang::En,
            ..mail("awa@example.fr")
        });
        assert!(
            english.starts_with("Hello Awa,\n\nCentre social has awarded"),
            "{english}"
        );
        assert!(!english.contains("Bonjour"), "{english}");
        assert!(english.contains("Or type this code on the site: ABCD-EFGH\n"));
    }

    #[test]
    fn failure_reasons_are_stored_as_the_api_names_them() {
        for reason in FailureReason::ALL {
            assert_eq!(serde_json::to_value(reason).unwrap(), reason.as_str());
        }
    }
}
