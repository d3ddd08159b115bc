#!/usr/bin/env bash
# HTTP load test of `verifier serve` (POST /verify, Accept: application/json)
# against the in-process single-core rate of the same pipeline.
#
# What it does:
#   1. builds the release binaries (verifier, issuer);
#   2. makes an Ed25519 did:key and signs tests/fixtures/ours/unsigned-demarches.json
#      as a Data Integrity (eddsa-rdfc-2022) credential and as a VC-JWT (EdDSA), and
#      checks that `verifier verify --json` says verified for both;
#   3. runs the criterion bench `verifier/benches/pipeline.rs`
#      (`verifier::pipeline::verify_bytes` with an OfflineResolver) on those two files:
#      the in-process single-core rate;
#   4. for each file, starts `verifier serve` (actix-web: one worker per core), waits
#      for /healthz, runs `wrk -t2 -c16 -d15s --latency` posting the file to /verify,
#      and reads the server's peak resident memory (VmHWM) after the load. Because the
#      machine may be shared, it also records the load average before each run, the
#      server's CPU time per request (/proc/<pid>/stat) and how many cores the server,
#      wrk (/usr/bin/time) and every other process (/proc/stat) used during the run.
#
#   5. the same for a credential of our own issuer (`issuer serve --demo` on this
#      machine, one award made with `issuer award`): its issuer is an http(s) Profile
#      (cached for its max-age) and its status list is `no-cache` with an ETag, so
#      every verification revalidates the list with the issuer (a 304) on the blocking
#      pool. The verifier runs with --allow-private for it. No target applies (nothing
#      to compare in process); the issuer's CPU per request is recorded too.
#
#   6. the hostile mix of issue 16 (verifier/benches/http_load_hostile.sh): normal
#      posts with about 1 % hostile requests (blank-node rings and clique, a 1.8 MB
#      inline context, deep nesting, 9 proofs, /bake of a 16-bit 4096 x 4096 image);
#      normal p99 and the server's peak memory are measured.
#
# Every measurement is repeated ROUNDS times (default 3, a fresh server each time);
# the summary gives each round and the median.
#
# Usage:  verifier/benches/http_load.sh
# Environment: PORT (default 18081), ISSUER_PORT (default 18085), DURATION (default
#   15s), ROUNDS (default 3), HOSTILE_ONLY=1 (steps 1, 2 and 6 only), OWN_ONLY=1 (steps 1, 2
#   and 5 only: our issuer's credential), HOSTILE_CONNECTIONS (default 8),
#   CONNECTIONS (default 16), THREADS (default 2), KEEP=1 keeps the temp dir.
# Needs: cargo, wrk (apt-get install -y wrk), curl, jq, awk, python3 (its sqlite3 module).
#
# Targets (docs/BENCHMARKS.md): HTTP throughput >= 50 % of twice the in-process
# single-core rate, p99 latency < 20 ms, server peak RSS < 100 MB; with the hostile
# mix, normal p99 < 50 ms and server peak RSS < 200 MB.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT="${PORT:-18081}"
ISSUER_PORT="${ISSUER_PORT:-18085}"
DURATION="${DURATION:-15s}"
ROUNDS="${ROUNDS:-3}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
UNSIGNED="$ROOT/tests/fixtures/ours/unsigned-demarches.json"

for tool in cargo wrk curl jq awk python3; do
    command -v "$tool" >/dev/null || {
        echo "http_load.sh: $tool is missing (wrk: apt-get install -y wrk)" >&2
        exit 2
    }
done

WORK="$(mktemp -d)"
SERVER_PID=""
ISSUER_PID=""
cleanup() {
    for pid in "$SERVER_PID" "$ISSUER_PID"; do
        if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    if [[ "${KEEP:-0}" == 1 ]]; then
        echo "kept $WORK" >&2
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

log() { printf '\n== %s\n' "$*" >&2; }

# shellcheck source=verifier/benches/http_load_hostile.sh
source "$ROOT/verifier/benches/http_load_hostile.sh"

# The median of the numbers on standard input (mean of the middle two when even).
median() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "n/a"; exit }
        if (NR % 2) { print v[(NR + 1) / 2] } else { print (v[NR / 2] + v[NR / 2 + 1]) / 2 }
    }'
}

