//! The issuer's speed and scale targets (issue 3), measured in release mode:
//!
//! 1. `bulk`: one CSV batch of 1,000 participants through
//!    `awards::csv::commit` (Data Integrity, one transaction), on SQLite and
//!    PostgreSQL, with a breakdown of where the time goes;
//! 2. `http`: single awards over HTTP: the real actix service (two workers,
//!    SQLite, then PostgreSQL) on 127.0.0.1, loaded by `wrk` posting `POST
//!    /api/v1/orgs/{slug}/awards` with an API token, every request distinct
//!    (no idempotency key, a different participant each time);
//! 3. `scale`: drawing a free index, awarding one more, revoking one and
//!    republishing its status list, with 1,000, 98,304 (one full list) and
//!    1,000,000 awards stored (synthetic rows, real random status list
//!    allocations).
//!
//! ```text
//! cargo bench -p issuer --bench scale                 # every section
//! cargo bench -p issuer --bench scale -- bulk scale   # some sections
//! ```
//!
//! Environment:
//! - `ISSUER_BENCH_POSTGRES_URL`: a PostgreSQL server URL able to create
//!   databases; each run creates its own database and drops it. Unset:
//!   PostgreSQL is skipped (and said so).
//! - `ISSUER_BENCH_SCALE`: the large size of `scale` (default 1,000,000).
//! - `ISSUER_BENCH_RUNS`: runs of `bulk` and `http` (default 3).
//! - `ISSUER_BENCH_WRK`: wrk's load options, `;` between configurations
//!   (default `-t2 -c8 -d10s; -t1 -c1 -d10s`).
//! - `ISSUER_BENCH_LOG`: a log filter (`error`) to see the service's log.
//!
//! Every figure printed is a median (with the range of the runs). Results and
//! commands: `docs/BENCHMARKS-ISSUER.md`.

use std::collections::BTreeMap;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::Utc;
use diesel::prelude::*;
use issuer::achievements::{self, AchievementInput, AlignmentInput};
use issuer::audit::CLI_ACTOR;
use issuer::awards::csv::{self as award_csv, Batch};
use issuer::awards::{self, AwardRequest, CredentialFormat, IssueContext};
use issuer::config::Config;
use issuer::db::schema::{audit_log, awards as awards_table, status_lists};
use issuer::db::DbConnection;
use issuer::error::ApiError;
use issuer::ids::{AchievementId, AwardId};
use issuer::org_keys::{self, KeyAlgorithm, SigningKey};
use issuer::orgs::{self, NewOrganisation, Organisation, ProfileInput};
use issuer::state::AppState;
use issuer::status_list::{self, StatusList, FILL_LIMIT, LIST_SIZE, REVOCATION};
use issuer::time::{new_id, random_token};
use issuer::users::{self, NewUser, Role};
use rand::seq::SliceRandom;
use secrecy::SecretString;

#[path = "../tests/it/postgres.rs"]
mod postgres;
use postgres::PgDatabase;

const POSTGRES_ENV: &str = "ISSUER_BENCH_POSTGRES_URL";
/// wrk's load: `;` separates configurations.
const DEFAULT_WRK: &str = "-t2 -c8 -d10s; -t1 -c1 -d10s";
/// Participants of the bulk award.
const BULK_SIZE: usize = 1000;
/// The small size of the scale comparison.
const SMALL_SCALE: usize = 1000;
/// Repetitions of each scale operation.
const SCALE_REPS: usize = 21;
/// Uncounted rounds before them.
const WARM_UP: usize = 3;
/// Rows per multi-row insert while filling the database.
const CHUNK: usize = 500;
/// Share of synthetic awards revoked: one in this many.
const REVOKED_ONE_IN: usize = 100;

