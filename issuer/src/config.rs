//! Service configuration, read once at start-up.
//!
//! [`Config::from_env`] is the only place in the issuer that reads
//! `std::env`; everything else receives a [`Config`]. Tests build one in code
//! with [`Config::for_data_dir`]. Every variable is listed with its default in
//! `issuer/.env.sample`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use url::Url;

use crate::throttle::ranges::{self, AddressRange};

/// Default address `issuer serve` listens on.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
/// Default data directory (SQLite file, generated master key).
pub const DEFAULT_DATA_DIR: &str = "./data";
/// Default sender of award e-mails (`ISSUER_SMTP_FROM`).
pub const DEFAULT_SMTP_FROM: &str = "badges@localhost";

/// A configuration value that could not be used; names the variable.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A variable is set but its value cannot be parsed.
    #[error("{variable}: {reason}")]
    Invalid {
        /// The environment variable (or flag) at fault.
        variable: &'static str,
        /// Why its value was refused.
        reason: String,
    },
}

/// Everything the issuer service needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address the HTTP server binds to (`ISSUER_BIND`, `--bind`).
    pub bind: SocketAddr,
    /// Directory for the SQLite file and the generated master key
    /// (`ISSUER_DATA_DIR`, `--data-dir`).
    pub data_dir: PathBuf,
    /// Database URL (`ISSUER_DATABASE_URL`): `postgres://...` selects
    /// PostgreSQL, anything else is a SQLite file path. `None`: the file
    /// `issuer.sqlite3` in the data directory.
    pub database_url: Option<SecretString>,
    /// Connections kept in the pool (`ISSUER_DATABASE_POOL_SIZE`).
    pub database_pool_size: u32,
    /// Public base URL used to build every published id
    /// (`ISSUER_PUBLIC_URL`); `None`: `http://<bind>`.
    pub public_url: Option<Url>,
    /// Base URL of the verifier service linked from credential pages
    /// (`ISSUER_VERIFIER_URL`).
    pub verifier_url: Option<Url>,
    /// Master key encrypting private keys at rest, 32 bytes in base64
    /// (`ISSUER_MASTER_KEY`); `None`: read or generate `master.key` in the
    /// data directory.
    pub master_key: Option<SecretString>,
    /// Session lifetime in seconds (`ISSUER_SESSION_TTL_SECONDS`).
    pub session_ttl_seconds: i64,
    /// Failed logins allowed per account and client address per window
    /// (`ISSUER_LOGIN_MAX_FAILURES`); per account from all addresses
    /// together, ten times as many.
    pub login_max_failures: i64,
    /// Failed logins allowed per client address, all accounts together, per
    /// window (`ISSUER_LOGIN_MAX_FAILURES_PER_CLIENT`); its network (/24,
    /// /48), five times as many.
    pub login_max_failures_per_client: i64,
    /// Throttling window in seconds (`ISSUER_LOGIN_WINDOW_SECONDS`).
    pub login_window_seconds: i64,
    /// Header a trusted reverse proxy puts the client's address in
    /// (`ISSUER_TRUSTED_PROXY_HEADER`: `X-Forwarded-For`, `X-Real-IP`...),
    /// lowercase; `None`: the TCP peer is the client (crate::throttle::client).
    pub trusted_proxy_header: Option<String>,
    /// Peers whose `trusted_proxy_header` is believed
    /// (`ISSUER_TRUSTED_PROXIES`, addresses or ranges, comma-separated;
    /// default loopback).
    pub trusted_proxies: Vec<AddressRange>,
    /// Wrong claim codes allowed per client address per window
    /// (`ISSUER_CLAIM_MAX_FAILURES`); its network (/24, /48) gets five times as many.
    pub claim_max_failures: i64,
    /// Wrong claim codes from all clients together per window beyond which a
    /// client that has already failed once is refused until the window ends
    /// (`ISSUER_CLAIM_MAX_FAILURES_TOTAL`).
    pub claim_max_failures_total: i64,
    /// Claim code throttling window in seconds (`ISSUER_CLAIM_WINDOW_SECONDS`).
    pub claim_window_seconds: i64,
    /// Log filter, `tracing_subscriber::EnvFilter` syntax (`ISSUER_LOG`).
    pub log_filter: String,
    /// SMTP server award e-mails go through (`ISSUER_SMTP_URL`, see
    /// [`SmtpSettings::parse`]). `None`: no e-mail is sent, and the pages
    /// say so and show the codes to print.
    pub smtp: Option<SmtpSettings>,
    /// Sender of award e-mails (`ISSUER_SMTP_FROM`), `address` or
    /// `Name <address>`.
    pub smtp_from: String,
    /// Bearer token that opens `GET /metrics` (`ISSUER_METRICS_TOKEN`, at
    /// least [`METRICS_TOKEN_MIN_LEN`] characters). `None`: no `/metrics`
    /// (404).
    pub metrics_token: Option<SecretString>,
}

