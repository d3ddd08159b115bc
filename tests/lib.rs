//! Helpers shared by the cross-service tests: locating the workspace, the
//! built `issuer` and `verifier` binaries, the fixtures, and running the
//! JavaScript peer, and verifying what a live issuer serves ([`verifying`]).

pub mod verifying;

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

/// A free port on 127.0.0.1 (bound then released: a service started right
/// after takes it).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}

/// A workspace binary serving HTTP (`issuer serve`, `verifier serve`),
/// killed when dropped. Its output goes to a log file, shown when it fails.
pub struct Served {
    child: std::process::Child,
    /// `http://host:port`, without a trailing slash.
    pub base: String,
    log: PathBuf,
}

impl Served {
    /// Starts `name` with `args` and `env` (the caller's `ISSUER_*` and
    /// `VERIFIER_*` variables are not passed on), logging into `log`, and
    /// waits until `base/healthz` answers.
    pub fn start(name: &str, base: &str, args: &[&str], env: &[(&str, &str)], log: &Path) -> Self {
        let file = std::fs::File::create(log).expect("log file");
        let mut command = Command::new(binary(name));
        command
            .args(args)
            .stdout(file.try_clone().expect("log file"))
            .stderr(file);
        for (key, _) in std::env::vars() {
            if key.starts_with("ISSUER_") || key.starts_with("VERIFIER_") {
                command.env_remove(key);
            }
        }
        command.envs(env.iter().copied());
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("{name} starts: {e}"));
        let mut served = Served {
            child,
            base: base.trim_end_matches('/').to_owned(),
            log: log.to_owned(),
        };
        served.wait_ready(name);
        served
    }

    fn wait_ready(&mut self, name: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("{name} exited ({status}):\n{}", self.log());
            }
            if http_get(&format!("{}/healthz", self.base), &[]).0 == 200 {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("{name} did not answer /healthz in 30 s:\n{}", self.log());
    }

    /// What the service wrote so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(std::time::Duration::from_secs(30)))
        .build()
        .into()
}

fn answer(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> (u16, Vec<u8>) {
    match response {
        Ok(mut response) => {
            let status = response.status().as_u16();
            let body = response
                .body_mut()
                .with_config()
                .limit(64 * 1024 * 1024)
                .read_to_vec()
                .unwrap_or_default();
            (status, body)
        }
        // Not answering is status 0, for callers that poll.
        Err(_) => (0, Vec::new()),
    }
}

/// `GET url` with headers: status and body (status 0 when nothing answered).
pub fn http_get(url: &str, headers: &[(&str, &str)]) -> (u16, Vec<u8>) {
    let mut request = agent().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    answer(request.call())
}

/// `POST url` with headers and a body: status and body.
pub fn http_post(url: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, Vec<u8>) {
    let mut request = agent().post(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    answer(request.send(body))
}

/// An API client of a running issuer, authenticated by a bearer token.
pub struct IssuerApi {
    /// The issuer's base URL.
    pub base: String,
    token: String,
}

impl IssuerApi {
    /// Logs in with a password through `/api/v1/auth/login`, then creates
    /// an API token with that session, as a script of the organisation would.
    pub fn login(base: &str, email: &str, password: &str) -> Self {
        let login = serde_json::json!({"email": email, "password": password});
        let response = agent()
            .post(&format!("{base}/api/v1/auth/login"))
            .header("content-type", "application/json")
            .send(login.to_string().as_bytes())
            .expect("login answers");
        assert_eq!(response.status().as_u16(), 200, "login");
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
            .join("; ");
        let (_, body) = answer(Ok(response));
        let csrf = json_of(&body)["csrf_token"]
            .as_str()
            .expect("a CSRF token")
            .to_owned();
        let (status, body) = http_post(
            &format!("{base}/api/v1/tokens"),
            &[
                ("cookie", &cookie),
                ("x-csrf-token", &csrf),
                ("content-type", "application/json"),
            ],
            br#"{"name":"tests"}"#,
        );
        assert_eq!(status, 201, "token: {}", String::from_utf8_lossy(&body));
        IssuerApi {
            base: base.to_owned(),
            token: json_of(&body)["token"]
                .as_str()
                .expect("a token")
                .to_owned(),
        }
    }

    /// `GET` an API path: status and JSON body.
    pub fn get(&self, path: &str) -> (u16, serde_json::Value) {
        let bearer = format!("Bearer {}", self.token);
        let (status, body) = http_get(
            &format!("{}{path}", self.base),
            &[("authorization", &bearer)],
        );
        (status, json_of(&body))
    }

    /// `POST` JSON to an API path: status and JSON body.
    pub fn post(&self, path: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
        let bearer = format!("Bearer {}", self.token);
        let (status, body) = http_post(
            &format!("{}{path}", self.base),
            &[
                ("authorization", &bearer),
                ("content-type", "application/json"),
            ],
            body.to_string().as_bytes(),
        );
        (status, json_of(&body))
    }
}

/// The demo login an `issuer serve --demo` wrote in its data directory:
/// e-mail and password.
pub fn demo_login(data_dir: &Path) -> (String, String) {
    let text = std::fs::read_to_string(data_dir.join("demo-login.txt")).expect("demo-login.txt");
    let mut words = text.split_whitespace();
    let email = words.next().expect("an e-mail").to_owned();
    let _slash = words.next();
    let password = words.next().expect("a password").to_owned();
    (email, password)
}

fn json_of(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).unwrap_or(serde_json::Value::Null)
}