fn main() {
    let sections: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wants = |s: &str| sections.is_empty() || sections.iter().any(|a| a == s);
    let pg = postgres::admin_url(POSTGRES_ENV);
    let runs = env_usize("ISSUER_BENCH_RUNS", 3).max(1);
    let large = env_usize("ISSUER_BENCH_SCALE", 1_000_000);
    let wrk_options = std::env::var("ISSUER_BENCH_WRK").unwrap_or_else(|_| DEFAULT_WRK.to_owned());
    if let Ok(filter) = std::env::var("ISSUER_BENCH_LOG") {
        // The service's own log (internal errors name their cause), e.g. `error`.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_writer(std::io::stderr)
            .try_init();
    }
    println!("issuer scale bench, {} cores", num_cpus());
    if pg.is_none() {
        println!("PostgreSQL skipped: {POSTGRES_ENV} is not set");
    }
    let backends: Vec<Option<&str>> = std::iter::once(None)
        .chain(pg.as_deref().map(Some))
        .collect();

    if wants("bulk") {
        println!("\n## 1. Bulk award of {BULK_SIZE} participants (csv::commit, Data Integrity, one transaction), {runs} runs");
        let mut table = Vec::new();
        for backend in &backends {
            table.push((label(*backend), bulk(*backend, runs)));
        }
        println!(
            "| backend | wall (median) | runs | per award | process CPU, all threads (median) |"
        );
        println!("|---|---|---|---|---|");
        for (label, runs) in table {
            let walls: Vec<Duration> = runs.iter().map(|r| r.wall).collect();
            let wall = median(&walls);
            let cpu = median(&runs.iter().map(|r| r.process_cpu).collect::<Vec<_>>());
            println!(
                "| {label} | {} | {} | {:.2} ms | {} |",
                fmt_duration(wall),
                walls
                    .iter()
                    .map(|t| fmt_duration(*t))
                    .collect::<Vec<_>>()
                    .join(", "),
                ms(wall) / BULK_SIZE as f64,
                fmt_duration(cpu),
            );
        }
        breakdown();
    }

    if wants("http") {
        let configs: Vec<&str> = wrk_options
            .split(';')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        println!("\n## 2. Single awards over HTTP (2 workers, wrk {configs:?}), {runs} runs");
        for backend in &backends {
            http(*backend, runs, &configs);
        }
    }

    if wants("scale") {
        let one_full_list = usize::try_from(FILL_LIMIT).expect("positive");
        let mut sizes = vec![SMALL_SCALE, one_full_list, large];
        sizes.sort_unstable();
        sizes.dedup();
        for backend in &backends {
            println!(
                "\n## 3. Scale on {}: {sizes:?} awards stored, {SCALE_REPS} repetitions",
                label(*backend)
            );
            let results: Vec<ScaleRun> = sizes.iter().map(|n| scale(*backend, *n)).collect();
            print_scale(&results);
        }
    }
}

// ---------------------------------------------------------------------------
// Set-up shared by the sections.

/// A fresh issuer on its own database.
struct Bench {
    state: AppState,
    base: String,
    // Dropped after `state` (and its pool): fields drop in declaration order.
    dir: tempfile::TempDir,
    _pg: Option<PgDatabase>,
}

impl Bench {
    fn new(pg_admin: Option<&str>) -> Self {
        let dir = tempfile::tempdir().expect("temporary data directory");
        let pg = pg_admin.map(|admin| PgDatabase::on(admin, "issuer_bench"));
        let mut config = Config::for_data_dir(dir.path());
        config.database_url = pg.as_ref().map(|pg| SecretString::from(pg.url.clone()));
        let state = AppState::prepare(config).expect("prepare the issuer");
        let base = state.base();
        Self {
            state,
            base,
            dir,
            _pg: pg,
        }
    }

    fn run<T>(&self, f: impl FnOnce(&mut DbConnection) -> Result<T, ApiError>) -> T {
        self.state.db.run_blocking(f).expect("database work")
    }
}

/// An organisation (with its keys) and one achievement.
struct Fixture {
    org: Organisation,
    achievement_id: String,
    version_id: String,
}

fn fixture(bench: &Bench, slug: &str) -> Fixture {
    let master = bench.state.master_key.clone();
    bench.run(|conn| {
        let org = orgs::create(
            conn,
            &master,
            NewOrganisation {
                slug: slug.to_owned(),
                profile: ProfileInput {
                    name: Some("Médiathèque de Saint-Bench".to_owned()),
                    ..ProfileInput::default()
                },
            },
            CLI_ACTOR,
        )?;
        let version = achievements::create(
            conn,
            &org.id,
            AchievementInput {
                name: "Démarches en ligne".to_owned(),
                description: "Faire ses démarches administratives en ligne".to_owned(),
                criteria_narrative: "A suivi les trois séances de l'atelier".to_owned(),
                achievement_type: None,
                tags: vec!["numérique".to_owned()],
                language: None,
                image_id: None,
                alignments: vec![AlignmentInput {
                    framework: "digcomp-2.2".to_owned(),
                    code: "1.1".to_owned(),
                }],
            },
            CLI_ACTOR,
        )?;
        Ok(Fixture {
            org,
            achievement_id: version.achievement_id.clone(),
            version_id: version.id,
        })
    })
}

fn label(pg: Option<&str>) -> &'static str {
    if pg.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    }
}

// ---------------------------------------------------------------------------
// 1. Bulk award.

