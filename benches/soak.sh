#!/usr/bin/env bash
# Load soak (issue 9): the parity example (release) under wrk at full speed for $DURATION with a
# mix of RPC JSON, urlencoded form RPC and page requests (GET /, a same-origin
# POST /?_action=subscribe). Fails on any socket error or unexpected status, and when the
# resident memory at the end is more than 10% above the one after warm-up.
#
#   benches/soak.sh                          # 60 s, -t2 -c32
#   DURATION=10s CONNECTIONS=64 benches/soak.sh
#
# Needs wrk (Debian: `apt-get update && apt-get install -y wrk`).
set -euo pipefail

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-60s}
WARMUP=${WARMUP:-10s}
PORT=${PORT:-4342}

if ! command -v wrk >/dev/null; then
    echo "wrk is missing: install it with 'apt-get update && apt-get install -y wrk'" >&2
    exit 1
fi

cd "$(dirname "$0")/.."
work=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# Each request is one of four; `response` checks the status it expects and counts the rest.
cat >"$work/mix.lua" <<'EOF'
local json = { ["Content-Type"] = "application/json" }
local form = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Host"] = "127.0.0.1", ["Origin"] = "http://127.0.0.1",
}
local page_form = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Host"] = "example.test", ["Origin"] = "http://example.test",
}
local kinds = {
    { name = "rpc-json", expect = 200,
      req = function(n) return wrk.format("POST", "/_actions/greet", json, '{"name":"soak ' .. n .. '"}') end },
    { name = "rpc-form", expect = 200,
      req = function(n) return wrk.format("POST", "/_actions/comment", form,
            "postId=p" .. n .. "&author=Ada&body=Hello+there+" .. n) end },
    { name = "page-get", expect = 200,
      req = function(n) return wrk.format("GET", "/") end },
    { name = "page-form", expect = 200,
      req = function(n) return wrk.format("POST", "/?_action=subscribe", page_form, "email=a" .. n .. "%40b.co") end },
}

local threads = {}
function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    n = 0
    sent = {}
    statuses = {}
    unexpected = 0
    -- wrk answers responses in order on each connection; a per-thread FIFO of kinds.
    queue = {}
    head, tail = 1, 0
end

function request()
    n = n + 1
    local kind = kinds[(n % #kinds) + 1]
    tail = tail + 1
    queue[tail] = kind
    return kind.req(n)
end

function response(status, headers, body)
    local kind = queue[head]
    queue[head] = nil
    head = head + 1
    local key = (kind and kind.name or "?") .. " " .. status
    statuses[key] = (statuses[key] or 0) + 1
    if not kind or status ~= kind.expect then
        unexpected = unexpected + 1
    end
end

function done(summary, latency, requests)
    local totals, bad = {}, 0
    for _, thread in ipairs(threads) do
        bad = bad + thread:get("unexpected")
        local s = thread:get("statuses")
        for k, v in pairs(s) do totals[k] = (totals[k] or 0) + v end
    end
    local keys = {}
    for k in pairs(totals) do table.insert(keys, k) end
    table.sort(keys)
    for _, k in ipairs(keys) do io.write(string.format("STATUS %s %d\n", k, totals[k])) end
    local e = summary.errors
    io.write(string.format("SUMMARY requests=%d rps=%.0f p99_ms=%.2f socket_errors=%d non2xx_timeouts=%d unexpected=%d\n",
        summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000,
        e.connect + e.read + e.write, e.timeout, bad))
end
EOF

echo "building the parity example (release)…" >&2
cargo build --release --example parity -q

PORT=$PORT target/release/examples/parity >"$work/parity.log" 2>&1 &
pid=$!
for _ in $(seq 50); do
    if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then break; fi
    sleep 0.1
done

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$pid/status"; }
secs=${DURATION%s}
warm=${WARMUP%s}

echo "warm-up: wrk -t$THREADS -c$CONNECTIONS -d$WARMUP; $(nproc) cores" >&2
timeout $((warm + 30)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$work/mix.lua" \
    "http://127.0.0.1:$PORT" >"$work/warmup.out"
rss_warm=$(rss)
echo "soak: wrk -t$THREADS -c$CONNECTIONS -d$DURATION" >&2
timeout $((secs + 30)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$work/mix.lua" \
    "http://127.0.0.1:$PORT" | tee "$work/soak.out"
rss_end=$(rss)

summary=$(grep '^SUMMARY' "$work/soak.out")
socket_errors=$(sed -E 's/.*socket_errors=([0-9]+).*/\1/' <<<"$summary")
timeouts=$(sed -E 's/.*non2xx_timeouts=([0-9]+).*/\1/' <<<"$summary")
unexpected=$(sed -E 's/.*unexpected=([0-9]+).*/\1/' <<<"$summary")
growth=$(awk -v a="$rss_warm" -v b="$rss_end" 'BEGIN { printf "%.1f", (b - a) * 100 / a }')
echo "RSS after warm-up ${rss_warm} kB, at the end ${rss_end} kB (${growth}%)"

status=0
if [ "$socket_errors" != 0 ] || [ "$timeouts" != 0 ]; then
    echo "FAIL: $socket_errors socket errors, $timeouts timeouts" >&2
    status=1
fi
if [ "$unexpected" != 0 ]; then
    echo "FAIL: $unexpected unexpected statuses" >&2
    status=1
fi
if ! awk -v a="$rss_warm" -v b="$rss_end" 'BEGIN { exit !(b <= a * 1.10) }'; then
    echo "FAIL: resident memory grew by more than 10%" >&2
    status=1
fi
if ! kill -0 "$pid" 2>/dev/null; then
    echo "FAIL: the server died; log:" >&2
    cat "$work/parity.log" >&2
    status=1
fi
[ "$status" = 0 ] && echo "PASS"
exit "$status"
