//! The README's run command, run for real: `./run` names the Rust version it
//! needs when rustc is older, refuses a taken port loudly before announcing
//! anything, and on free ports announces both
//! services at the addresses they answer on, with a demo login naming the
//! current address (also after a restart elsewhere), then stops both when
//! its process group gets SIGTERM, as Ctrl-C does.
//!
//! `RUN_PROFILE=debug` makes `./run` use the debug binaries the tests were
//! built with, so that no release build happens here.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cross_tests::{binary, free_port, http_get, workspace_root, IssuerApi};

const BANNER: &str = "Open Badges is running";

/// The target directory the test binaries (and `./run`'s debug binaries)
/// are in: `<target>/debug/issuer`.
fn target_dir() -> PathBuf {
    let issuer = binary("issuer");
    let _ = binary("verifier");
    issuer
        .parent()
        .and_then(Path::parent)
        .map(PathBuf::from)
        .expect("a target directory")
}

/// `./run` in its own process group, its output (stdout and stderr
/// together) collected as it comes.
struct RunScript {
    child: Child,
    output: Arc<Mutex<String>>,
}

impl RunScript {
    fn start(issuer_addr: &str, verifier_addr: &str, data_dir: &Path) -> Self {
        Self::start_with_path(issuer_addr, verifier_addr, data_dir, None)
    }

    /// [`RunScript::start`], with `first_on_path` put before the `PATH`.
    fn start_with_path(
        issuer_addr: &str,
        verifier_addr: &str,
        data_dir: &Path,
        first_on_path: Option<&Path>,
    ) -> Self {
        use std::os::unix::process::CommandExt as _;
        let mut command = Command::new(workspace_root().join("run"));
        if let Some(dir) = first_on_path {
            let path = std::env::var("PATH").unwrap_or_default();
            command.env("PATH", format!("{}:{path}", dir.display()));
        }
        // As from a terminal: none of the services' settings, and none of the
        // variables cargo sets for a test (build scripts rerun when they
        // change, which would rebuild half the tree).
        for (key, _) in std::env::vars() {
            let from_cargo = key.starts_with("CARGO_") && key != "CARGO_HOME";
            if key.starts_with("ISSUER_") || key.starts_with("VERIFIER_") || from_cargo {
                command.env_remove(key);
            }
        }
        command.env_remove("CARGO").env_remove("OUT_DIR");
        let mut child = command
            .env("ISSUER_ADDR", issuer_addr)
            .env("VERIFIER_ADDR", verifier_addr)
            .env("ISSUER_DATA_DIR", data_dir)
            .env("RUN_PROFILE", "debug")
            .env("CARGO_TARGET_DIR", target_dir())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .expect("./run starts");
        let output = Arc::new(Mutex::new(String::new()));
        for stream in [
            Box::new(child.stdout.take().expect("stdout")) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().expect("stderr")),
        ] {
            let output = Arc::clone(&output);
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut buffer = [0u8; 4096];
                while let Ok(n) = stream.read(&mut buffer) {
                    if n == 0 {
                        break;
                    }
                    output
                        .lock()
                        .unwrap()
                        .push_str(&String::from_utf8_lossy(&buffer[..n]));
                }
            });
        }
        RunScript { child, output }
    }

    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Waits until the output holds `text` (`true`) or the script exits
    /// (`false`).
    fn wait_for(&mut self, text: &str, within: Duration) -> bool {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if self.output().contains(text) {
                return true;
            }
            if self.child.try_wait().expect("try_wait").is_some() {
                std::thread::sleep(Duration::from_millis(200));
                return self.output().contains(text);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!(
            "./run neither printed {text:?} nor exited:\n{}",
            self.output()
        );
    }

    /// Waits for the script to exit; its exit code.
    fn wait_exit(&mut self, within: Duration) -> Option<i32> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("./run did not exit:\n{}", self.output());
    }

    /// SIGTERM to the whole process group, as a terminal's Ctrl-C reaches it.
    fn terminate_group(&self) {
        let status = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", self.child.id())])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }
}

impl Drop for RunScript {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.child.id())])
                .status();
            let _ = self.child.wait();
        }
    }
}

fn address() -> String {
    format!("127.0.0.1:{}", free_port())
}