fn participants_csv(n: usize) -> String {
    let mut csv = String::from("name,email,narrative\n");
    for i in 0..n {
        csv.push_str(&format!(
            "Participant {i},participant.{i}@example.org,A suivi l'atelier {}\n",
            i % 7
        ));
    }
    csv
}

/// One bulk award: wall time, and the CPU time of the whole process (the
/// commit signs on every core).
struct BulkRun {
    wall: Duration,
    process_cpu: Duration,
}

fn bulk(pg: Option<&str>, runs: usize) -> Vec<BulkRun> {
    let csv = participants_csv(BULK_SIZE);
    let mut results = Vec::new();
    for run in 0..runs {
        let bench = Bench::new(pg);
        let fx = fixture(&bench, "bulk");
        let rows = award_csv::parse(csv.as_bytes()).expect("the CSV parses");
        let ctx = IssueContext::new(bench.base.clone(), &bench.state.master_key);
        let batch = Batch {
            achievement_id: &AchievementId::from(fx.achievement_id.as_str()),
            format: CredentialFormat::Di,
            file_key: None,
            duplicates: award_csv::Duplicates::Skip,
        };
        let cpu_before = process_cpu();
        let started = Instant::now();
        let outcome = bench.run(|conn| {
            Ok(award_csv::commit(
                conn,
                &ctx,
                &fx.org,
                &batch,
                &rows,
                CLI_ACTOR,
                &mut |_| {},
            )?)
        });
        let wall = started.elapsed();
        let process_cpu = process_cpu().saturating_sub(cpu_before);
        assert_eq!(outcome.awarded, BULK_SIZE, "every row awarded");
        println!(
            "  {} run {}: {} (process CPU {}, load average {})",
            label(pg),
            run + 1,
            fmt_duration(wall),
            fmt_duration(process_cpu),
            load_average()
        );
        results.push(BulkRun { wall, process_cpu });
    }
    results
}

/// The CPU time of the whole process so far, every thread, finished ones
/// included (`/proc/self/stat`: clock ticks, so to 10 ms).
fn process_cpu() -> Duration {
    let text = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces), from field 3.
    let after = text.rsplit_once(") ").map_or("", |(_, rest)| rest);
    let ticks: u64 = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|v| v.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10)
}

/// The 1-minute load average (the machine is shared).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_default()
}

/// This thread's time on a CPU and waiting in the run queue so far
/// (`/proc/thread-self/schedstat`; zeros where it cannot be read).
fn sched() -> (Duration, Duration) {
    // A yield makes the kernel account the running thread's time up to now
    // (otherwise the figure can lag by up to a scheduler tick).
    std::thread::yield_now();
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let mut fields = text
        .split_whitespace()
        .map(|v| Duration::from_nanos(v.parse().unwrap_or(0)));
    (
        fields.next().unwrap_or_default(),
        fields.next().unwrap_or_default(),
    )
}