/// The shortest `ISSUER_METRICS_TOKEN` accepted: guessing it must be hopeless.
pub const METRICS_TOKEN_MIN_LEN: usize = 32;

impl Config {
    /// The defaults, with the given data directory: what tests start from.
    pub fn for_data_dir(data_dir: impl AsRef<Path>) -> Self {
        Self {
            // Invariant: DEFAULT_BIND is a valid literal socket address.
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: data_dir.as_ref().to_path_buf(),
            database_url: None,
            database_pool_size: 8,
            public_url: None,
            verifier_url: None,
            master_key: None,
            session_ttl_seconds: 8 * 3600,
            login_max_failures: 5,
            login_max_failures_per_client: 20,
            login_window_seconds: 15 * 60,
            trusted_proxy_header: None,
            trusted_proxies: ranges::loopback(),
            claim_max_failures: 20,
            claim_max_failures_total: 1000,
            claim_window_seconds: 15 * 60,
            log_filter: "info".to_owned(),
            smtp: None,
            smtp_from: DEFAULT_SMTP_FROM.to_owned(),
            metrics_token: None,
        }
    }

    /// Reads the configuration from the environment; unset variables take
    /// their defaults, a bad value fails naming its variable.
    pub fn from_env() -> Result<Self, ConfigError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let mut config =
            Self::for_data_dir(var("ISSUER_DATA_DIR").unwrap_or_else(|| DEFAULT_DATA_DIR.into()));
        if let Some(bind) = var("ISSUER_BIND") {
            config.bind = parse_bind("ISSUER_BIND", &bind)?;
        }
        config.database_url = var("ISSUER_DATABASE_URL").map(SecretString::from);
        if let Some(size) = var("ISSUER_DATABASE_POOL_SIZE") {
            config.database_pool_size = parse_number("ISSUER_DATABASE_POOL_SIZE", &size)?;
        }
        if let Some(url) = var("ISSUER_PUBLIC_URL") {
            config.public_url = Some(parse_base_url("ISSUER_PUBLIC_URL", &url)?);
        }
        if let Some(url) = var("ISSUER_VERIFIER_URL") {
            config.verifier_url = Some(parse_base_url("ISSUER_VERIFIER_URL", &url)?);
        }
        config.master_key = var("ISSUER_MASTER_KEY").map(SecretString::from);
        if let Some(ttl) = var("ISSUER_SESSION_TTL_SECONDS") {
            config.session_ttl_seconds = parse_number("ISSUER_SESSION_TTL_SECONDS", &ttl)?;
        }
        if let Some(max) = var("ISSUER_LOGIN_MAX_FAILURES") {
            config.login_max_failures = parse_number("ISSUER_LOGIN_MAX_FAILURES", &max)?;
        }
        if let Some(window) = var("ISSUER_LOGIN_WINDOW_SECONDS") {
            config.login_window_seconds = parse_number("ISSUER_LOGIN_WINDOW_SECONDS", &window)?;
        }
        if let Some(header) = var("ISSUER_TRUSTED_PROXY_HEADER") {
            config.trusted_proxy_header =
                Some(parse_header_name("ISSUER_TRUSTED_PROXY_HEADER", &header)?);
        }
        if let Some(proxies) = var("ISSUER_TRUSTED_PROXIES") {
            config.trusted_proxies =
                ranges::parse_ranges(&proxies).map_err(|reason| ConfigError::Invalid {
                    variable: "ISSUER_TRUSTED_PROXIES",
                    reason,
                })?;
        }
        for (name, target) in [
            (
                "ISSUER_LOGIN_MAX_FAILURES_PER_CLIENT",
                &mut config.login_max_failures_per_client,
            ),
            ("ISSUER_CLAIM_MAX_FAILURES", &mut config.claim_max_failures),
            (
                "ISSUER_CLAIM_MAX_FAILURES_TOTAL",
                &mut config.claim_max_failures_total,
            ),
            (
                "ISSUER_CLAIM_WINDOW_SECONDS",
                &mut config.claim_window_seconds,
            ),
        ] {
            if let Some(value) = var(name) {
                *target = parse_positive(name, &value)?;
            }
        }
        if let Some(filter) = var("ISSUER_LOG") {
            config.log_filter = filter;
        }
        if let Some(url) = var("ISSUER_SMTP_URL") {
            let mut smtp = SmtpSettings::parse("ISSUER_SMTP_URL", &url)?;
            if let Some(path) = var("ISSUER_SMTP_CA_FILE") {
                smtp.extra_root = Some(read_pem("ISSUER_SMTP_CA_FILE", &path)?);
            }
            config.smtp = Some(smtp);
        }
        if let Some(from) = var("ISSUER_SMTP_FROM") {
            config.smtp_from = parse_mailbox("ISSUER_SMTP_FROM", &from)?;
        }
        if let Some(token) = var("ISSUER_METRICS_TOKEN") {
            config.metrics_token = Some(parse_token("ISSUER_METRICS_TOKEN", &token)?);
        }
        Ok(config)
    }

    /// Sets the bind address from the `--bind` flag.
    pub fn with_bind(mut self, bind: &str) -> Result<Self, ConfigError> {
        self.bind = parse_bind("--bind", bind)?;
        Ok(self)
    }

    /// The public base URL, without a trailing slash: the configured one or
    /// `http://<bind>`.
    pub fn public_base(&self) -> String {
        match &self.public_url {
            Some(url) => url.as_str().trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.bind),
        }
    }

    /// Whether the public URL is https: every cookie then carries `Secure`,
    /// and every response `Strict-Transport-Security`.
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_ref()
            .is_some_and(|url| url.scheme() == "https")
    }
}

