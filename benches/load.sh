#!/usr/bin/env bash
# End-to-end load: `greet` over HTTP, the parity fixture (tower-actions) vs a hand-written axum
# `Json` handler (benches/baseline/), both release builds on 127.0.0.1, driven by wrk with
# fixed threads, connections and duration, runs alternating A B A B…; prints requests/s and
# p99 latency of each run and the ratios (layer / baseline) of the medians.
#
#   benches/load.sh                     # 2 rounds of 10 s each, -t2 -c32
#   ROUNDS=3 DURATION=5s CONNECTIONS=64 benches/load.sh
#
# Needs wrk (Debian: `apt-get update && apt-get install -y wrk`). Bounded: every wrk run has a
# fixed duration and a timeout, and the servers are stopped on exit.
set -euo pipefail

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-2}
LAYER_PORT=${LAYER_PORT:-4322}
BASE_PORT=${BASE_PORT:-4330}

if ! command -v wrk >/dev/null; then
    echo "wrk is missing: install it with 'apt-get update && apt-get install -y wrk'" >&2
    exit 1
fi

cd "$(dirname "$0")/.."
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

cat >"$work/greet.lua" <<'EOF'
wrk.method = "POST"
wrk.body = '{"name":"Ada"}'
wrk.headers["Content-Type"] = "application/json"

done = function(summary, latency, requests)
    io.write(string.format("RESULT %.1f %.1f %d %d\n",
        summary.requests / (summary.duration / 1e6),
        latency:percentile(99) / 1000,
        summary.errors.status + summary.errors.connect + summary.errors.read
            + summary.errors.write + summary.errors.timeout,
        summary.requests))
end
EOF

echo "building the parity example and the baseline server (release)…" >&2
cargo build --release --example parity -q
# The baseline is a bench target (benches/baseline/main.rs): cargo names its executable.
baseline=$(cargo bench --bench baseline --no-run 2>&1 | sed -n 's/.*Executable .*(\(.*\))$/\1/p')
if [ ! -x "$baseline" ]; then echo "the baseline server did not build" >&2; exit 1; fi
target=${CARGO_TARGET_DIR:-target}

start() { # name port command…
    local name=$1 port=$2
    shift 2
    PORT=$port "$@" >"$work/$name.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 50); do
        if curl -s -o /dev/null "http://127.0.0.1:$port/"; then return; fi
        sleep 0.1
    done
    echo "$name did not start; log:" >&2
    cat "$work/$name.log" >&2
    exit 1
}
start parity "$LAYER_PORT" "$target/release/examples/parity"
start baseline "$BASE_PORT" "$baseline" --serve

expect() { # port body
    local got
    got=$(curl -s -XPOST -H 'content-type: application/json' -d '{"name":"Ada"}' \
        "http://127.0.0.1:$1/_actions/greet")
    if [ "$got" != "$2" ]; then echo "unexpected answer on :$1: $got" >&2; exit 1; fi
}
expect "$LAYER_PORT" '["Hello, Ada!"]'
expect "$BASE_PORT" '"Hello, Ada!"'

secs=${DURATION%s}
run() { # label port
    local line
    line=$(timeout $((secs + 30)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" \
        -s "$work/greet.lua" "http://127.0.0.1:$2/_actions/greet" | grep '^RESULT')
    read -r _ rps p99 errors requests <<<"$line"
    if [ "$errors" != 0 ]; then echo "$1: $errors errors of $requests requests" >&2; fi
    printf '%-9s %12s req/s   p99 %8s ms\n' "$1" "$rps" "$p99"
    echo "$1 $rps $p99" >>"$work/results"
}

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS rounds, alternating; $(nproc) cores"
# Warm both up (connection setup, allocator, caches) without recording.
timeout 30 wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -s "$work/greet.lua" \
    "http://127.0.0.1:$BASE_PORT/_actions/greet" >/dev/null
timeout 30 wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -s "$work/greet.lua" \
    "http://127.0.0.1:$LAYER_PORT/_actions/greet" >/dev/null
for round in $(seq "$ROUNDS"); do
    run baseline "$BASE_PORT"
    run layer "$LAYER_PORT"
done

awk '
    function median(a, n,    i, j, t) {
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    { n[$1]++; rps[$1, n[$1]] = $2; p99[$1, n[$1]] = $3 }
    END {
        for (k in n) { for (i = 1; i <= n[k]; i++) { r[i] = rps[k, i]; p[i] = p99[k, i] }
            mr[k] = median(r, n[k]); mp[k] = median(p, n[k]) }
        printf "median    baseline %.0f req/s p99 %.2f ms | layer %.0f req/s p99 %.2f ms\n", mr["baseline"], mp["baseline"], mr["layer"], mp["layer"]
        printf "ratio     throughput layer/baseline %.3f   p99 layer/baseline %.3f\n", mr["layer"] / mr["baseline"], mp["layer"] / mp["baseline"]
    }' "$work/results"