#[test]
fn run_names_the_rust_version_it_needs_when_rustc_is_older() {
    use std::os::unix::fs::PermissionsExt as _;
    let data = tempfile::tempdir().unwrap();
    let bin = tempfile::tempdir().unwrap();
    let rustc = bin.path().join("rustc");
    std::fs::write(
        &rustc,
        "#!/bin/sh\necho 'rustc 1.94.1 (e408947bf 2026-03-25)'\n",
    )
    .unwrap();
    std::fs::set_permissions(&rustc, std::fs::Permissions::from_mode(0o755)).unwrap();
    let needed = std::fs::read_to_string(workspace_root().join("Cargo.toml"))
        .unwrap()
        .lines()
        .find_map(|line| line.strip_prefix("rust-version = "))
        .map(|version| version.trim_matches('"').to_owned())
        .expect("Cargo.toml declares rust-version");
    let mut run = RunScript::start_with_path(&address(), &address(), data.path(), Some(bin.path()));
    let code = run.wait_exit(Duration::from_secs(60));
    let output = run.output();
    assert_eq!(code, Some(1), "{output}");
    assert!(
        output.contains(&format!(
            "Rust {needed} or later is needed; this machine has rustc 1.94.1."
        )),
        "{output}"
    );
    assert!(output.contains("rustup update stable"), "{output}");
    assert!(!output.contains(BANNER), "{output}");
}

#[test]
fn run_refuses_a_taken_port_before_announcing_anything() {
    let data = tempfile::tempdir().unwrap();
    for taken_issuer in [true, false] {
        let other_program = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let taken = other_program.local_addr().unwrap().to_string();
        let free = address();
        let (issuer_addr, verifier_addr, variable) = if taken_issuer {
            (taken.clone(), free, "ISSUER_ADDR")
        } else {
            (free, taken.clone(), "VERIFIER_ADDR")
        };
        let mut run = RunScript::start(&issuer_addr, &verifier_addr, data.path());
        let code = run.wait_exit(Duration::from_secs(60));
        let output = run.output();
        assert_ne!(code, Some(0), "{output}");
        let port = taken.rsplit(':').next().unwrap();
        assert!(
            output.contains(&format!(
                "Port {port} is already in use ({variable}={taken})"
            )),
            "{output}"
        );
        assert!(
            output.contains(&format!("{variable}=127.0.0.1:")),
            "{output}"
        );
        assert!(!output.contains(BANNER), "{output}");
        drop(other_program);
    }
}

#[test]
fn run_announces_its_own_services_at_the_current_address_and_stops_on_sigterm() {
    let data = tempfile::tempdir().unwrap();
    let mut first_password = None;
    // Two starts at different addresses on the same data: the demo login
    // follows the address.
    for _ in 0..2 {
        let (issuer_addr, verifier_addr) = (address(), address());
        let mut run = RunScript::start(&issuer_addr, &verifier_addr, data.path());
        assert!(
            run.wait_for(BANNER, Duration::from_secs(600)),
            "no banner:\n{}",
            run.output()
        );
        // The banner and the demo line are printed together.
        std::thread::sleep(Duration::from_millis(300));
        let output = run.output();
        assert!(
            output.contains(&format!("Facilitators (issuer):   http://{issuer_addr}/")),
            "{output}"
        );
        assert!(
            output.contains(&format!("Employers (verifier):    http://{verifier_addr}/")),
            "{output}"
        );
        let demo_line = output
            .lines()
            .find(|line| line.contains("Demo login:"))
            .expect("a demo login line");
        assert!(
            demo_line.ends_with(&format!("(http://{issuer_addr}/login)")),
            "{demo_line}"
        );
        // Both services answer, and the demo login works.
        assert_eq!(
            http_get(&format!("http://{issuer_addr}/healthz"), &[]).0,
            200
        );
        assert_eq!(
            http_get(&format!("http://{verifier_addr}/healthz"), &[]).0,
            200
        );
        let words: Vec<&str> = demo_line.split_whitespace().collect();
        let (email, password) = (words[2], words[4]);
        let api = IssuerApi::login(&format!("http://{issuer_addr}"), email, password);
        let (status, me) = api.get("/api/v1/me");
        assert_eq!(status, 200, "{me}");
        // The password stays the same from one start to the next.
        assert_eq!(
            first_password.get_or_insert_with(|| password.to_owned()),
            password
        );

        run.terminate_group();
        run.wait_exit(Duration::from_secs(30));
        for addr in [&issuer_addr, &verifier_addr] {
            assert_eq!(
                http_get(&format!("http://{addr}/healthz"), &[]).0,
                0,
                "{addr} still answers after SIGTERM"
            );
        }
    }
}