fn parse_bind(variable: &'static str, value: &str) -> Result<SocketAddr, ConfigError> {
    value
        .parse()
        .map_err(|e: std::net::AddrParseError| ConfigError::Invalid {
            variable,
            reason: format!("not a socket address like 127.0.0.1:8080 ({e})"),
        })
}

fn parse_number<T: std::str::FromStr>(variable: &'static str, value: &str) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    value
        .trim()
        .parse()
        .map_err(|e: T::Err| ConfigError::Invalid {
            variable,
            reason: format!("not a number ({e})"),
        })
}

/// A bearer token: printable ASCII without spaces, long enough. The error
/// never quotes the value.
fn parse_token(variable: &'static str, value: &str) -> Result<SecretString, ConfigError> {
    let token = value.trim();
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ConfigError::Invalid {
            variable,
            reason: "must be printable ASCII characters without spaces".into(),
        });
    }
    if token.len() < METRICS_TOKEN_MIN_LEN {
        return Err(ConfigError::Invalid {
            variable,
            reason: format!(
                "must be at least {METRICS_TOKEN_MIN_LEN} characters (openssl rand -hex 32 makes one)"
            ),
        });
    }
    Ok(SecretString::from(token.to_owned()))
}

fn parse_positive(variable: &'static str, value: &str) -> Result<i64, ConfigError> {
    let number: i64 = parse_number(variable, value)?;
    if number < 1 {
        return Err(ConfigError::Invalid {
            variable,
            reason: "must be 1 or more".into(),
        });
    }
    Ok(number)
}

/// A header name, lowercase: letters, digits and hyphens.
fn parse_header_name(variable: &'static str, value: &str) -> Result<String, ConfigError> {
    let name = value.trim().to_ascii_lowercase();
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(ConfigError::Invalid {
            variable,
            reason: "not a header name such as X-Forwarded-For".into(),
        });
    }
    Ok(name)
}

