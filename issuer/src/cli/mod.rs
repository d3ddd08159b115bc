//! The `issuer` command line: `serve`, `migrate`, `org create`,
//! `user create`, `award` ([`award`]), `backup` and `restore` ([`backup`]),
//! and the engine commands `keygen` and `sign` ([`engine`]).

pub mod award;
pub mod backup;
mod common;
pub mod demo;
pub mod engine;

use std::io::BufRead;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use secrecy::SecretString;

use crate::app;
use crate::audit::CLI_ACTOR;
use crate::orgs::{self, NewOrganisation, ProfileInput};
use crate::state::{self, AppState};
use crate::users::{self, NewUser, Role};
pub use common::{init_logging, DataArgs};

/// Open Badges 3.0 issuer.
#[derive(Debug, Parser)]
#[command(name = "issuer", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service (creates and migrates the database at first start).
    Serve(ServeArgs),
    /// Apply pending database migrations (or revert them all).
    Migrate(MigrateArgs),
    /// Manage organisations.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Generate a key pair (Ed25519 or RSA) into a directory.
    Keygen(engine::KeygenArgs),
    /// Sign an unsigned credential with a key file.
    Sign(engine::SignArgs),
    /// Award an achievement to every participant of a CSV file.
    Award(award::AwardArgs),
    /// Write a backup of everything that keeps every badge verifiable into
    /// one file (a consistent copy while the service runs).
    Backup(backup::BackupArgs),
    /// Restore a backup onto a fresh data directory or an empty database.
    Restore(backup::RestoreArgs),
}

/// `issuer serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; overrides ISSUER_BIND (default 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<String>,
    /// When the database is empty, create a demo organisation, facilitator
    /// and badge; the login is written to demo-login.txt in the data directory.
    #[arg(long)]
    pub demo: bool,
    #[command(flatten)]
    data: DataArgs,
}

/// `issuer migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Revert every migration instead (destroys all data).
    #[arg(long)]
    pub revert_all: bool,
    #[command(flatten)]
    data: DataArgs,
}

/// `issuer org ...`.
#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Create an organisation with its keys.
    Create(OrgCreateArgs),
}

/// `issuer org create`.
#[derive(Debug, Args)]
pub struct OrgCreateArgs {
    /// URL name (lowercase letters, digits, hyphens).
    #[arg(long)]
    pub slug: String,
    /// Display name.
    #[arg(long)]
    pub name: String,
    /// Website.
    #[arg(long)]
    pub url: Option<String>,
    /// Contact email.
    #[arg(long)]
    pub email: Option<String>,
    /// Description.
    #[arg(long)]
    pub description: Option<String>,
    /// Slug of the network (an existing organisation) this one is a member of.
    #[arg(long, value_name = "SLUG")]
    pub network: Option<String>,
    #[command(flatten)]
    data: DataArgs,
}

/// `issuer user ...`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; the password is read from the first line of standard input.
    Create(UserCreateArgs),
}

/// `issuer user create`.
#[derive(Debug, Args)]
pub struct UserCreateArgs {
    /// Login email.
    #[arg(long)]
    pub email: String,
    /// Display name.
    #[arg(long)]
    pub name: String,
    /// Organisation slug to join.
    #[arg(long)]
    pub org: Option<String>,
    /// Role in that organisation: admin or facilitator.
    #[arg(long, default_value = "facilitator", value_parser = ["admin", "facilitator"])]
    pub role: String,
    #[command(flatten)]
    data: DataArgs,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => serve(args),
        Command::Migrate(args) => migrate(args),
        Command::Org(OrgCommand::Create(args)) => org_create(args),
        Command::User(UserCommand::Create(args)) => user_create(args),
        Command::Keygen(args) => engine::keygen(args),
        Command::Sign(args) => engine::sign(args),
        Command::Award(args) => award::run(args),
        Command::Backup(args) => backup::backup(args),
        Command::Restore(args) => backup::restore(args),
    }
}

fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let mut config = args.data.config()?;
    if let Some(bind) = &args.bind {
        config = config.with_bind(bind)?;
    }
    init_logging(&config);
    let state = AppState::prepare(config)?;
    if args.demo {
        if let Some(path) = demo::seed_if_empty(&state)? {
            tracing::info!(login_file = %path.display(), "demo organisation created");
        } else {
            demo::refresh_login_file(&state)?;
        }
    }
    actix_web::rt::System::new().block_on(app::serve(state))?;
    Ok(ExitCode::SUCCESS)
}

fn migrate(args: MigrateArgs) -> anyhow::Result<ExitCode> {
    let config = args.data.config()?;
    init_logging(&config);
    state::secure_data(&config)?;
    let db = crate::db::Database::connect(&state::database_url(&config), 1)?;
    if args.revert_all {
        println!("reverted {} migrations", db.revert_all()?);
    } else {
        println!("applied {} migrations", db.migrate()?);
    }
    Ok(ExitCode::SUCCESS)
}

fn org_create(args: OrgCreateArgs) -> anyhow::Result<ExitCode> {
    let config = args.data.config()?;
    init_logging(&config);
    let state = AppState::prepare(config)?;
    let new = NewOrganisation {
        slug: args.slug,
        profile: ProfileInput {
            name: Some(args.name),
            url: args.url,
            email: args.email,
            description: args.description,
            ..ProfileInput::default()
        },
    };
    let org = state.db.run_blocking(|conn| {
        let network = args
            .network
            .as_deref()
            .map(|slug| orgs::by_slug(conn, slug))
            .transpose()?;
        let org = orgs::create(conn, &state.master_key, new, CLI_ACTOR)?;
        if let Some(network) = network {
            crate::networks::add_member(conn, &network, &org)?;
        }
        Ok::<_, crate::error::ApiError>(org)
    })?;
    println!("{}", orgs::profile_id(&state.base(), &org.slug));
    println!("{}", orgs::did(&state.base(), &org.slug));
    Ok(ExitCode::SUCCESS)
}

fn user_create(args: UserCreateArgs) -> anyhow::Result<ExitCode> {
    let config = args.data.config()?;
    init_logging(&config);
    let state = AppState::prepare(config)?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = SecretString::from(line.trim_end_matches(['\r', '\n']).to_owned());
    let role = Role::parse(&args.role).unwrap_or(Role::Facilitator);
    let user = state.db.run_blocking(|conn| {
        let org = args
            .org
            .as_deref()
            .map(|slug| orgs::by_slug(conn, slug))
            .transpose()?;
        let user = users::create(
            conn,
            NewUser {
                email: args.email,
                display_name: args.name,
                password,
            },
        )?;
        if let Some(org) = org {
            users::set_membership(conn, &user.id, &org.id, role)?;
        }
        Ok::<_, crate::error::ApiError>(user)
    })?;
    println!("{}", user.id);
    Ok(ExitCode::SUCCESS)
}
