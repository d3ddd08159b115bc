//! The service's configuration: command-line flags and their environment
//! variables, read here and nowhere else.
//!
//! | Flag               | Variable                  | Default                |
//! |--------------------|---------------------------|------------------------|
//! | `--bind`           | `VERIFIER_BIND`           | `127.0.0.1:8081`       |
//! | `--public-url`     | `VERIFIER_PUBLIC_URL`     | `http://<bind>`        |
//! | `--allow-private`  | `VERIFIER_ALLOW_PRIVATE`  | off                    |
//! | `--trust-registry` | `VERIFIER_TRUST_REGISTRY` | none                   |
//! | `--resolver-map`   | `VERIFIER_RESOLVER_MAP`   | none                   |
//!
//! Start-up fails fast, naming the bad flag and variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use keys::OfflineResolver;

use super::trust::TrustRegistry;
use crate::net::NetConfig;

/// The address the service listens on when nothing else is said.
pub const DEFAULT_BIND: &str = "127.0.0.1:8081";

/// The flags of `verifier serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// The address and port to listen on.
    #[arg(long, env = "VERIFIER_BIND", value_name = "ADDR", default_value = DEFAULT_BIND)]
    pub bind: SocketAddr,
    /// The public base URL of this service, used in QR codes and links
    /// (default: `http://<bind>`).
    #[arg(long, env = "VERIFIER_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Allow plain http and private or loopback targets (local setups and
    /// tests only).
    #[arg(long, env = "VERIFIER_ALLOW_PRIVATE", value_parser = clap::builder::BoolishValueParser::new())]
    pub allow_private: bool,
    /// A JSON trust registry: `{"name": "...", "issuers": [{"id": "...", "name": "..."}]}`.
    #[arg(long, env = "VERIFIER_TRUST_REGISTRY", value_name = "FILE")]
    pub trust_registry: Option<PathBuf>,
    /// A JSON object mapping DIDs and URLs to the documents they resolve to;
    /// nothing is fetched for those identifiers.
    #[arg(long, env = "VERIFIER_RESOLVER_MAP", value_name = "FILE")]
    pub resolver_map: Option<PathBuf>,
}

/// Why the configuration cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// `--public-url` / `VERIFIER_PUBLIC_URL` is not an absolute http(s) URL.
    #[error("--public-url (VERIFIER_PUBLIC_URL) {value:?}: {reason}")]
    PublicUrl {
        /// The value given.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `--trust-registry` / `VERIFIER_TRUST_REGISTRY` cannot be read or parsed.
    #[error("--trust-registry (VERIFIER_TRUST_REGISTRY) {path}: {reason}")]
    TrustRegistry {
        /// The file.
        path: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// `--resolver-map` / `VERIFIER_RESOLVER_MAP` cannot be read or parsed.
    #[error("--resolver-map (VERIFIER_RESOLVER_MAP) {path}: {reason}")]
    ResolverMap {
        /// The file.
        path: String,
        /// Why it cannot be used.
        reason: String,
    },
}

/// Everything the service needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// The address to listen on.
    pub bind: SocketAddr,
    /// The public base URL, without a trailing slash
    /// (`https://verifier.example.fr`).
    pub public_url: String,
    /// Allow plain http and private, loopback and link-local targets.
    pub allow_private: bool,
    /// The issuers this deployment recognises, if it has a list.
    pub trust_registry: Option<TrustRegistry>,
    /// Documents pinned for DIDs and URLs (`--resolver-map`).
    pub pinned: OfflineResolver,
    /// The longest a request body may take to arrive, whole
    /// ([`DEFAULT_BODY_READ_TIMEOUT`]).
    pub body_read_timeout: Duration,
}

/// The longest a request body may take to arrive, whole: 20 seconds, time
/// for 2 MiB at 100 KB/s. A sender trickling bytes is answered 408.
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(20);

impl Config {
    /// A configuration listening on `bind`, public at `http://<bind>`, with
    /// the safe network rules, no trust registry and nothing pinned.
    pub fn new(bind: SocketAddr) -> Self {
        Config {
            bind,
            public_url: format!("http://{bind}"),
            allow_private: false,
            trust_registry: None,
            pinned: OfflineResolver::new(),
            body_read_timeout: DEFAULT_BODY_READ_TIMEOUT,
        }
    }

    /// Reads the flags (and their variables, already merged by clap) and
    /// the files they name.
    pub fn from_args(args: ServeArgs) -> Result<Self, ConfigError> {
        let mut config = Config::new(args.bind);
        config.allow_private = args.allow_private;
        if let Some(value) = args.public_url {
            config.public_url = public_base(&value)?;
        }
        if let Some(path) = args.trust_registry {
            config.trust_registry = Some(TrustRegistry::from_file(&path).map_err(|reason| {
                ConfigError::TrustRegistry {
                    path: path.display().to_string(),
                    reason,
                }
            })?);
        }
        if let Some(path) = args.resolver_map {
            config.pinned =
                OfflineResolver::from_map_file(&path).map_err(|e| ConfigError::ResolverMap {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                })?;
        }
        Ok(config)
    }

    /// The rules of the HTTP client: the safe defaults, or plain http and
    /// private targets allowed together (as the CLI's `--allow-private`).
    pub fn net_config(&self) -> NetConfig {
        NetConfig {
            allow_private: self.allow_private,
            allow_http: self.allow_private,
            ..NetConfig::default()
        }
    }
}

/// Checks a public base URL and drops its trailing slash.
fn public_base(value: &str) -> Result<String, ConfigError> {
    let error = |reason: &str| ConfigError::PublicUrl {
        value: value.to_owned(),
        reason: reason.to_owned(),
    };
    let url = url::Url::parse(value.trim()).map_err(|e| error(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(error("an absolute http(s) URL is expected"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(error("a base URL has no query nor fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> ServeArgs {
        ServeArgs {
            bind: "127.0.0.1:9000".parse().unwrap(),
            public_url: None,
            allow_private: false,
            trust_registry: None,
            resolver_map: None,
        }
    }

    #[test]
    fn public_url_defaults_to_the_bind_address() {
        let config = Config::from_args(args()).unwrap();
        assert_eq!(config.public_url, "http://127.0.0.1:9000");
        assert!(!config.net_config().allow_http);
    }

    #[test]
    fn public_url_is_checked_and_trimmed() {
        let config = Config::from_args(ServeArgs {
            public_url: Some("https://verifier.example.fr/".into()),
            allow_private: true,
            ..args()
        })
        .unwrap();
        assert_eq!(config.public_url, "https://verifier.example.fr");
        assert!(config.net_config().allow_private && config.net_config().allow_http);
        for bad in ["ftp://x.fr", "verifier.example.fr", "https://v.fr/?a=1"] {
            let error = Config::from_args(ServeArgs {
                public_url: Some(bad.into()),
                ..args()
            })
            .unwrap_err();
            assert!(error.to_string().contains("VERIFIER_PUBLIC_URL"), "{error}");
        }
    }

    #[test]
    fn missing_files_name_their_variable() {
        let error = Config::from_args(ServeArgs {
            trust_registry: Some("/nonexistent/registry.json".into()),
            ..args()
        })
        .unwrap_err();
        assert!(error.to_string().contains("VERIFIER_TRUST_REGISTRY"));
        let error = Config::from_args(ServeArgs {
            resolver_map: Some("/nonexistent/map.json".into()),
            ..args()
        })
        .unwrap_err();
        assert!(error.to_string().contains("VERIFIER_RESOLVER_MAP"));
    }
}
