//! Award e-mails: a short plain-text message, in French then English,
//! with the link to the participant's badge page.
//!
//! Sent over plain SMTP to `ISSUER_SMTP_URL` (`smtp://host[:port]`). No TLS
//! stack is linked, to keep the build small: production should point this
//! at a local relay (Postfix, an SMTP sidecar) that delivers onwards with
//! STARTTLS, or enable one of lettre's TLS features here first. For the same
//! reason credentials are refused in the URL (`crate::config`). Without
//! `ISSUER_SMTP_URL` nothing is sent.
//!
//! An e-mail address is personal data: neither the address nor the message
//! is ever logged, and [`MailError`] never carries them. A failed e-mail
//! never fails the award: [`notify_award`] logs the outcome with the award
//! id only.

use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{Message, SmtpTransport, Transport as _};

use crate::awards::{self, Award};
use crate::config::Config;

/// How long connecting and each SMTP exchange may take.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(10);
/// Port used when `ISSUER_SMTP_URL` names none.
pub const DEFAULT_SMTP_PORT: u16 = 25;

/// Why an e-mail was not sent. Never holds an address or message content:
/// a server's answer may quote the address, so only its class and code are
/// kept.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MailError {
    /// The recipient's or the sender's address is not a valid address.
    #[error("invalid {0} address")]
    Address(&'static str),
    /// The message could not be built.
    #[error("the message could not be built")]
    Build,
    /// The SMTP server could not be reached, or refused the message.
    #[error("SMTP delivery failed: {kind}{}", code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default())]
    Smtp {
        /// `permanent rejection`, `transient rejection`, `timeout` or
        /// `connection or protocol error`.
        kind: &'static str,
        /// The server's reply code, if it answered one.
        code: Option<String>,
    },
}

impl From<lettre::transport::smtp::Error> for MailError {
    fn from(e: lettre::transport::smtp::Error) -> Self {
        let kind = if e.is_permanent() {
            "permanent rejection"
        } else if e.is_transient() {
            "transient rejection"
        } else if e.is_timeout() {
            "timeout"
        } else {
            "connection or protocol error"
        };
        Self::Smtp {
            kind,
            code: e.status().map(|c| c.to_string()),
        }
    }
}

/// Sends the award e-mail: who awarded which badge, and the link to it.
/// Does nothing when SMTP is not configured. Blocking: call it off the
/// async executor (as [`notify_award`] does).
pub fn send_award_email(
    config: &Config,
    to: &str,
    recipient_name: &str,
    badge_name: &str,
    org_name: &str,
    credential_url: &str,
) -> Result<(), MailError> {
    let Some(url) = &config.smtp_url else {
        return Ok(());
    };
    let host = url
        .host_str()
        .ok_or(MailError::Smtp {
            kind: "connection or protocol error",
            code: None,
        })?
        .trim_start_matches('[')
        .trim_end_matches(']');
    let from: Mailbox = config
        .smtp_from
        .parse()
        .map_err(|_| MailError::Address("sender"))?;
    let to = Mailbox::new(
        Some(one_line(recipient_name)).filter(|n| !n.is_empty()),
        to.trim()
            .parse()
            .map_err(|_| MailError::Address("recipient"))?,
    );
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(format!(
            "Votre badge « {badge} » / Your badge \"{badge}\"",
            badge = one_line(badge_name)
        ))
        .header(ContentType::TEXT_PLAIN)
        .body(award_text(
            recipient_name,
            badge_name,
            org_name,
            credential_url,
        ))
        .map_err(|_| MailError::Build)?;
    // Plain SMTP on purpose: see the module documentation.
    let transport = SmtpTransport::builder_dangerous(host)
        .port(url.port().unwrap_or(DEFAULT_SMTP_PORT))
        .timeout(Some(SMTP_TIMEOUT))
        .build();
    transport.send(&message)?;
    Ok(())
}

/// The message body: French first, then English.
pub fn award_text(
    recipient_name: &str,
    badge_name: &str,
    org_name: &str,
    credential_url: &str,
) -> String {
    format!(
        "Bonjour {recipient_name},\n\n\
         {org_name} vous a délivré le badge « {badge_name} ».\n\
         Vous pouvez le voir, le télécharger et le partager ici :\n\
         {credential_url}\n\n\
         Gardez ce message : ce lien est celui de votre badge.\n\n\
         ---\n\n\
         Hello {recipient_name},\n\n\
         {org_name} has awarded you the badge \"{badge_name}\".\n\
         You can view, download and share it here:\n\
         {credential_url}\n\n\
         Keep this message: this link is your badge's address.\n"
    )
}

/// A header-safe single line: control characters (line breaks) removed.
fn one_line(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect()
}

/// E-mails the participant of a new award, when it has an address and SMTP
/// is configured, on the blocking thread pool. Logs `award email sent` or
/// `award email failed` with the award id; never fails.
pub async fn notify_award(config: Arc<Config>, base: &str, award: &Award, org_name: &str) {
    let Some(to) = award.recipient_email.clone() else {
        return;
    };
    if config.smtp_url.is_none() {
        return;
    }
    let badge_name = award
        .credential_json()
        .ok()
        .and_then(|c| {
            c.pointer("/credentialSubject/achievement/name")
                .and_then(|n| n.as_str())
                .map(str::to_owned)
        })
        .unwrap_or_default();
    let recipient_name = award.recipient_name.clone();
    let org_name = org_name.to_owned();
    let credential_url = awards::credential_url(base, &award.public_token);
    let award_id = award.id.clone();
    let sent = actix_web::web::block(move || {
        send_award_email(
            &config,
            &to,
            &recipient_name,
            &badge_name,
            &org_name,
            &credential_url,
        )
    })
    .await;
    match sent {
        Ok(Ok(())) => tracing::info!(award_id = %award_id, "award email sent"),
        Ok(Err(e)) => tracing::warn!(award_id = %award_id, error = %e, "award email failed"),
        Err(e) => tracing::warn!(award_id = %award_id, error = %e, "award email failed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_sent_without_smtp() {
        let config = Config::for_data_dir("/tmp/x");
        assert!(send_award_email(&config, "not an address", "A", "B", "C", "D").is_ok());
    }

    #[test]
    fn bad_addresses_are_named_without_their_value() {
        let mut config = Config::for_data_dir("/tmp/x");
        config.smtp_url = Some("smtp://127.0.0.1:9".parse().unwrap());
        let err = send_award_email(&config, "awa@", "Awa", "B", "C", "D").unwrap_err();
        assert_eq!(err.to_string(), "invalid recipient address");
    }

    #[test]
    fn text_is_french_then_english_with_the_link() {
        let text = award_text(
            "Awa",
            "Démarches",
            "Centre social",
            "https://x/credentials/t",
        );
        let fr = text.find("Bonjour Awa").unwrap();
        let en = text.find("Hello Awa").unwrap();
        assert!(fr < en);
        assert_eq!(text.matches("https://x/credentials/t").count(), 2);
    }
}