/// Where a bulk award's time goes: the Data Integrity signature and the
/// Open Badges validation of each credential, timed alone on the
/// credentials a bulk award stored.
fn breakdown() {
    let bench = Bench::new(None);
    let fx = fixture(&bench, "profile");
    let rows = award_csv::parse(participants_csv(BULK_SIZE).as_bytes()).expect("the CSV parses");
    let ctx = IssueContext::new(bench.base.clone(), &bench.state.master_key);
    let batch = Batch {
        achievement_id: &AchievementId::from(fx.achievement_id.as_str()),
        format: CredentialFormat::Di,
        file_key: None,
        duplicates: award_csv::Duplicates::Skip,
    };
    let cpu_before = process_cpu();
    let ((), mut total) = timed(|| {
        bench.run(|conn| {
            Ok(award_csv::commit(
                conn,
                &ctx,
                &fx.org,
                &batch,
                &rows,
                CLI_ACTOR,
                &mut |_| {},
            )?)
        });
    });
    // The commit signs on every core: the CPU of all threads.
    total.on_cpu = process_cpu().saturating_sub(cpu_before);
    let master = bench.state.master_key.clone();
    let (stored, key) = bench.run(|conn| {
        let stored: Vec<String> = awards_table::table
            .filter(awards_table::org_id.eq(&fx.org.id))
            .select(awards_table::credential)
            .load(conn)?;
        let key = org_keys::active_signing_key(conn, &master, &fx.org.id, KeyAlgorithm::Ed25519)?;
        Ok((stored, key))
    });
    let SigningKey::Ed25519 { kid, key } = key else {
        panic!("an Ed25519 key")
    };
    let unsigned: Vec<serde_json::Value> = stored
        .iter()
        .map(|c| {
            let mut v: serde_json::Value = serde_json::from_str(c).expect("stored JSON");
            v.as_object_mut().expect("an object").remove("proof");
            v
        })
        .collect();
    let bytes = stored.iter().map(String::len).sum::<usize>() / stored.len().max(1);
    let quads = keys::di::canonicalize(&unsigned[0])
        .expect("canonicalises")
        .lines()
        .count();
    let vm = format!("{}#{kid}", orgs::did(&bench.base, &fx.org.slug));
    let (signed, signing) = timed(|| {
        unsigned
            .iter()
            .map(|v| {
                keys::di::sign_eddsa_rdfc_2022(
                    v,
                    &key,
                    keys::di::ProofOptions::new(vm.clone(), Utc::now()),
                )
                .expect("signs")
            })
            .collect::<Vec<_>>()
    });
    let ((), validation) = timed(|| {
        for v in &signed {
            schemas::validate_credential(v).expect("valid");
        }
    });
    let rest = Timing {
        wall: total.wall.saturating_sub(signing.wall + validation.wall),
        on_cpu: total
            .on_cpu
            .saturating_sub(signing.on_cpu + validation.on_cpu),
    };
    println!(
        "\nBreakdown of one SQLite bulk award of {BULK_SIZE} (credentials of {bytes} B, {quads} quads): \
         the commit's CPU is every thread's (to 10 ms), the parts' are timed on one thread"
    );
    println!(
        "signing and validation timed again alone, in loops; the rest is the difference \
         (rough: a perf profile is the reference)"
    );
    println!("| part | wall | on CPU | per award (CPU) | share (CPU) |");
    println!("|---|---|---|---|---|");
    for (part, t) in [
        ("whole commit", total),
        ("Data Integrity signing (eddsa-rdfc-2022)", signing),
        ("OB 3.0 validation of the signed credential", validation),
        ("the rest: database, allocation, building", rest),
    ] {
        println!(
            "| {part} | {} | {} | {:.3} ms | {:.0} % |",
            fmt_duration(t.wall),
            fmt_duration(t.on_cpu),
            ms(t.on_cpu) / BULK_SIZE as f64,
            100.0 * t.on_cpu.as_secs_f64() / total.on_cpu.as_secs_f64().max(1e-9)
        );
    }
}

/// Wall time and this thread's time on a CPU.
#[derive(Debug, Clone, Copy)]
struct Timing {
    wall: Duration,
    on_cpu: Duration,
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Timing) {
    let before = sched();
    let started = Instant::now();
    let value = f();
    let wall = started.elapsed();
    let after = sched();
    (
        value,
        Timing {
            wall,
            on_cpu: after.0.saturating_sub(before.0),
        },
    )
}

// ---------------------------------------------------------------------------
// 2. Single awards over HTTP.

const WRK_SCRIPT: &str = r#"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer @TOKEN@"
local path = "/api/v1/orgs/@SLUG@/awards"
local achievement = "@ACHIEVEMENT@"
local started = 0
function setup(thread)
  started = started + 1
  thread:set("tid", started)
end
tid = 0
local n = 0
function request()
  n = n + 1
  local body = string.format(
    '{"achievement_id":"%s","recipient_name":"Participant @RUN@-%d-%d","recipient_email":"p@RUN@.%d.%d@example.org"}',
    achievement, tid, n, tid, n)
  return wrk.format(nil, path, nil, body)
end
local shown = false
function response(status, headers, body)
  if status >= 300 and not shown then
    shown = true
    io.write("FIRST-ERROR " .. status .. " " .. body .. "\n")
  end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d status_errors=%d socket_errors=%d p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"#;

/// One wrk run, parsed.
#[derive(Debug, Clone)]
struct WrkRun {
    requests: u64,
    duration: Duration,
    status_errors: u64,
    socket_errors: u64,
    p50: Duration,
    p99: Duration,
    max: Duration,
    stored: i64,
}

impl WrkRun {
    fn awards_per_second(&self) -> f64 {
        (self.requests - self.status_errors) as f64 / self.duration.as_secs_f64()
    }
}

