//! The data directory and the SQLite files are private to the service's user
//! from the first start on, and put back so at every start.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use issuer::audit::CLI_ACTOR;
use issuer::config::Config;
use issuer::orgs::{self, NewOrganisation, ProfileInput};
use issuer::state::{AppState, SQLITE_FILE};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o7777
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Starts the issuer on `dir` and writes to its database (so that SQLite has
/// its `-wal` and `-shm` files), keeping it open.
fn started(dir: &Path, slug: &str) -> AppState {
    let state = AppState::prepare(Config::for_data_dir(dir)).unwrap();
    let new = NewOrganisation {
        slug: slug.into(),
        profile: ProfileInput {
            name: Some("Centre social".into()),
            ..ProfileInput::default()
        },
    };
    state
        .db
        .run_blocking(|conn| orgs::create(conn, &state.master_key, new, CLI_ACTOR))
        .unwrap();
    state
}

#[test]
fn data_directory_and_database_files_are_private() {
    let root = tempfile::tempdir().unwrap();
    // As `./run` and most installations do it: a directory that does not exist
    // yet, under a parent anyone may read.
    set_mode(root.path(), 0o755);
    let dir = root.path().join("data");
    let files = [
        SQLITE_FILE.to_owned(),
        format!("{SQLITE_FILE}-wal"),
        format!("{SQLITE_FILE}-shm"),
        "master.key".to_owned(),
    ];
    let first = started(&dir, "premier");
    assert_eq!(mode(&dir), 0o700, "data directory");
    for file in &files {
        assert_eq!(mode(&dir.join(file)), 0o600, "{file} at creation");
    }

    // Someone widened them (a copy, an archive unpacked under another umask);
    // `first` stays open so that SQLite keeps its -wal and -shm files.
    set_mode(&dir, 0o755);
    for file in &files {
        set_mode(&dir.join(file), 0o644);
    }
    let state = started(&dir, "second");
    assert_eq!(mode(&dir), 0o700, "data directory after a start");
    for file in &files {
        assert_eq!(mode(&dir.join(file)), 0o600, "{file} after a start");
    }
    drop((first, state));
}

/// Whether any file of `dir` holds `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|entry| {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).ok()?;
            bytes
                .windows(needle.len())
                .any(|w| w == needle.as_bytes())
                .then(|| path.display().to_string())
        })
        .collect()
}

/// After an erasure the person's name and e-mail are in no file of the data
/// directory: not in the SQLite file's free space (`secure_delete`), not in
/// its write-ahead log (checkpointed).
#[actix_web::test]
async fn an_erased_name_leaves_the_files() {
    let app = crate::support::TestApp::sqlite().await;
    let fx = crate::awards::fixture(&app, "org-a").await;
    let (name, email) = ("Zéphyrine Quatremarelles", "zephyrine.q@example.fr");
    let award = app
        .post(
            "/api/v1/orgs/org-a/awards",
            &fx.token,
            serde_json::json!({
                "achievement_id": fx.achievement_id,
                "recipient_name": name,
                "recipient_email": email,
                "name_consent": true,
                "narrative": format!("{name} a suivi les trois séances."),
            }),
        )
        .await;
    assert_eq!(award.status, 201, "{}", award.text());
    let id = award.json()["id"].as_str().unwrap().to_owned();
    let dir = app.state.config.data_dir.clone();
    assert!(
        !files_holding(&dir, name).is_empty(),
        "the name was written"
    );
    let erased = app
        .post(
            &format!("/api/v1/orgs/org-a/awards/{id}/erase"),
            &fx.token,
            serde_json::json!({}),
        )
        .await;
    assert_eq!(erased.status, 200, "{}", erased.text());
    assert_eq!(files_holding(&dir, name), Vec::<String>::new(), "name");
    assert_eq!(files_holding(&dir, email), Vec::<String>::new(), "e-mail");
}