fn parse_base_url(variable: &'static str, value: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(value).map_err(|e| ConfigError::Invalid {
        variable,
        reason: e.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(ConfigError::Invalid {
            variable,
            reason: "must be an http(s) URL with a host".into(),
        });
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::Invalid {
            variable,
            reason: "must not have a query or fragment".into(),
        });
    }
    Ok(url)
}

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// `smtps://`: TLS from the first byte (port 465).
    Tls,
    /// `smtp://` with credentials: STARTTLS required (port 587).
    StartTls,
    /// `smtp://` to a loopback address: STARTTLS if the server offers it.
    /// Only a server on this machine is trusted without TLS.
    LoopbackOpportunistic,
    /// `smtp://` without credentials to another host: plain SMTP to a relay,
    /// STARTTLS if the server offers it.
    Opportunistic,
}

/// Where and how award e-mails are submitted: an association's mail
/// provider (`smtps://user:password@smtp.example.org`, or `smtp://` with
/// STARTTLS on 587) or a local relay (`smtp://127.0.0.1:25`).
///
/// `Debug` never shows the password: it is a [`SecretString`].
#[derive(Clone)]
pub struct SmtpSettings {
    /// Server host name or address (no brackets).
    pub host: String,
    /// Server port.
    pub port: u16,
    /// How the connection is protected.
    pub security: SmtpSecurity,
    /// User name, when the server asks for authentication.
    pub username: Option<String>,
    /// Password, kept out of logs and errors.
    pub password: Option<SecretString>,
    /// An extra trusted root certificate, PEM (`ISSUER_SMTP_CA_FILE`), for a
    /// server with a private certificate authority.
    pub extra_root: Option<Vec<u8>>,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .field("extra_root", &self.extra_root.is_some())
            .finish()
    }
}

impl SmtpSettings {
    /// Reads `smtps://[user:password@]host[:port]` (TLS, port 465) or
    /// `smtp://[user:password@]host[:port]` (STARTTLS required when there
    /// are credentials, port 587; port 25 otherwise). Credentials over plain
    /// SMTP are accepted only to a loopback address (a relay on this
    /// machine). Percent-encoded user names and passwords are decoded. The
    /// error never quotes the value, which may hold the password.
    pub fn parse(variable: &'static str, value: &str) -> Result<Self, ConfigError> {
        let invalid = |reason: &str| ConfigError::Invalid {
            variable,
            reason: reason.to_owned(),
        };
        let url = Url::parse(value.trim())
            .map_err(|_| invalid("not a URL: smtps://user:password@host or smtp://host"))?;
        let host = url
            .host_str()
            .ok_or_else(|| invalid("names no host"))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        if url.query().is_some() || url.fragment().is_some() || !matches!(url.path(), "" | "/") {
            return Err(invalid("must not have a path, query or fragment"));
        }
        let decode = |part: &str| {
            percent_encoding::percent_decode_str(part)
                .decode_utf8()
                .map(|p| p.into_owned())
                .map_err(|_| invalid("the user name or password is not UTF-8 once decoded"))
        };
        let username = match url.username() {
            "" => None,
            user => Some(decode(user)?),
        };
        let password = url
            .password()
            .map(decode)
            .transpose()?
            .map(SecretString::from);
        if username.is_some() != password.is_some() {
            return Err(invalid("give both a user name and a password, or neither"));
        }
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        let (security, default_port) = match url.scheme() {
            "smtps" => (SmtpSecurity::Tls, 465),
            "smtp" if loopback => (SmtpSecurity::LoopbackOpportunistic, 25),
            "smtp" if username.is_some() => (SmtpSecurity::StartTls, 587),
            "smtp" => (SmtpSecurity::Opportunistic, 25),
            _ => return Err(invalid("must start with smtps:// or smtp://")),
        };
        Ok(Self {
            host,
            port: url.port().unwrap_or(default_port),
            security,
            username,
            password,
            extra_root: None,
        })
    }
}

