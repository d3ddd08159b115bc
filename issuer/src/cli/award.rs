//! `issuer award`: awards an achievement to every participant of a CSV file
//! (`name,email,narrative,evidence_url,language`, or French headers), in one transaction.
//!
//! Bad rows are all printed (line, field, reason) and nothing is awarded
//! (exit 1). `--dry-run` stops after the check and tells how many rows would
//! be awarded or skipped. Resubmitting a file awards nobody twice
//! (`crate::awards::csv`). Rows for someone who already holds the badge, or
//! for the same person as an earlier row, are skipped and listed (line,
//! name, why) unless `--duplicates award`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

use super::{init_logging, DataArgs};
use crate::audit::CLI_ACTOR;
use crate::awards::csv::{self as award_csv, Batch, BatchOutcome, Duplicates, FlaggedRow, Reason};
use crate::awards::{CredentialFormat, IssueContext};
use crate::ids::AchievementId;
use crate::orgs;
use crate::state::AppState;

/// Arguments of `issuer award`.
#[derive(Debug, clap::Args)]
pub struct AwardArgs {
    /// Organisation slug.
    #[arg(long)]
    pub org: String,
    /// Achievement id.
    #[arg(long)]
    pub achievement: String,
    /// CSV file with the header `name,email,narrative,evidence_url,language` (or French headers).
    #[arg(long, value_name = "FILE")]
    pub csv: PathBuf,
    /// Check the file and count what would be awarded; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Proof format: `di` (Data Integrity eddsa-rdfc-2022) or `jwt` (VC-JWT RS256).
    #[arg(long, default_value = "di", value_parser = ["di", "jwt"])]
    pub format: String,
    /// The file's idempotency key (see `issuer::awards::csv`).
    #[arg(long, value_name = "KEY")]
    pub idempotency_key: Option<String>,
    /// Rows for someone who already holds the badge, or for the same person
    /// as an earlier row: `skip` them (listed) or `award` anyway.
    #[arg(long, default_value = "skip", value_parser = ["skip", "award"])]
    pub duplicates: String,
    #[command(flatten)]
    data: DataArgs,
}

/// Runs `issuer award`.
pub fn run(args: AwardArgs) -> anyhow::Result<ExitCode> {
    let config = args.data.config()?;
    init_logging(&config);
    let bytes = read_file(&args.csv)?;
    let rows = match award_csv::parse(&bytes) {
        Ok(rows) => rows,
        Err(errors) => {
            eprintln!(
                "{}: nothing awarded, the file has problems:",
                args.csv.display()
            );
            for e in &errors {
                eprintln!("  line {}, {}: {}", e.line, e.field, e.reason);
            }
            return Ok(ExitCode::from(1));
        }
    };
    let state = AppState::prepare(config)?;
    let achievement = AchievementId::from(args.achievement.as_str());
    let batch = Batch {
        achievement_id: &achievement,
        format: CredentialFormat::parse(&args.format).unwrap_or_default(),
        file_key: args.idempotency_key.as_deref(),
        duplicates: Duplicates::parse(&args.duplicates).unwrap_or_default(),
    };
    let total = rows.len();
    let outcome = state.db.run_blocking(|conn| -> anyhow::Result<_> {
        let org = orgs::by_slug(conn, &args.org)?;
        if args.dry_run {
            return Ok(award_csv::preview(conn, &org, &batch, &rows)?);
        }
        let ctx = IssueContext::new(state.base(), &state.master_key);
        // Drawn on stderr only when it is a terminal: scripts and logs get
        // the summary line alone.
        let bar = indicatif::ProgressBar::new(total as u64).with_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} awarded, {eta} left")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let mut progress = |done: usize| bar.set_position(done as u64);
        let outcome = award_csv::commit(conn, &ctx, &org, &batch, &rows, CLI_ACTOR, &mut progress);
        bar.finish_and_clear();
        Ok(outcome?)
    })?;
    print!(
        "{}",
        summary(total, &outcome, batch.duplicates, args.dry_run)
    );
    Ok(ExitCode::SUCCESS)
}

/// What the command prints: the counts, then every row left out and why,
/// then the duplicates awarded anyway.
fn summary(total: usize, outcome: &BatchOutcome, choice: Duplicates, dry_run: bool) -> String {
    use std::fmt::Write as _;
    let verb = if dry_run { "would be " } else { "" };
    let mut text = format!(
        "{total} rows: {} {verb}awarded, {} {verb}skipped\n",
        outcome.awarded, outcome.skipped
    );
    let describe = |row: &FlaggedRow| match row.reason {
        Reason::AlreadyImported => "already awarded by an earlier import of this file".to_owned(),
        Reason::HoldsBadge => "already holds this badge".to_owned(),
        Reason::DuplicateRow => format!(
            "the same person as line {}",
            row.same_as_line.unwrap_or_default()
        ),
    };
    if !outcome.skipped_rows.is_empty() {
        let _ = writeln!(text, "{verb}skipped:");
        for row in &outcome.skipped_rows {
            let _ = writeln!(
                text,
                "  line {} ({}): {}",
                row.line,
                row.name,
                describe(row)
            );
        }
    }
    if choice == Duplicates::Skip
        && outcome
            .skipped_rows
            .iter()
            .any(|r| r.reason != Reason::AlreadyImported)
    {
        let _ = writeln!(text, "to award the duplicates anyway: --duplicates award");
    }
    if choice == Duplicates::Award && !outcome.flagged.is_empty() {
        let _ = writeln!(
            text,
            "{verb}awarded although duplicates (--duplicates award):"
        );
        for row in &outcome.flagged {
            let _ = writeln!(
                text,
                "  line {} ({}): {}",
                row.line,
                row.name,
                describe(row)
            );
        }
    }
    text
}

fn read_file(path: &PathBuf) -> anyhow::Result<Vec<u8>> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    if size > award_csv::MAX_BYTES as u64 {
        anyhow::bail!(
            "{} is larger than {} bytes: split it",
            path.display(),
            award_csv::MAX_BYTES
        );
    }
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}