fn http(pg: Option<&str>, runs: usize, configs: &[&str]) {
    if Command::new("wrk").arg("--version").output().is_err() {
        println!("skipped: wrk is not installed (apt-get install -y wrk)");
        return;
    }
    let bench = Bench::new(pg);
    let fx = fixture(&bench, "http");
    let org_id = fx.org.id.clone();
    let token = bench.run(|conn| {
        let user = users::create(
            conn,
            NewUser {
                email: "bench@example.org".to_owned(),
                display_name: "Bench".to_owned(),
                password: SecretString::from("correct horse battery staple"),
            },
        )?;
        users::set_membership(conn, &user.id, &org_id, Role::Admin)?;
        let (_, token) = issuer::auth::create_token(conn, &user.id, "bench")?;
        Ok(token)
    });

    let state = bench.state.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    let server = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = actix_web::HttpServer::new(move || {
                let state = state.clone();
                actix_web::App::new()
                    .wrap(actix_web::middleware::Compress::default())
                    .configure(move |cfg| issuer::app::configure(cfg, state))
            })
            .workers(2)
            .bind(("127.0.0.1", 0))
            .expect("bind 127.0.0.1:0");
            let addr = server.addrs()[0];
            let server = server.run();
            tx.send((addr, server.handle())).expect("send the address");
            server.await
        })
    });
    let (addr, handle) = rx.recv().expect("the server starts");
    let url = format!("http://{addr}");
    println!(
        "  {} service on {url}, 2 workers, pool of {} connections",
        label(pg),
        bench.state.config.database_pool_size
    );

    let count = || -> i64 {
        bench.run(|conn| {
            Ok(awards_table::table
                .filter(awards_table::org_id.eq(&fx.org.id))
                .count()
                .get_result(conn)?)
        })
    };
    let wrk = |run: &str, options: &str| -> WrkRun {
        let script = bench.dir.path().join(format!("awards-{run}.lua"));
        let text = WRK_SCRIPT
            .replace("@TOKEN@", &token)
            .replace("@SLUG@", fx.org.slug.as_str())
            .replace("@ACHIEVEMENT@", &fx.achievement_id)
            .replace("@RUN@", run);
        std::fs::write(&script, text).expect("write the wrk script");
        let before = count();
        let output = Command::new("wrk")
            .args(options.split_whitespace())
            .arg("--latency")
            .arg("-s")
            .arg(&script)
            .arg(&url)
            .output()
            .expect("run wrk");
        // Requests still in flight when wrk stops finish before anything else runs.
        std::thread::sleep(Duration::from_millis(500));
        let stdout = String::from_utf8_lossy(&output.stdout);
        let line = stdout
            .lines()
            .find(|l| l.starts_with("BENCH "))
            .unwrap_or_else(|| {
                panic!(
                    "wrk said: {stdout}{}",
                    String::from_utf8_lossy(&output.stderr)
                )
            });
        for error in stdout.lines().filter(|l| l.starts_with("FIRST-ERROR ")) {
            println!("  {run}: {error}");
        }
        let fields: BTreeMap<&str, u64> = line
            .split_whitespace()
            .skip(1)
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k, v.parse().expect("a number")))
            .collect();
        let us = |k: &str| Duration::from_micros(fields[k]);
        WrkRun {
            requests: fields["requests"],
            duration: us("duration_us"),
            status_errors: fields["status_errors"],
            socket_errors: fields["socket_errors"],
            p50: us("p50_us"),
            p99: us("p99_us"),
            max: us("max_us"),
            stored: count() - before,
        }
    };

    let warm = wrk("warm", "-t2 -c8 -d2s");
    println!(
        "  warm-up: {} requests, {} errors",
        warm.requests, warm.status_errors
    );
    let mut table = Vec::new();
    for (c, options) in configs.iter().enumerate() {
        let mut results = Vec::new();
        for run in 0..runs {
            let r = wrk(&format!("c{c}r{run}"), options);
            println!(
                "  wrk {options}, run {}: {:.0} awards/s, p50 {}, p99 {}, max {}, {} requests, {} non-2xx, {} socket errors, {} awards stored, load average {}",
                run + 1,
                r.awards_per_second(),
                fmt_duration(r.p50),
                fmt_duration(r.p99),
                fmt_duration(r.max),
                r.requests,
                r.status_errors,
                r.socket_errors,
                r.stored,
                load_average()
            );
            results.push(r);
        }
        table.push((*options, results));
    }
    println!("| backend | wrk | awards/s (2xx, median) | runs | p99 (median) | failed requests |");
    println!("|---|---|---|---|---|---|");
    for (options, results) in table {
        let rates: Vec<f64> = results.iter().map(WrkRun::awards_per_second).collect();
        let p99: Vec<Duration> = results.iter().map(|r| r.p99).collect();
        let failed: u64 = results
            .iter()
            .map(|r| r.status_errors + r.socket_errors)
            .sum();
        let total: u64 = results.iter().map(|r| r.requests).sum();
        println!(
            "| {} | {options} | {:.0} | {} | {} | {failed} of {total} ({:.0} %) |",
            label(pg),
            median_f64(&rates),
            rates
                .iter()
                .map(|r| format!("{r:.0}"))
                .collect::<Vec<_>>()
                .join(", "),
            fmt_duration(median(&p99)),
            100.0 * failed as f64 / total.max(1) as f64
        );
    }
    actix_web::rt::System::new().block_on(handle.stop(true));
    let _ = server.join();
}