cd "$ROOT"

log "building (cargo build --release -p verifier -p issuer)"
cargo build --release -p verifier -p issuer
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
ISSUER="$TARGET/release/issuer"
VERIFIER="$TARGET/release/verifier"

log "signing $UNSIGNED with a fresh did:key"
"$ISSUER" keygen --out "$WORK/key" --alg ed25519 >"$WORK/keygen.json"
DID="$(jq -r .did "$WORK/keygen.json")"
KEY="$(jq -r .privateKeyFile "$WORK/keygen.json")"
"$ISSUER" sign --key "$KEY" --format di --issuer "$DID" "$UNSIGNED" >"$WORK/credential-di.json"
"$ISSUER" sign --key "$KEY" --format jwt --issuer "$DID" "$UNSIGNED" | tr -d '\n' >"$WORK/credential.jwt"
echo "issuer: $DID" >&2
for file in credential-di.json credential.jwt; do
    "$VERIFIER" verify --json "$WORK/$file" >"$WORK/$file.report.json" || true
    if [[ "$(jq -r .verified "$WORK/$file.report.json")" != true ]]; then
        echo "http_load.sh: $file does not verify:" >&2
        cat "$WORK/$file.report.json" >&2
        exit 1
    fi
    echo "$file: $(wc -c <"$WORK/$file") bytes, verifier verify --json: verified" >&2
done

# Criterion's median throughput (elements/s) of the benchmark whose name starts
# with $1, from the bench output in $2.
criterion_rate() {
    awk -v name="$1" '
        index($0, name) == 1 { found = 1 }
        found && /thrpt:/ && !/%/ {
            line = $0; sub(/.*\[/, "", line); split(line, f, " ")
            value = f[3]; unit = f[4]
            if (unit ~ /^K/) value *= 1e3; else if (unit ~ /^M/) value *= 1e6
            printf "%.0f\n", value; exit
        }' "$2"
}

# The cases of steps 4 and 5 measured.
if [[ "${OWN_ONLY:-0}" == 1 ]]; then
    FORMATS="issuer"
else
    FORMATS="di jwt issuer"
fi

if [[ "${HOSTILE_ONLY:-0}" != 1 && "${OWN_ONLY:-0}" != 1 ]]; then
log "in-process single-core rate (cargo bench -p verifier --bench pipeline)"
cargo bench -p verifier --bench pipeline --no-run
: >"$WORK/inproc-di.txt"
: >"$WORK/inproc-jwt.txt"
for round in $(seq "$ROUNDS"); do
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    VERIFIER_BENCH_DI="$WORK/credential-di.json" VERIFIER_BENCH_JWT="$WORK/credential.jwt" \
        cargo bench -p verifier --bench pipeline -- --warm-up-time 1 --measurement-time 3 \
        | tee "$WORK/pipeline-$round.txt" >&2
    criterion_rate "verify_bytes/data-integrity" "$WORK/pipeline-$round.txt" >>"$WORK/inproc-di.txt"
    criterion_rate "verify_bytes/vc-jwt" "$WORK/pipeline-$round.txt" >>"$WORK/inproc-jwt.txt"
done
fi

# wrk's latency percentile $1 (e.g. 99%) in milliseconds, from the output in $2.
wrk_latency_ms() {
    awk -v p="$1" '$1 == p {
        v = $2
        if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v) }
        else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
        printf "%.2f\n", v; exit
    }' "$2"
}

