//! What several commands share: where the data lives ([`DataArgs`]) and the
//! log subscriber ([`init_logging`]). Apart from the dispatch in the parent
//! module, so that a command's module imports it without importing the
//! dispatch that imports the command.

use std::path::PathBuf;

use clap::Args;

use crate::config::Config;

/// Where the data lives; shared by the commands that open the database.
#[derive(Debug, Args)]
pub struct DataArgs {
    /// Data directory (SQLite file, master key); overrides ISSUER_DATA_DIR.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

impl DataArgs {
    /// The configuration from the environment, with this data directory.
    pub fn config(&self) -> anyhow::Result<Config> {
        let mut config = Config::from_env()?;
        if let Some(dir) = &self.data_dir {
            config.data_dir.clone_from(dir);
        }
        Ok(config)
    }
}

/// Installs the log subscriber (standard error, `ISSUER_LOG` filter).
pub fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log_filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}