// ---------------------------------------------------------------------------
// 3. Scale.

/// An award row as the bench stores it: like `awards::Award`, with `None`
/// written as NULL so that SQLite takes a whole chunk in one statement.
#[derive(Insertable)]
#[diesel(table_name = awards_table, treat_none_as_default_value = false)]
struct SyntheticAward<'a> {
    id: String,
    org_id: &'a str,
    achievement_version_id: &'a str,
    recipient_name: String,
    recipient_email: Option<String>,
    name_consent: i32,
    narrative: Option<&'a str>,
    evidence_url: Option<&'a str>,
    format: &'a str,
    credential: String,
    status_list_id: &'a str,
    status_index: i32,
    public_token: String,
    claim_code: Option<String>,
    idempotency_key: Option<String>,
    awarded_by: &'a str,
    revoked_at: Option<i64>,
    revocation_reason: Option<&'a str>,
    created_at: i64,
    credential_jwt: Option<String>,
}

/// The audit entry every award has.
#[derive(Insertable)]
#[diesel(table_name = audit_log, treat_none_as_default_value = false)]
struct SyntheticAudit<'a> {
    id: String,
    org_id: Option<&'a str>,
    actor: &'a str,
    action: &'a str,
    target_type: &'a str,
    target_id: String,
    detail: Option<&'a str>,
    at: i64,
}

fn insert_chunk(
    conn: &mut DbConnection,
    rows: &[SyntheticAward<'_>],
    audit: &[SyntheticAudit<'_>],
) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(c) => {
            diesel::insert_into(awards_table::table)
                .values(rows)
                .execute(c)?;
            diesel::insert_into(audit_log::table)
                .values(audit)
                .execute(c)?;
        }
        DbConnection::Postgres(c) => {
            diesel::insert_into(awards_table::table)
                .values(rows)
                .execute(c)?;
            diesel::insert_into(audit_log::table)
                .values(audit)
                .execute(c)?;
        }
    }
    Ok(())
}

/// Stores `size` synthetic awards (with their audit entries) of the
/// fixture's achievement, one transaction per status list, each list holding
/// distinct random indices as `status_list::candidates` would hand out: full
/// lists at `FILL_LIMIT`, the last one open. One in `REVOKED_ONE_IN` is
/// revoked. Returns awards to revoke (id, list), spread over the lists.
fn populate(
    conn: &mut DbConnection,
    fx: &Fixture,
    size: usize,
) -> Result<Vec<(String, String)>, ApiError> {
    let mut rng = rand::thread_rng();
    let fill = usize::try_from(FILL_LIMIT).expect("positive");
    let lists = size.div_ceil(fill);
    let t0 = issuer::time::now() - 365 * 24 * 3600;
    let stride = (size / (4 * (SCALE_REPS + WARM_UP))).max(1);
    let mut samples = Vec::new();
    let mut done = 0usize;
    for l in 0..lists {
        let count = fill.min(size - done);
        let list = StatusList {
            id: new_id(),
            org_id: fx.org.id.clone(),
            purpose: REVOCATION.to_owned(),
            size: LIST_SIZE,
            allocated: i32::try_from(count).expect("fits"),
            created_at: t0 + l as i64,
            updated_at: t0 + l as i64,
            signed_credential: None,
            signed_digest: None,
            issuer_form: issuer::status_list::ISSUER_DID.to_owned(),
        };
        let mut indices: Vec<i32> = (0..LIST_SIZE).collect();
        indices.shuffle(&mut rng);
        indices.truncate(count);
        let mut revoked_indices = Vec::new();
        conn.transaction(|conn| {
            diesel::insert_into(status_lists::table)
                .values(&list)
                .execute(conn)?;
            for (c, chunk) in indices.chunks(CHUNK).enumerate() {
                let mut rows = Vec::with_capacity(chunk.len());
                let mut audit = Vec::with_capacity(chunk.len());
                for (j, index) in chunk.iter().enumerate() {
                    let i = done + c * CHUNK + j;
                    let revoked = i % REVOKED_ONE_IN == REVOKED_ONE_IN / 2;
                    let id = new_id();
                    let at = t0 + (i / 100) as i64;
                    if i.is_multiple_of(stride) && !revoked {
                        samples.push((id.clone(), list.id.clone()));
                    }
                    if revoked {
                        revoked_indices.push(*index);
                    }
                    audit.push(SyntheticAudit {
                        id: new_id(),
                        org_id: Some(fx.org.id.as_str()),
                        actor: CLI_ACTOR.as_str(),
                        action: "award.create",
                        target_type: "award",
                        target_id: id.clone(),
                        detail: None,
                        at,
                    });
                    rows.push(SyntheticAward {
                        id,
                        org_id: fx.org.id.as_str(),
                        achievement_version_id: &fx.version_id,
                        recipient_name: format!("Participant {i}"),
                        recipient_email: Some(format!("participant.{i}@example.org")),
                        name_consent: 0,
                        narrative: None,
                        evidence_url: None,
                        format: "di",
                        // Synthetic: these rows are never served.
                        credential: format!(
                            "{{\"synthetic\":true,\"n\":{i},\"statusListIndex\":\"{index}\"}}"
                        ),
                        status_list_id: &list.id,
                        status_index: *index,
                        public_token: random_token(18),
                        claim_code: None,
                        idempotency_key: None,
                        awarded_by: CLI_ACTOR.as_str(),
                        revoked_at: revoked.then_some(at + 3600),
                        revocation_reason: revoked.then_some("synthetic"),
                        created_at: at,
                        credential_jwt: None,
                    });
                }
                insert_chunk(conn, &rows, &audit)?;
            }
            // The list's bits, as revocations through `awards::revoke` keep them.
            diesel::update(status_lists::table.find(&list.id))
                .set(
                    status_lists::revoked_bits
                        .eq(Some(status_list::bits(LIST_SIZE, &revoked_indices))),
                )
                .execute(conn)?;
            Ok::<_, diesel::result::Error>(())
        })?;
        done += count;
    }
    samples.shuffle(&mut rng);
    Ok(samples)
}

