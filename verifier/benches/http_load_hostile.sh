# Step 6 of http_load.sh (sourced by it, not run alone): the hostile mix of
# issue 16. While wrk posts the Data Integrity credential on CONNECTIONS
# connections, a second wrk on HOSTILE_CONNECTIONS connections (default 8)
# sends hostile requests at 1 % of all (the normal rate is measured in a mixed
# warm-up first; pacing by wrk's delay(), to the second): blank-node rings of 2,000 and 420
# nodes, a 12-node clique, a 1.8 MB inline context, JSON nested 60 deep with an
# inline context, 9 proofs, and /bake of a credential whose image is a
# 4096 x 4096 16-bit PNG. Normal requests must all verify with p99 < 50 ms;
# hostile ones get verdicts, 4xx or 503, never another 5xx; the server's peak
# RSS stays under 200 MB and /healthz answers after.
#
# Uses from http_load.sh: WORK, ROOT, ISSUER, VERIFIER, KEY, DID, PORT, THREADS,
# CONNECTIONS, DURATION, SERVER_PID, start_server, stop_server, write_lua,
# wrk_latency_ms.

# Writes the hostile bodies into $WORK/hostile. They carry the proof of the
# signed credential, so that key binding passes and canonicalisation runs.
make_hostile() {
    mkdir -p "$WORK/hostile"
    python3 - "$WORK" "$ROOT/tests/fixtures/ours/unsigned-demarches.json" <<'PY'
import base64, json, struct, sys, zlib
work, unsigned_path = sys.argv[1], sys.argv[2]
signed = json.load(open(f"{work}/credential-di.json"))
proof, issuer = signed["proof"], signed["issuer"]

def dump(name, document):
    with open(f"{work}/hostile/{name}", "w") as out:
        json.dump(document, out, separators=(",", ":"))

def linked(nodes, edges):
    return {"@context": ["https://www.w3.org/ns/credentials/v2", {"p": "https://example.org/p"}],
            "type": ["VerifiableCredential"], "issuer": issuer,
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:holder",
                                  "p": [{"@id": f"_:{i}", "p": [{"@id": f"_:{j}"} for j in edges(i)]}
                                        for i in range(nodes)]},
            "proof": proof}

dump("ring-2000.json", linked(2000, lambda i: [(i + 1) % 2000]))
dump("ring-420.json", linked(420, lambda i: [(i + 1) % 420]))
dump("clique-12.json", linked(12, lambda i: [j for j in range(12) if j != i]))
huge = dict(signed)
huge["@context"] = signed["@context"] + [{f"t{i}": f"https://example.org/vocab/{i}" for i in range(40000)}]
dump("context-1.8MB.json", huge)
deep = {"name": "bottom"}
for level in range(60):
    deep = {"name": f"level {level}", "p": deep}
dump("nested-60.json", {"@context": ["https://www.w3.org/ns/credentials/v2", {"p": "https://example.org/p"}],
                        "type": ["VerifiableCredential"], "issuer": issuer, "p": deep, "proof": proof})
nine = dict(signed)
nine["proof"] = [proof] * 9
dump("proofs-9.json", nine)

# A 4096 x 4096 RGBA PNG at 16 bits: 16 identical rows deflated with a full
# flush and the block repeated, so that ~200 KB decode to 128 MiB.
row = b"\0" + b"\0\0\0\0\xff\xff\xff\xff" * 4096
compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
block = compressor.compress(row * 16) + compressor.flush(zlib.Z_FULL_FLUSH)
data = b"\x78\x01" + block * 256 + b"\x03\x00" + struct.pack(">I", zlib.adler32(row * 4096))

def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4096, 4096, 16, 6, 0, 0, 0))
       + chunk(b"IDAT", data) + chunk(b"IEND", b""))