# Starts the verifier; arguments are added to `verifier serve`. Its log goes
# to $WORK/$SERVE_LOG (default serve.log), at the level RUST_LOG (default info).
start_server() {
    local log="$WORK/${SERVE_LOG:-serve.log}"
    RUST_LOG="${RUST_LOG:-info}" "$VERIFIER" serve --bind "127.0.0.1:$PORT" "$@" 2>"$log" >&2 &
    SERVER_PID=$!
    for _ in $(seq 100); do
        if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.1
    done
    echo "http_load.sh: the verifier did not answer /healthz on port $PORT" >&2
    cat "$log" >&2
    exit 1
}

stop_server() {
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

# Writes the wrk script posting file $1 with content type $2, into $3
# (default $WORK/post.lua).
write_lua() {
    cat >"${3:-$WORK/post.lua}" <<EOF
-- Posts one credential to /verify and counts the answers that are not a
-- 200 with "verified":true (wrk already counts non-2xx answers).
local file = assert(io.open("$1", "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Accept"] = "application/json"
wrk.headers["Content-Type"] = "$2"

local threads = {}
function setup(thread)
    table.insert(threads, thread)
end

not_verified = 0
function response(status, headers, body)
    if status ~= 200 or not string.find(body, '"verified":true', 1, true) then
        not_verified = not_verified + 1
    end
end

function done(summary, latency, requests)
    local total = 0
    for _, thread in ipairs(threads) do
        total = total + thread:get("not_verified")
    end
    io.write(string.format("not verified: %d\n", total))
end
EOF
}

# Clock ticks of CPU (user + system) the process $1 has used.
pid_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# Busy and total clock ticks of the whole machine (all cores).
machine_ticks() { awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat; }
HZ="$(getconf CLK_TCK)"
CORES="$(nproc)"

if [[ "${HOSTILE_ONLY:-0}" != 1 ]]; then
log "our issuer: issuer serve --demo on port $ISSUER_PORT, one award with issuer award"
export ISSUER_DATA_DIR="$WORK/issuer" ISSUER_BIND="127.0.0.1:$ISSUER_PORT" \
    ISSUER_PUBLIC_URL="http://127.0.0.1:$ISSUER_PORT" ISSUER_LOG=warn
mkdir -p "$ISSUER_DATA_DIR"
# Never the caller's database, master key or mail server.
unset ISSUER_DATABASE_URL ISSUER_MASTER_KEY ISSUER_SMTP_URL
"$ISSUER" serve --demo >"$WORK/issuer.log" 2>&1 &
ISSUER_PID=$!
issuer_ready=0
for _ in $(seq 100); do
    if curl -fsS "http://127.0.0.1:$ISSUER_PORT/healthz" >/dev/null 2>&1; then
        issuer_ready=1
        break
    fi
    sleep 0.1
done
if [[ "$issuer_ready" != 1 ]] || ! kill -0 "$ISSUER_PID" 2>/dev/null; then
    echo "http_load.sh: the issuer did not answer /healthz on port $ISSUER_PORT" >&2
    cat "$WORK/issuer.log" >&2
    exit 1
fi
# The demo badge's id and the award's public token, read from the issuer's SQLite file.
sql() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' \
    "$ISSUER_DATA_DIR/issuer.sqlite3" "$1"; }
achievement="$(sql 'select id from achievements limit 1')"
printf 'name,email,narrative,evidence_url\nCamille Martin,camille@example.fr,,\n' >"$WORK/participants.csv"
"$ISSUER" award --org demo --achievement "$achievement" --csv "$WORK/participants.csv" >&2
token="$(sql "select public_token from awards where format = 'di' limit 1")"
curl -fsS "http://127.0.0.1:$ISSUER_PORT/credentials/$token.json" >"$WORK/credential-issuer.json"
unset ISSUER_DATA_DIR ISSUER_BIND ISSUER_PUBLIC_URL ISSUER_LOG
echo "our issuer's credential: $(wc -c <"$WORK/credential-issuer.json") bytes, issuer $(jq -r .issuer.id "$WORK/credential-issuer.json")" >&2

for format in $FORMATS; do
    case "$format" in
        di) file="$WORK/credential-di.json" type="application/json" serve_args=() ;;
        jwt) file="$WORK/credential.jwt" type="application/jwt" serve_args=() ;;
        issuer) file="$WORK/credential-issuer.json" type="application/json" serve_args=(--allow-private) ;;
    esac
    write_lua "$file" "$type"
    for measure in rps p50 p99 hwm cpu_ms issuer_cpu_ms server_cores wrk_cores other_cores load; do
        : >"$WORK/$measure-$format.txt"
    done
    for round in $(seq "$ROUNDS"); do
        log "$format round $round: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency POST /verify"
        start_server ${serve_args[@]+"${serve_args[@]}"}
        out="$WORK/wrk-$format-$round.txt"
        load="$(cut -d' ' -f1 /proc/loadavg)"
        issuer_before="$(pid_ticks "$ISSUER_PID")"
        server_before="$(pid_ticks "$SERVER_PID")"
        read -r busy_before total_before < <(machine_ticks)
        start="$(date +%s.%N)"
        if [[ -x /usr/bin/time ]]; then
            /usr/bin/time -f '%U %S' -o "$WORK/wrk-time" \
                wrk "-t$THREADS" "-c$CONNECTIONS" "-d$DURATION" --latency -s "$WORK/post.lua" \
                "http://127.0.0.1:$PORT/verify" >"$out"
        else
            echo "n/a n/a" >"$WORK/wrk-time"
            wrk "-t$THREADS" "-c$CONNECTIONS" "-d$DURATION" --latency -s "$WORK/post.lua" \
                "http://127.0.0.1:$PORT/verify" >"$out"
        fi
        end="$(date +%s.%N)"
        read -r busy_after total_after < <(machine_ticks)
        server_after="$(pid_ticks "$SERVER_PID")"
        issuer_after="$(pid_ticks "$ISSUER_PID")"
        hwm_kb="$(awk '/^VmHWM:/ { print $2 }' "/proc/$SERVER_PID/status")"
        stop_server
        cat "$out" >&2
        requests="$(awk '/requests in/ { print $1 }' "$out")"
        awk -v s="$((server_after - server_before))" -v hz="$HZ" -v n="$requests" \
            -v wall="$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" \
            -v busy="$((busy_after - busy_before))" -v total="$((total_after - total_before))" \
            -v cores="$CORES" -v wrk="$(awk '{ print $1 + $2 }' "$WORK/wrk-time")" \
            -v kb="$hwm_kb" -v la="$load" -v dir="$WORK" -v f="$format" \
            -v is="$((issuer_after - issuer_before))" 'BEGIN {
                server = s / hz / wall; machine = cores * busy / total; w = wrk / wall
                printf "%.3f\n", 1000 * s / hz / n >> (dir "/cpu_ms-" f ".txt")
                printf "%.3f\n", 1000 * is / hz / n >> (dir "/issuer_cpu_ms-" f ".txt")
                printf "%.2f\n", server >> (dir "/server_cores-" f ".txt")
                printf "%.2f\n", w >> (dir "/wrk_cores-" f ".txt")
                printf "%.2f\n", machine - server - w >> (dir "/other_cores-" f ".txt")
                printf "%.1f\n", kb / 1024 >> (dir "/hwm-" f ".txt")
                printf "%s\n", la >> (dir "/load-" f ".txt")
                printf "server: VmHWM %d kB, %.3f ms CPU per request; cores used: server %.2f, wrk %.2f, others %.2f of %d (load average before: %s)\n",
                    kb, 1000 * s / hz / n, server, w, machine - server - w, cores, la > "/dev/stderr"
            }'
        if ! grep -q '^not verified: 0$' "$out"; then
            echo "http_load.sh: some answers were not 200 with verified:true" >&2
            exit 1
        fi
        awk '/^Requests\/sec:/ { print $2 }' "$out" >>"$WORK/rps-$format.txt"
        wrk_latency_ms 50% "$out" >>"$WORK/p50-$format.txt"
        wrk_latency_ms 99% "$out" >>"$WORK/p99-$format.txt"
    done
