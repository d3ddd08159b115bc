//! `issuer` command line: see `issuer --help`.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = issuer::cli::Cli::parse();
    match issuer::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
