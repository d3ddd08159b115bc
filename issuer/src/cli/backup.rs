//! `issuer backup --out FILE` and `issuer restore --from FILE`: the command
//! lines of [`crate::backup`], saying what was written and what to keep.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{init_logging, DataArgs};
use crate::backup::{self, BackupSummary, RestoreSummary};

/// `issuer backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The backup file to write (never overwritten; mode 0600).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Put the master key in the file too. Then the file alone opens every
    /// organisation's private key: keep it as you would keep the key.
    #[arg(long)]
    pub include_master_key: bool,
    #[command(flatten)]
    data: DataArgs,
}

/// `issuer restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file to restore.
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    #[command(flatten)]
    data: DataArgs,
}

/// Runs `issuer backup`.
pub fn backup(args: BackupArgs) -> anyhow::Result<ExitCode> {
    let config = args.data.config()?;
    init_logging(&config);
    let summary = backup::create(&config, &args.out, args.include_master_key)?;
    print!("{}", written(&summary));
    Ok(ExitCode::SUCCESS)
}

/// Runs `issuer restore`.
pub fn restore(args: RestoreArgs) -> anyhow::Result<ExitCode> {
    let config = args.data.config()?;
    init_logging(&config);
    let summary = backup::restore(&config, &args.from)?;
    print!("{}", restored(&summary));
    Ok(ExitCode::SUCCESS)
}

fn rows(tables: &[(&str, usize)]) -> String {
    tables
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(table, n)| format!("  {table}: {n}\n"))
        .collect()
}

/// What `issuer backup` prints.
pub fn written(summary: &BackupSummary) -> String {
    let key = if summary.includes_master_key {
        "The master key is IN this file: whoever has the file can sign as your organisations.\n"
            .to_owned()
    } else {
        format!(
            "The master key is NOT in this file. Keep it apart (ISSUER_MASTER_KEY, or master.key \
             in the data directory): a restore needs the key with fingerprint {}.\n",
            summary.master_key_fingerprint
        )
    };
    format!(
        "Backup written to {} ({:?}, public URL {}):\n{}{key}",
        summary.path.display(),
        summary.backend,
        summary.public_url,
        rows(&summary.tables),
    )
}

/// What `issuer restore` prints.
pub fn restored(summary: &RestoreSummary) -> String {
    let mut text = format!("Restored:\n{}", rows(&summary.tables));
    if summary.master_key_from_backup {
        text.push_str("The master key came from the backup and is now in master.key.\n");
    }
    if summary.backup_public_url != summary.public_url {
        text.push_str(&format!(
            "WARNING: the backup was made at {} and this installation's public URL is {}.\n\
             Every badge names its issuer under {}: serve the restored issuer there \
             (ISSUER_PUBLIC_URL={}), or old badges will not verify.\n",
            summary.backup_public_url,
            summary.public_url,
            summary.backup_public_url,
            summary.backup_public_url,
        ));
    }
    text
}