done

rounds() { paste -sd ' ' "$1" | sed 's/ /, /g'; }
met() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN {
    ok = (op == ">=") ? (a >= b) : (a < b); print ok ? "yes" : "NO" }'; }

echo
echo "# verifier HTTP load: $(date -u +%Y-%m-%d), $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS rounds"
echo
echo "| credential | measure | rounds | median | target | met? |"
echo "|---|---|---|---|---|---|"
for format in $FORMATS; do
    case "$format" in
        di) label="Data Integrity ($(wc -c <"$WORK/credential-di.json") B)" ;;
        jwt) label="VC-JWT ($(wc -c <"$WORK/credential.jwt") B)" ;;
        issuer) label="our issuer's credential ($(wc -c <"$WORK/credential-issuer.json") B, status list revalidated)" ;;
    esac
    rps="$(median <"$WORK/rps-$format.txt")"
    p50="$(median <"$WORK/p50-$format.txt")"
    p99="$(median <"$WORK/p99-$format.txt")"
    hwm="$(median <"$WORK/hwm-$format.txt")"
    if [[ "$format" == issuer ]]; then
        echo "| $label | HTTP requests/s | $(rounds "$WORK/rps-$format.txt") | $rps | >= 3000 (issue 15) | $(met "$rps" ">=" 3000) |"
    else
        inproc="$(median <"$WORK/inproc-$format.txt")"
        echo "| $label | in-process verify_bytes, 1 core (/s) | $(rounds "$WORK/inproc-$format.txt") | $inproc | | |"
        echo "| $label | HTTP requests/s | $(rounds "$WORK/rps-$format.txt") | $rps | >= 50 % x 2 x $inproc = $inproc | $(met "$rps" ">=" "$inproc") ($(awk -v a="$rps" -v b="$inproc" 'BEGIN { printf "%.0f %%", 100 * a / b }') of target) |"
    fi
    echo "| $label | p50 latency (ms) | $(rounds "$WORK/p50-$format.txt") | $p50 | | |"
    if [[ "$format" == issuer ]]; then p99_target=15; else p99_target=20; fi
    echo "| $label | p99 latency (ms) | $(rounds "$WORK/p99-$format.txt") | $p99 | < $p99_target | $(met "$p99" "<" "$p99_target") |"
    echo "| $label | server VmHWM (MB) | $(rounds "$WORK/hwm-$format.txt") | $hwm | < 100 | $(met "$hwm" "<" 100) |"
    cpu="$(median <"$WORK/cpu_ms-$format.txt")"
    if [[ "$format" == issuer ]]; then
        issuer_cpu="$(median <"$WORK/issuer_cpu_ms-$format.txt")"
        echo "| $label | server CPU per request (ms) | $(rounds "$WORK/cpu_ms-$format.txt") | $cpu | <= 0.4 (issue 15) | $(met "$cpu" "<" 0.4005) |"
        echo "| $label | issuer CPU per request (ms) | $(rounds "$WORK/issuer_cpu_ms-$format.txt") | $issuer_cpu | <= 0.1 (issue 15) | $(met "$issuer_cpu" "<" 0.1005) |"
    else
        echo "| $label | server CPU per request (ms) | $(rounds "$WORK/cpu_ms-$format.txt") | $cpu | | |"
    fi
    echo "| $label | cores used by the server | $(rounds "$WORK/server_cores-$format.txt") | $(median <"$WORK/server_cores-$format.txt") | | |"
    echo "| $label | cores used by wrk | $(rounds "$WORK/wrk_cores-$format.txt") | $(median <"$WORK/wrk_cores-$format.txt") | | |"
    echo "| $label | cores used by other processes | $(rounds "$WORK/other_cores-$format.txt") | $(median <"$WORK/other_cores-$format.txt") | | |"
    echo "| $label | load average before the run | $(rounds "$WORK/load-$format.txt") | | | |"
done
fi

if [[ "${OWN_ONLY:-0}" != 1 ]]; then
    hostile_mix
fi