fn read_pem(variable: &'static str, path: &str) -> Result<Vec<u8>, ConfigError> {
    std::fs::read(path).map_err(|e| ConfigError::Invalid {
        variable,
        reason: format!("cannot read {path}: {e}"),
    })
}

fn parse_mailbox(variable: &'static str, value: &str) -> Result<String, ConfigError> {
    let value = value.trim();
    value
        .parse::<lettre::message::Mailbox>()
        .map_err(|e| ConfigError::Invalid {
            variable,
            reason: format!("not an e-mail address ({e})"),
        })?;
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_base_defaults_to_bind() {
        let config = Config::for_data_dir("/tmp/x")
            .with_bind("127.0.0.1:9999")
            .unwrap();
        assert_eq!(config.public_base(), "http://127.0.0.1:9999");
        assert!(!config.secure_cookies());
    }

    #[test]
    fn bad_values_name_their_variable() {
        let err = parse_bind("ISSUER_BIND", "nope").unwrap_err();
        assert!(err.to_string().starts_with("ISSUER_BIND:"));
        let err = parse_base_url("ISSUER_PUBLIC_URL", "ftp://x").unwrap_err();
        assert!(err.to_string().starts_with("ISSUER_PUBLIC_URL:"));
        assert!(parse_number::<u32>("N", "x").is_err());
        assert!(parse_positive("N", "0").is_err());
        let err = parse_token("ISSUER_METRICS_TOKEN", "short-secret").unwrap_err();
        assert!(err.to_string().starts_with("ISSUER_METRICS_TOKEN:"));
        assert!(!err.to_string().contains("short-secret"));
        assert!(parse_token("T", &"a b".repeat(20)).is_err());
        assert!(parse_token("T", &"0123456789abcdef".repeat(2)).is_ok());
        assert_eq!(parse_header_name("H", " X-Real-IP ").unwrap(), "x-real-ip");
        let err = parse_header_name("ISSUER_TRUSTED_PROXY_HEADER", "X Forwarded").unwrap_err();
        assert!(err.to_string().starts_with("ISSUER_TRUSTED_PROXY_HEADER:"));
    }

    #[test]
    fn smtp_settings_are_checked() {
        let local = SmtpSettings::parse("ISSUER_SMTP_URL", "smtp://127.0.0.1:2525").unwrap();
        assert_eq!(
            (local.port, local.security),
            (2525, SmtpSecurity::LoopbackOpportunistic)
        );
        let provider = SmtpSettings::parse(
            "ISSUER_SMTP_URL",
            "smtps://asso%40example.org:s%3Acret@smtp.example.org",
        )
        .unwrap();
        assert_eq!((provider.port, provider.security), (465, SmtpSecurity::Tls));
        assert_eq!(provider.username.as_deref(), Some("asso@example.org"));
        use secrecy::ExposeSecret as _;
        assert_eq!(
            provider.password.as_ref().unwrap().expose_secret(),
            "s:cret"
        );
        assert!(!format!("{provider:?}").contains("s:cret"));
        let submission =
            SmtpSettings::parse("ISSUER_SMTP_URL", "smtp://user:pw@smtp.example.org").unwrap();
        assert_eq!(
            (submission.port, submission.security),
            (587, SmtpSecurity::StartTls)
        );
        for bad in [
            "http://x",
            "smtp://u@x",
            "smtp://x/path",
            "smtp://x?tls=required",
            "smtps://user:topsecret@",
        ] {
            let err = SmtpSettings::parse("ISSUER_SMTP_URL", bad).unwrap_err();
            assert!(err.to_string().starts_with("ISSUER_SMTP_URL:"), "{bad}");
            assert!(!err.to_string().contains("topsecret"));
        }
        assert!(parse_mailbox("F", "Badges <badges@example.org>").is_ok());
        assert!(parse_mailbox("F", "not an address").is_err());
    }

    #[test]
    fn https_public_url_means_secure_cookies() {
        let mut config = Config::for_data_dir("/tmp/x");
        config.public_url = Some(parse_base_url("V", "https://badges.example.org/").unwrap());
        assert!(config.secure_cookies());
        assert_eq!(config.public_base(), "https://badges.example.org");
    }
}