/// Timings of one size.
/// Timings of one size.
struct ScaleRun {
    size: usize,
    lists: i64,
    setup: Duration,
    db_bytes: Option<u64>,
    ops: Vec<(&'static str, Vec<Timing>)>,
}

fn scale(pg: Option<&str>, size: usize) -> ScaleRun {
    let bench = Bench::new(pg);
    let fx = fixture(&bench, "scale");
    let started = Instant::now();
    let mut samples = bench.run(|conn| populate(conn, &fx, size));
    // Leave the bulk load behind as a running service would have: SQLite's
    // WAL folded back into the file, PostgreSQL vacuumed and analysed (what
    // autovacuum does) and checkpointed.
    let settle: &[&str] = if pg.is_some() {
        &["VACUUM ANALYZE", "CHECKPOINT"]
    } else {
        &["PRAGMA wal_checkpoint(TRUNCATE)"]
    };
    for statement in settle {
        bench.run(|conn| Ok(diesel::sql_query(*statement).execute(conn)?));
    }
    let setup = started.elapsed();
    let lists: i64 = bench.run(|conn| {
        Ok(status_lists::table
            .filter(status_lists::org_id.eq(&fx.org.id))
            .count()
            .get_result(conn)?)
    });
    let db_bytes = pg.is_none().then(|| {
        ["issuer.sqlite3", "issuer.sqlite3-wal"]
            .iter()
            .filter_map(|f| std::fs::metadata(bench.dir.path().join(f)).ok())
            .map(|m| m.len())
            .sum()
    });
    println!(
        "  {} with {size} awards: set up in {} ({lists} lists), load average {}",
        label(pg),
        fmt_duration(setup),
        load_average()
    );
    assert!(
        samples.len() > SCALE_REPS + WARM_UP,
        "enough awards to revoke"
    );

    let master = bench.state.master_key.clone();
    let base = bench.base.clone();
    let org = fx.org.clone();
    let request = |n: usize| AwardRequest {
        achievement_id: fx.achievement_id.clone(),
        recipient_name: format!("Nouvelle participante {n}"),
        recipient_email: Some(format!("nouvelle.{n}@example.org")),
        name_consent: false,
        narrative: None,
        evidence_url: None,
        format: CredentialFormat::Di,
        idempotency_key: None,
        recipient_language: Default::default(),
    };
    let names = [
        "draw a free status index",
        "award one more (awards::issue)",
        "revoke one (awards::revoke)",
        "republish its list (re-signed)",
        "republish, unchanged (stored copy)",
    ];
    let mut ops: Vec<(&'static str, Vec<Timing>)> =
        names.iter().map(|n| (*n, Vec::new())).collect();
    // The first rounds warm up key unsealing, the JSON-LD context cache and
    // prepared statements; they are not counted.
    for rep in 0..WARM_UP + SCALE_REPS {
        let (award_id, list_id) = samples.pop().expect("a sample");
        let mut round = Vec::new();
        bench.run(|conn| {
            let ctx = IssueContext::new(base.clone(), &master);
            let (drawn, t) = timed(|| {
                status_list::candidates(conn, &org.id, 1, ctx.now.timestamp(), &Default::default())
            });
            round.push(t);
            assert_eq!(drawn?.len(), 1);
            let (issued, t) = timed(|| awards::issue(conn, &ctx, &org, request(rep), CLI_ACTOR));
            issued?;
            round.push(t);
            let (revoked, t) = timed(|| {
                awards::revoke(
                    conn,
                    &ctx,
                    &org,
                    &AwardId::from(award_id.as_str()),
                    "bench",
                    CLI_ACTOR,
                )
            });
            revoked?;
            round.push(t);
            let (first, t) =
                timed(|| status_list::published(conn, &master, &base, &org, &list_id, Utc::now()));
            round.push(t);
            let (again, t) =
                timed(|| status_list::published(conn, &master, &base, &org, &list_id, Utc::now()));
            round.push(t);
            assert_eq!(first?.etag, again?.etag, "unchanged list, same document");
            Ok(())
        });
        if rep >= WARM_UP {
            for ((_, timings), t) in ops.iter_mut().zip(round) {
                timings.push(t);
            }
        }
    }
    ScaleRun {
        size,
        lists,
        setup,
        db_bytes,
        ops,
    }
}

fn print_scale(runs: &[ScaleRun]) {
    let (Some(first), Some(last)) = (runs.first(), runs.last()) else {
        return;
    };
    let header: Vec<String> = runs.iter().map(|r| format!("{} stored", r.size)).collect();
    println!(
        "Cells: wall time, median of {SCALE_REPS} [min–max]; then the bench thread's time on a CPU (median)."
    );
    println!(
        "| operation | {} | ratio {} / {} (wall) |",
        header.join(" | "),
        last.size,
        first.size
    );
    println!("|---|{}---|", "---|".repeat(runs.len()));
    let cells: Vec<String> = runs
        .iter()
        .map(|r| format!("{} ({} lists)", fmt_duration(r.setup), r.lists))
        .collect();
    println!("| set-up (synthetic rows) | {} | |", cells.join(" | "));
    if runs.iter().all(|r| r.db_bytes.is_some()) {
        let cells: Vec<String> = runs
            .iter()
            .map(|r| format!("{:.1} MB", r.db_bytes.unwrap_or(0) as f64 / 1e6))
            .collect();
        println!("| SQLite file + WAL | {} | |", cells.join(" | "));
    }
    for (i, (name, _)) in first.ops.iter().enumerate() {
        let cells: Vec<String> = runs
            .iter()
            .map(|r| {
                let walls: Vec<Duration> = r.ops[i].1.iter().map(|t| t.wall).collect();
                let cpus: Vec<Duration> = r.ops[i].1.iter().map(|t| t.on_cpu).collect();
                format!(
                    "{} [{}–{}]; CPU {}",
                    fmt_duration(median(&walls)),
                    fmt_duration(min(&walls)),
                    fmt_duration(max(&walls)),
                    fmt_duration(median(&cpus))
                )
            })
            .collect();
        let wall_of = |r: &ScaleRun| {
            median(&r.ops[i].1.iter().map(|t| t.wall).collect::<Vec<_>>()).as_secs_f64()
        };
        println!(
            "| {name} | {} | {:.2} |",
            cells.join(" | "),
            wall_of(last) / wall_of(first).max(1e-12)
        );
    }
}

// ---------------------------------------------------------------------------
// Helpers.

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace(['_', ','], "").parse().ok())
        .unwrap_or(default)
}

fn num_cpus() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn fmt_duration(d: Duration) -> String {
    let ms = ms(d);
    if ms >= 10_000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else if ms >= 1.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{:.0} µs", ms * 1000.0)
    }
}

fn median(values: &[Duration]) -> Duration {
    let mut sorted = values.to_vec();
    sorted.sort();
    match sorted.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    }
}

fn median_f64(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

fn min(values: &[Duration]) -> Duration {
    values.iter().copied().min().unwrap_or_default()
}

fn max(values: &[Duration]) -> Duration {
    values.iter().copied().max().unwrap_or_default()
}
