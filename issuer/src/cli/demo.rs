//! `issuer serve --demo`: when the database holds no organisation yet, a
//! demo organisation, an admin facilitator and a first badge, so that the
//! README's run command shows something usable at once. The facilitator's
//! password is random, written to `demo-login.txt` (mode 0600) in the data
//! directory and printed by the run script, never logged. At every later
//! start the file's address is brought up to date ([`refresh_login_file`]),
//! so that it names where the issuer answers now, not where it first started.

use std::io::Write;
use std::path::{Path, PathBuf};

use diesel::prelude::*;
use secrecy::SecretString;

use crate::achievements::{self, AchievementInput, AlignmentInput};
use crate::audit::CLI_ACTOR;
use crate::db::schema::organisations;
use crate::error::ApiError;
use crate::frameworks::DIGCOMP_ID;
use crate::orgs::{self, NewOrganisation, ProfileInput};
use crate::state::{AppState, DEMO_LOGIN_FILE};
use crate::time::random_token;
use crate::users::{self, NewUser, Role};

/// Email of the demo facilitator.
pub const DEMO_EMAIL: &str = "demo@example.org";
/// Slug of the demo organisation.
pub const DEMO_SLUG: &str = "demo";

/// Seeds the demo data if there is no organisation; returns the file the
/// login was written to, or `None` when the database already had data.
pub fn seed_if_empty(state: &AppState) -> anyhow::Result<Option<PathBuf>> {
    let password = random_token(12);
    let seeded = state.db.run_blocking(|conn| {
        crate::db::write_transaction(conn, |conn| {
            let count: i64 = organisations::table.count().get_result(conn)?;
            if count > 0 {
                return Ok::<_, ApiError>(false);
            }
            seed(conn, state, &password)?;
            Ok(true)
        })
    })?;
    if !seeded {
        return Ok(None);
    }
    let path = state.config.data_dir.join(DEMO_LOGIN_FILE);
    write_private(&path, &login_line(&password, &state.base()))?;
    Ok(Some(path))
}

/// The demo login file's one line: who, password, and where to log in.
fn login_line(password: &str, base: &str) -> String {
    format!("{DEMO_EMAIL} / {password}   ({base}/login)\n")
}

/// Rewrites the demo login file with the current public address, keeping
/// its password (only its hash is in the database). Returns whether the file
/// was there and read; a file the issuer did not write is left alone.
pub fn refresh_login_file(state: &AppState) -> anyhow::Result<bool> {
    let path = state.config.data_dir.join(DEMO_LOGIN_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(anyhow::anyhow!("{}: {e}", path.display())),
    };
    let password = text
        .strip_prefix(DEMO_EMAIL)
        .and_then(|rest| rest.strip_prefix(" / "))
        .and_then(|rest| rest.split_whitespace().next());
    let Some(password) = password else {
        return Ok(false);
    };
    let line = login_line(password, &state.base());
    if line != text {
        write_private(&path, &line)?;
    }
    Ok(true)
}

fn seed(
    conn: &mut crate::db::DbConnection,
    state: &AppState,
    password: &str,
) -> Result<(), ApiError> {
    let org = orgs::create(
        conn,
        &state.master_key,
        NewOrganisation {
            slug: DEMO_SLUG.into(),
            profile: ProfileInput {
                name: Some("Espace numérique de démonstration".into()),
                url: Some("https://example.org/".into()),
                email: Some("contact@example.org".into()),
                description: Some(
                    "Structure de démonstration : ateliers de médiation numérique.".into(),
                ),
                ..ProfileInput::default()
            },
        },
        CLI_ACTOR,
    )?;
    let user = users::create(
        conn,
        NewUser {
            email: DEMO_EMAIL.into(),
            display_name: "Camille (démo)".into(),
            password: SecretString::from(password.to_owned()),
        },
    )?;
    users::set_membership(conn, &user.id, &org.id, Role::Admin)?;
    achievements::create(
        conn,
        &org.id,
        AchievementInput {
            name: "Faire ses démarches en ligne".into(),
            description: "Sait créer son compte sur un site public et faire une démarche \
                administrative en ligne en protégeant ses données."
                .into(),
            criteria_narrative: "A participé aux trois séances de l'atelier « Faire ses \
                démarches en ligne » et a fait une démarche de bout en bout."
                .into(),
            achievement_type: Some("Badge".into()),
            tags: vec!["démarches en ligne".into(), "inclusion numérique".into()],
            language: Some("fr".into()),
            image_id: None,
            alignments: ["1.1", "2.1", "4.2"]
                .iter()
                .map(|code| AlignmentInput {
                    framework: DIGCOMP_ID.into(),
                    code: (*code).into(),
                })
                .collect(),
        },
        CLI_ACTOR,
    )?;
    Ok(())
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(text.as_bytes())
}
