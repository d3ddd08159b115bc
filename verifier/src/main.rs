//! `verifier` command line: `verify`, `bake`, `unbake` (and `serve`, the
//! verifier service).
//!
//! Exit codes are a contract: 0 verified (or done), 1 not verified (a file
//! that holds no badge included: "not a badge" is a verdict), 2 could not
//! run (a file that cannot be read, an empty or oversized input, bad usage).

use std::fmt::Write as _;
use std::io::{Read, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use keys::OfflineResolver;
use verifier::bake::{self, MAX_IMAGE_BYTES};
use verifier::net::{HttpClient, NetConfig, NetworkResolver};
use verifier::pipeline::{self, VerifyOptions};
use verifier::report::{Outcome, Report};

#[derive(Debug, Parser)]
#[command(
    name = "verifier",
    version,
    about = "Open Badges 3.0 (and 2.0) verifier"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Verifies a credential (or an Open Badges 2.0 assertion): JSON, VC-JWT
    /// or JWS, baked PNG or SVG, or a URL.
    Verify(VerifyArgs),
    /// Bakes a credential into a PNG or SVG image (format by --out extension).
    Bake(BakeArgs),
    /// Prints the credential baked into a PNG or SVG image.
    Unbake(UnbakeArgs),
    /// Runs the verifier HTTP service (web pages and JSON API).
    Serve(verifier::service::ServeArgs),
}

#[derive(Debug, clap::Args)]
struct VerifyArgs {
    /// Print the report as one JSON object.
    #[arg(long)]
    json: bool,
    /// Judge the validity window at this instant (RFC 3339) instead of now.
    #[arg(long, value_parser = parse_now)]
    now: Option<DateTime<Utc>>,
    /// A JSON object mapping DIDs and URLs to the documents they resolve to;
    /// nothing is fetched for those identifiers.
    #[arg(long, value_name = "FILE")]
    resolver_map: Option<PathBuf>,
    /// Check that the credential was awarded to this e-mail address or name.
    #[arg(long, value_name = "EMAIL")]
    recipient: Option<String>,
    /// Allow fetching from private and loopback addresses and plain http
    /// (local setups and tests).
    #[arg(long, env = "VERIFIER_ALLOW_PRIVATE", value_parser = clap::builder::BoolishValueParser::new())]
    allow_private: bool,
    /// The input file, or `-` for standard input.
    input: String,
}

#[derive(Debug, clap::Args)]
struct BakeArgs {
    /// The credential: JSON or a compact VC-JWT.
    #[arg(long, value_name = "FILE")]
    credential: PathBuf,
    /// The image to bake into (PNG or SVG, as --out).
    #[arg(long, value_name = "FILE")]
    image: PathBuf,
    /// Where to write the baked image; `.png` or `.svg`.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

#[derive(Debug, clap::Args)]
struct UnbakeArgs {
    /// A baked PNG or SVG image.
    input: PathBuf,
}

fn parse_now(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("not an RFC 3339 date-time ({e}), e.g. 2026-06-01T00:00:00Z"))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Verify(args) => verify(args),
        Command::Bake(args) => bake_command(args),
        Command::Unbake(args) => unbake_command(args),
        Command::Serve(args) => serve_command(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // Not `eprintln!`: it panics when standard error is closed.
            let _ = writeln!(std::io::stderr(), "verifier: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Writes `text` to standard output. A reader that went away
/// (`verifier verify ... | head`) is not an error: what it did not read is
/// dropped, and the exit code still tells the verdict. (`println!` panics
/// there, since Rust programs ignore `SIGPIPE`.)
fn write_out(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| anyhow::anyhow!("cannot write to standard output: {e}")),
    }
}

/// Reads a file (or stdin for `-`), refusing anything larger than `limit`.
fn read_limited(input: &str, limit: usize) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let reader: Box<dyn Read> = if input == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(
            std::fs::File::open(input).map_err(|e| anyhow::anyhow!("cannot read {input}: {e}"))?,
        )
    };
    reader
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| anyhow::anyhow!("cannot read {input}: {e}"))?;
    if bytes.len() > limit {
        anyhow::bail!("{input} is larger than {limit} bytes");
    }
    Ok(bytes)
}