unsigned = json.load(open(unsigned_path))
subject = unsigned["credentialSubject"]
subject = subject[0] if isinstance(subject, list) else subject
subject["achievement"]["image"] = {"id": "data:image/png;base64," + base64.b64encode(png).decode(),
                                   "type": "Image"}
json.dump(unsigned, open(f"{work}/hostile-image-unsigned.json", "w"))
PY
    "$ISSUER" sign --key "$KEY" --format di --issuer "$DID" "$WORK/hostile-image-unsigned.json" \
        >"$WORK/hostile/bake-16bit-4096.json"
    ls -l "$WORK/hostile" >&2
}

# Writes the wrk script that sends the hostile bodies in turn, $1 a second in
# all (each request waits for its own time slot, to the second), and counts the
# answers by kind.
write_hostile_lua() {
    {
        echo "local files = {"
        for file in "$WORK"/hostile/*.json; do
            echo "  \"$file\","
        done
        echo "}"
        echo "local rate = $1"
        cat <<'LUA'
local bodies, paths, next_one = {}, {}, 0
for i, name in ipairs(files) do
    local file = assert(io.open(name, "rb"))
    bodies[i] = file:read("*a")
    file:close()
    paths[i] = string.find(name, "bake-", 1, true) and "/bake?format=png" or "/verify"
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
verdicts, refused, busy, failed = 0, 0, 0, 0
local start, scheduled = nil, 0
function request()
    next_one = next_one % #bodies + 1
    return wrk.format("POST", paths[next_one],
        {["Accept"] = "application/json", ["Content-Type"] = "application/json"}, bodies[next_one])
end
-- Each request gets its own slot, the n-th due n / rate seconds after the start.
function delay()
    start = start or os.time()
    local due = scheduled / rate - (os.time() - start)
    scheduled = scheduled + 1
    return due > 0 and math.floor(due * 1000) or 0
end
function response(status, headers, body)
    if status == 200 then verdicts = verdicts + 1
    elseif status == 503 then busy = busy + 1
    elseif status >= 400 and status < 500 then refused = refused + 1
    else failed = failed + 1 end
end
function done(summary, latency, requests)
    local v, r, b, f = 0, 0, 0, 0
    for _, t in ipairs(threads) do
        v = v + t:get("verdicts"); r = r + t:get("refused")
        b = b + t:get("busy"); f = f + t:get("failed")
    end
    io.write(string.format(
        "hostile answers: %d verdicts or images, %d refused (4xx), %d busy (503), %d other\n",
        v, r, b, f))
end
LUA
    } >"$WORK/hostile.lua"
}

hostile_mix() {
    log "hostile mix: normal Data Integrity posts with about 1 % hostile requests"
    make_hostile
    # The signed credential, counting answers that are not a 200 with
    # "verified":true.
    write_lua "$WORK/credential-di.json" application/json "$WORK/normal.lua"
    RUST_LOG=warn SERVE_LOG=serve-hostile.log start_server
    # The normal rate here, to pace the hostile requests at 1 % of all: first
    # alone, then with the hostile requests at 1 % of that (the mix is slower),
    # then the measured run at 1 % of the mixed rate.
    wrk "-t$THREADS" "-c$CONNECTIONS" -d5s -s "$WORK/normal.lua" \
        "http://127.0.0.1:$PORT/verify" >"$WORK/calibration.txt"
    local normal_rps hostile_rate
    normal_rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$WORK/calibration.txt")"
    hostile_rate="$(awk -v r="$normal_rps" 'BEGIN { printf "%.1f", r / 99 }')"
    write_hostile_lua "$hostile_rate"
    wrk -t1 "-c${HOSTILE_CONNECTIONS:-8}" -d5s --timeout 10s -s "$WORK/hostile.lua" \
        "http://127.0.0.1:$PORT/verify" >/dev/null &
    local warm_up=$!
    wrk "-t$THREADS" "-c$CONNECTIONS" -d5s -s "$WORK/normal.lua" \
        "http://127.0.0.1:$PORT/verify" >"$WORK/calibration-mixed.txt"
    wait "$warm_up"
    normal_rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$WORK/calibration-mixed.txt")"
    hostile_rate="$(awk -v r="$normal_rps" 'BEGIN { printf "%.1f", r / 99 }')"
    echo "normal rate ${normal_rps}/s in the mix: ${hostile_rate} hostile requests/s" >&2
    write_hostile_lua "$hostile_rate"
    wrk -t1 "-c${HOSTILE_CONNECTIONS:-8}" "-d$DURATION" --timeout 10s -s "$WORK/hostile.lua" \
        "http://127.0.0.1:$PORT/verify" >"$WORK/hostile-wrk.txt" &
    local hostile_wrk=$!
    wrk "-t$THREADS" "-c$CONNECTIONS" "-d$DURATION" --latency -s "$WORK/normal.lua" \
        "http://127.0.0.1:$PORT/verify" >"$WORK/normal-wrk.txt"
    wait "$hostile_wrk"
    local health hwm_kb rss_kb
    health="$(curl -fsS -m 5 "http://127.0.0.1:$PORT/healthz" || echo down)"
    hwm_kb="$(awk '/^VmHWM:/ { print $2 }' "/proc/$SERVER_PID/status")"
    rss_kb="$(awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status")"
    stop_server
    cat "$WORK/normal-wrk.txt" "$WORK/hostile-wrk.txt" >&2
    local normal hostile p50 p99 hwm_mb share
    normal="$(awk '/requests in/ { print $1 }' "$WORK/normal-wrk.txt")"
    hostile="$(awk '/requests in/ { print $1 }' "$WORK/hostile-wrk.txt")"
    p50="$(wrk_latency_ms 50% "$WORK/normal-wrk.txt")"
    p99="$(wrk_latency_ms 99% "$WORK/normal-wrk.txt")"
    hwm_mb="$(awk -v k="$hwm_kb" 'BEGIN { printf "%.1f", k / 1024 }')"
    share="$(awk -v h="$hostile" -v n="$normal" 'BEGIN { printf "%.2f", 100 * h / (h + n) }')"
    below() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b) ? "yes" : "NO" }'; }
    echo
    echo "# hostile mix: $(date -u +%Y-%m-%d), $(nproc) cores, normal: wrk -t$THREADS -c$CONNECTIONS -d$DURATION; hostile: wrk -t1 -c${HOSTILE_CONNECTIONS:-8} at ${hostile_rate}/s (1 % of the ${normal_rps}/s of a mixed warm-up)"
    echo
    echo "| measure | value | target | met? |"
    echo "|---|---|---|---|"
    echo "| normal requests, all verified | $normal | all verified | $(grep -q '^not verified: 0$' "$WORK/normal-wrk.txt" && echo yes || echo NO) |"
    echo "| normal requests/s | $(awk '/^Requests\/sec:/ { print $2 }' "$WORK/normal-wrk.txt") | | |"
    echo "| hostile requests ($share % of all) | $hostile | about 1 % | |"
    echo "| hostile latency (ms), wrk's mean and max | $(awk '$1 == "Latency" { print $2 ", " $4; exit }' "$WORK/hostile-wrk.txt") | | |"
    echo "| $(grep '^hostile answers' "$WORK/hostile-wrk.txt") | | no other | $(grep -q ', 0 other$' "$WORK/hostile-wrk.txt" && echo yes || echo NO) |"
    echo "| normal p50 latency (ms) | $p50 | | |"
    echo "| normal p99 latency (ms) | $p99 | < 50 | $(below "$p99" 50) |"
    echo "| server peak RSS, VmHWM (MB) | $hwm_mb | < 200 | $(below "$hwm_mb" 200) |"
    echo "| server RSS after the run (MB) | $(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }') | | |"
    echo "| /healthz after the run | $health | ok | $([[ "$health" == *ok* ]] && echo yes || echo NO) |"
}
