//! Helpers shared by the cross-service tests: locating the workspace, the
//! built `issuer` and `verifier` binaries, the fixtures, and running the
//! JavaScript peer.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The workspace root (the folder holding the top-level `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// A fixture file under `tests/fixtures`.
pub fn fixture(relative: &str) -> PathBuf {
    workspace_root().join("tests/fixtures").join(relative)
}

/// The path of a workspace binary (`issuer` or `verifier`), built once if the
/// test run did not build it already (`cargo test -p cross-tests` alone).
pub fn binary(name: &str) -> PathBuf {
    static BUILT: OnceLock<()> = OnceLock::new();
    // The test executable lives in target/<profile>/deps/.
    let exe = std::env::current_exe().unwrap_or_default();
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .map(PathBuf::from)
        .unwrap_or_default();
    let path = profile_dir.join(name);
    BUILT.get_or_init(|| {
        if !profile_dir.join("issuer").exists() || !profile_dir.join("verifier").exists() {
            let status = Command::new(env!("CARGO"))
                .args(["build", "-p", "issuer", "-p", "verifier", "--bins"])
                .current_dir(workspace_root())
                .status()
                .expect("cargo build runs");
            assert!(status.success(), "building the binaries failed");
        }
    });
    path
}

/// Runs a workspace binary with arguments.
pub fn run(name: &str, args: &[&str]) -> Output {
    Command::new(binary(name))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} runs: {e}"))
}

/// Runs the JavaScript peer (`tests/interop/peer.mjs`). Its npm packages are
/// installed by the README's test command (`./test`, which runs `npm ci`).
pub fn peer(args: &[&str]) -> Output {
    let dir = workspace_root().join("tests/interop");
    assert!(
        dir.join("node_modules").exists(),
        "the peer's npm packages are missing: run ./test (or npm ci in tests/interop)"
    );
    Command::new("node")
        .arg(dir.join("peer.mjs"))
        .args(args)
        .output()
        .expect("node runs")
}

/// Stdout of a command as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A readable dump of a command's result, for assertion messages.
pub fn describe(output: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