fn verify(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let offline = match &args.resolver_map {
        Some(path) => OfflineResolver::from_map_file(path)
            .map_err(|e| anyhow::anyhow!("--resolver-map {}: {e}", path.display()))?,
        None => OfflineResolver::new(),
    };
    let config = NetConfig {
        allow_private: args.allow_private,
        allow_http: args.allow_private,
        ..NetConfig::default()
    };
    let resolver = NetworkResolver::new(offline, Arc::new(HttpClient::new(config)));
    let bytes = read_limited(&args.input, MAX_IMAGE_BYTES)?;
    let options = VerifyOptions {
        now: args.now.unwrap_or_else(Utc::now),
        resolver: &resolver,
        recipient: args.recipient.as_deref(),
    };
    // The network resolver also tells a revoked hosted OB 2.0 assertion (410).
    let report = pipeline::verify_bytes_with(&bytes, &options, &resolver)?;
    if args.json {
        write_out(&format!("{}\n", serde_json::to_string(&report)?))?;
    } else {
        write_out(&report_text(&report))?;
    }
    Ok(if report.verified {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The report for people, one line per fact and per check.
fn report_text(report: &Report) -> String {
    let mut text = String::new();
    let verdict = if report.verified {
        "VERIFIED"
    } else if report.authentic {
        "NOT VERIFIED (authentic, but see the failed checks)"
    } else {
        "NOT VERIFIED"
    };
    let _ = writeln!(text, "{verdict}");
    let summary = &report.credential;
    for (label, value) in [
        ("badge", &summary.achievement_name),
        ("issuer", &summary.issuer_name),
        ("issuer id", &summary.issuer_id),
        ("valid from", &summary.valid_from),
        ("valid until", &summary.valid_until),
    ] {
        if let Some(value) = value {
            let _ = writeln!(text, "  {label}: {value}");
        }
    }
    for check in &report.checks {
        let mark = match check.outcome {
            Outcome::Passed => "passed ",
            Outcome::Failed => "FAILED ",
            Outcome::Warning => "warning",
            Outcome::Skipped => "skipped",
        };
        let _ = writeln!(text, "  [{mark}] {}: {}", check.code, check.message);
    }
    text
}

fn image_kind(path: &Path) -> anyhow::Result<bake::ImageFormat> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("png") => Ok(bake::ImageFormat::Png),
        Some("svg") => Ok(bake::ImageFormat::Svg),
        _ => anyhow::bail!("{}: the output must end in .png or .svg", path.display()),
    }
}

fn bake_command(args: BakeArgs) -> anyhow::Result<ExitCode> {
    let format = image_kind(&args.out)?;
    let credential = read_limited(
        &args.credential.to_string_lossy(),
        bake::MAX_CREDENTIAL_BYTES,
    )?;
    let credential = String::from_utf8(credential)
        .map_err(|_| anyhow::anyhow!("the credential is not UTF-8 text"))?;
    let image = read_limited(&args.image.to_string_lossy(), MAX_IMAGE_BYTES)?;
    let baked = if format == bake::ImageFormat::Png {
        bake::bake_png(&image, credential.trim())?
    } else {
        let svg = String::from_utf8(image)
            .map_err(|_| anyhow::anyhow!("the SVG image is not UTF-8 text"))?;
        bake::bake_svg(&svg, credential.trim())?.into_bytes()
    };
    std::fs::write(&args.out, baked)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", args.out.display()))?;
    Ok(ExitCode::SUCCESS)
}

fn unbake_command(args: UnbakeArgs) -> anyhow::Result<ExitCode> {
    let bytes = read_limited(&args.input.to_string_lossy(), MAX_IMAGE_BYTES)?;
    let unbaked = if bytes.starts_with(&bake::PNG_SIGNATURE) {
        bake::unbake_png(&bytes)?
    } else {
        bake::unbake_svg(&bytes)?
    };
    match unbaked {
        Some(unbaked) => {
            write_out(&format!("{}\n", unbaked.text()))?;
            Ok(ExitCode::SUCCESS)
        }
        None => anyhow::bail!("{} holds no baked credential", args.input.display()),
    }
}

fn serve_command(args: verifier::service::ServeArgs) -> anyhow::Result<ExitCode> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Logs go to standard error, coloured only on a terminal, so that a log
    // file or a journal gets plain lines and standard output stays free.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
    let config = verifier::service::Config::from_args(args)?;
    actix_web::rt::System::new().block_on(verifier::service::serve(config))?;
    Ok(ExitCode::SUCCESS)
}
