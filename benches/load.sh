#!/usr/bin/env bash
# End to end over HTTP: the parity fixture behind tower-actions against the handlers a user
# writes by hand (benches/baseline/hand.rs), the garde + devalue handlers (benches/baseline/
# app.rs) and Leptos server_fn (benches/server_fn/), all release builds on 127.0.0.1, driven
# by wrk with fixed threads, connections and duration. Each round runs every server of every
# case once, the order reversed every other round; the figures are the medians of the rounds.
# Before timing, every server's answer is checked (status and bytes against the layer's where
# they do the same job). Prints one table: throughput and p99 ratios, and the bytes allocated
# per request (each server counts its heap allocations; read before and after every run).
# The page case also runs the hand-written page keeping Astro's model (the result written in
# devalue and read back before the page shows it): against it, what is left is the layer's
# own mechanics and the parity page's heavier template (it shows both actions' results).
#
#   benches/load.sh                         # 5 rounds of 6 s, wrk -t2 -c32 (about 9 minutes)
#   ROUNDS=3 DURATION=4s benches/load.sh
#   CASES="greet subscribe" SERVER_FN=0 benches/load.sh
#   SERVERS_BIN=/path/to/baseline-… benches/load.sh   # servers built from another commit
#   LAYER_VIA=route benches/load.sh   # the layer applied with Router::layer, as examples/parity
#   PIN=1 benches/load.sh   # servers on core 1 (one tokio worker), wrk on core 0 (one thread)
#   DELAY_MS=1 benches/load.sh   # each connection waits 1 ms (whole ms) between requests
#
# DELAY_MS compares latency at the same offered load instead of at saturation: every server
# gets about CONNECTIONS requests per (DELAY_MS + its latency), a fraction of what it can
# serve, so the throughput ratio is about 1 and the p50-p99 are each server's answer time
# under the same load. At saturation (the default) a faster server is also a busier machine
# for wrk, and its p99 says as much about the scheduler as about its work.
#
# PIN=1 keeps the load generator and the server off each other's core: on a two-core machine
# the default run's p99 measures the scheduler (two servers' threads and wrk's share both
# cores), and one server's p99 moves by +-30 % between its own runs; pinned, it follows the
# server's own work. Needs taskset (util-linux).
#
# Cases: greet subscribe ping page prg-post prg-get. Needs wrk, curl and python3 (Debian:
# `apt-get update && apt-get install -y wrk`). Bounded: every wrk run has a fixed duration and
# a timeout, and the servers are stopped on exit.
set -euo pipefail

PIN=${PIN:-0}
if [ "$PIN" = 1 ]; then
    THREADS=${THREADS:-1}
    server_cpu=(taskset -c 1 env TOKIO_WORKER_THREADS=1)
    wrk_cpu=(taskset -c 0)
else
    THREADS=${THREADS:-2}
    server_cpu=()
    wrk_cpu=()
fi
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-6s}
DELAY_MS=${DELAY_MS:-}
[[ $DELAY_MS =~ ^[0-9]*$ ]] || { echo "load.sh: DELAY_MS is a whole number of milliseconds" >&2; exit 1; }
ROUNDS=${ROUNDS:-5}
WARMUP=${WARMUP:-2s}
CASES=${CASES:-greet subscribe ping page prg-post prg-get}
SERVER_FN=${SERVER_FN:-1}
# Servers listen on PORT_BASE + 0..7, their allocation counters on PORT_BASE + 10..17.
PORT_BASE=${PORT_BASE:-4380}

for tool in wrk curl python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "$tool is missing (wrk: 'apt-get update && apt-get install -y wrk')" >&2
        exit 1
    fi
done

cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() {
    echo "load.sh: $*" >&2
    exit 1
}

target=${CARGO_TARGET_DIR:-$root/target}
source benches/support/servers.sh
build_servers

# name → port
declare -A port stats
names=(layer layer-prg hand hand-prg garde bare server_fn hand-model)
for i in "${!names[@]}"; do
    port[${names[$i]}]=$((PORT_BASE + i))
    stats[${names[$i]}]=$((PORT_BASE + 10 + i))
done

start() { # name command…
    local name=$1
    shift
    if curl -s -o /dev/null "http://127.0.0.1:${port[$name]}/"; then
        fail "port ${port[$name]} ($name) is already in use: set PORT_BASE"
    fi
    PORT=${port[$name]} STATS_PORT=${stats[$name]} "${server_cpu[@]}" "$@" >"$work/$name.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do
        if curl -s -o /dev/null "http://127.0.0.1:${port[$name]}/ping"; then return; fi
        sleep 0.1
    done
    cat "$work/$name.log" >&2
    fail "$name did not start"
}
# LAYER_VIA=route: the layer's servers apply it with axum's `Router::layer` (as examples/parity
# does) instead of around the whole Router.
for name in layer layer-prg hand hand-prg hand-model garde bare; do
    serve=$name
    case $name in layer | layer-prg) serve=$name${LAYER_VIA:+-$LAYER_VIA} ;; esac
    start "$name" "$baseline" --serve "$serve"
done
[ "$SERVER_FN" = 1 ] && start server_fn "$server_fn"

# --- what each server answers -------------------------------------------------------------
FORM=application/x-www-form-urlencoded
EMAIL='email=ada%40example.com'
# ask name method path [content-type body [cookie]]: writes $work/ans.{status,headers,body}
ask() {
    local name=$1 method=$2 path=$3 type=${4:-} body=${5:-} cookie=${6:-}
    local url="http://127.0.0.1:${port[$name]}$path" args=(-s -X "$method" -D "$work/ans.headers" -o "$work/ans.body" -w '%{http_code}')
    [ -n "$type" ] && args+=(-H "content-type: $type" -H "origin: http://127.0.0.1:${port[$name]}" --data-binary "$body")
    [ -n "$cookie" ] && args+=(-H "cookie: $cookie")
    curl "${args[@]}" "$url" >"$work/ans.status"
}
status() { cat "$work/ans.status"; }
body() { cat "$work/ans.body"; }
header() { grep -i "^$1:" "$work/ans.headers" | head -1 | cut -d' ' -f2- | tr -d '\r'; }
# same label name1 name2 method path [type body [cookie1 cookie2]]: status and bytes equal
same() {
    local label=$1 a=$2 b=$3 method=$4 path_a=$5 path_b=$6 type=${7:-} data=${8:-}
    ask "$a" "$method" "$path_a" "$type" "$data" "${9:-}"
    local sa body_a
    sa=$(status)
    body_a=$(body | base64 -w0)
    ask "$b" "$method" "$path_b" "$type" "$data" "${10:-}"
    [ "$sa" = "$(status)" ] || fail "$label: $a answers $sa, $b $(status)"
    [ "$body_a" = "$(body | base64 -w0)" ] || fail "$label: $a and $b answer different bytes"
}
expect() { # label status body
    [ "$(status)" = "$2" ] || fail "$1: status $(status), expected $2: $(body)"
    [ "$(body)" = "$3" ] || fail "$1: body $(body), expected $3"
}

echo "checking every server's answers…" >&2
GREET_JSON='{"name":"Ada"}'
ask layer POST /_actions/greet application/json "$GREET_JSON"
expect "layer greet" 200 '["Hello, Ada!"]'
same "greet" layer hand POST /_actions/greet /_actions/greet application/json "$GREET_JSON"
same "greet" layer garde POST /_actions/greet /devalue/greet application/json "$GREET_JSON"
escapes='{"name":"<\"A\\\\d\u2028a\u0001>"}'
same "greet, escapes" layer hand POST /_actions/greet /_actions/greet application/json "$escapes"
ask layer POST /_actions/greet application/json '{"name":""}'
[ "$(status)" = 400 ] || fail "layer greet with an empty name: $(status)"
ask hand POST /_actions/greet application/json '{"name":""}'
[ "$(status)" = 400 ] || fail "hand greet with an empty name: $(status)"

ask layer POST /_actions/subscribe $FORM "$EMAIL"
expect "layer subscribe" 200 '[{"email":1,"subscribed":2},"ada@example.com",true]'
same "subscribe" layer hand POST /_actions/subscribe /_actions/subscribe $FORM "$EMAIL"
same "subscribe" layer garde POST /_actions/subscribe /form/subscribe $FORM "$EMAIL"
for name in layer hand garde; do
    path=/_actions/subscribe
    [ $name = garde ] && path=/form/subscribe
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "content-type: $FORM" \
        -H 'origin: http://evil.test' --data-binary "$EMAIL" "http://127.0.0.1:${port[$name]}$path")
    [ "$code" = 403 ] || fail "$name subscribe from another origin: $code, expected 403"
    ask $name POST $path $FORM 'email=not-an-address'
    [ "$(status)" = 400 ] || fail "$name subscribe with a bad address: $(status), expected 400"
done

same "ping" layer bare GET /ping /ping
ask layer GET /ping
expect "ping" 200 pong

same "page in place" layer hand POST '/?_action=subscribe' '/?_action=subscribe' $FORM "$EMAIL"
[ "$(status)" = 200 ] || fail "page in place: $(status)"
grep -q 'subscribe: data {&quot;email&quot;:&quot;ada@example.com&quot;,&quot;subscribed&quot;:true}' \
    "$work/ans.body" || fail "page in place: no result on the page"
grep -q 'value="ada@example.com"' "$work/ans.body" || fail "page in place: the address is not filled in"
same "page in place, Astro's round trip" layer hand-model POST '/?_action=subscribe' '/?_action=subscribe' $FORM "$EMAIL"
same "page, bad address, Astro's round trip" layer hand-model POST '/?_action=subscribe' '/?_action=subscribe' $FORM 'email=ada'
same "page, bad address" layer hand POST '/?_action=subscribe' '/?_action=subscribe' $FORM 'email=ada'

declare -A cookie
for name in layer-prg hand-prg; do
    ask $name POST '/?_action=subscribe' $FORM "$EMAIL"
    [ "$(status)" = 303 ] || fail "$name PRG POST: $(status), expected 303"
    [ "$(header location)" = / ] || fail "$name PRG POST: location $(header location)"
    cookie[$name]=$(header set-cookie | cut -d';' -f1)
    [ -n "${cookie[$name]}" ] || fail "$name PRG POST: no cookie"
done
same "PRG GET" layer-prg hand-prg GET / / "" "" "${cookie[layer-prg]}" "${cookie[hand-prg]}"
[ "$(status)" = 200 ] || fail "PRG GET: $(status)"
grep -q 'subscribe: data {&quot;email&quot;' "$work/ans.body" || fail "PRG GET: no result on the page"
same "page without a result" layer-prg hand-prg GET / /

if [ "$SERVER_FN" = 1 ]; then
    ask server_fn POST /api/greet application/json "$GREET_JSON"
    expect "server_fn greet" 200 '"Hello, Ada!"'
    ask server_fn POST /api/subscribe $FORM "$EMAIL"
    expect "server_fn subscribe" 200 '{"email":"ada@example.com","subscribed":true}'
fi
echo "every answer checked" >&2

# --- wrk ----------------------------------------------------------------------------------
# lua name method [content-type body [cookie]]: a wrk script for one server
lua() {
    local file="$work/$1-$RANDOM.lua"
    {
        echo "wrk.method = \"$2\""
        if [ -n "${3:-}" ]; then
            echo "wrk.body = '$4'"
            echo "wrk.headers[\"Content-Type\"] = \"$3\""
            echo "wrk.headers[\"Origin\"] = \"http://127.0.0.1:${port[$1]}\""
        fi
        [ -n "${5:-}" ] && echo "wrk.headers[\"Cookie\"] = \"$5\""
        [ -n "$DELAY_MS" ] && echo "delay = function() return $DELAY_MS end"
        cat <<'EOF'
done = function(summary, latency, requests)
    io.write(string.format("RESULT %.1f %.3f %d %d %d %.3f %.3f\n",
        summary.requests / (summary.duration / 1e6),
        latency:percentile(99) / 1000,
        summary.requests,
        summary.errors.status,
        summary.errors.connect + summary.errors.read + summary.errors.write
            + summary.errors.timeout,
        latency:percentile(50) / 1000,
        latency:percentile(90) / 1000))
end
EOF
    } >"$file"
    echo "$file"
}

# series: case server path lua
series=()
add() { series+=("$1 $2 $3 $4"); }
for case in $CASES; do
    case $case in
    greet)
        for s in layer hand garde; do
            p=/_actions/greet
            [ $s = garde ] && p=/devalue/greet
            add greet $s $p "$(lua $s POST application/json "$GREET_JSON")"
        done
        [ "$SERVER_FN" = 1 ] && add greet server_fn /api/greet "$(lua server_fn POST application/json "$GREET_JSON")"
        ;;
    subscribe)
        for s in layer hand garde; do
            p=/_actions/subscribe
            [ $s = garde ] && p=/form/subscribe
            add subscribe $s $p "$(lua $s POST $FORM "$EMAIL")"
        done
        [ "$SERVER_FN" = 1 ] && add subscribe server_fn /api/subscribe "$(lua server_fn POST $FORM "$EMAIL")"
        ;;
    ping)
        add ping layer /ping "$(lua layer GET)"
        add ping bare /ping "$(lua bare GET)"
        ;;
    page)
        add page layer '/?_action=subscribe' "$(lua layer POST $FORM "$EMAIL")"
        add page hand '/?_action=subscribe' "$(lua hand POST $FORM "$EMAIL")"
        add page hand-model '/?_action=subscribe' "$(lua hand-model POST $FORM "$EMAIL")"
        ;;
    prg-post)
        add prg-post layer-prg '/?_action=subscribe' "$(lua layer-prg POST $FORM "$EMAIL")"
        add prg-post hand-prg '/?_action=subscribe' "$(lua hand-prg POST $FORM "$EMAIL")"
        ;;
    prg-get)
        add prg-get layer-prg / "$(lua layer-prg GET "" "" "${cookie[layer-prg]}")"
        add prg-get hand-prg / "$(lua hand-prg GET "" "" "${cookie[hand-prg]}")"
        ;;
    *) fail "unknown case $case (greet subscribe ping page prg-post prg-get)" ;;
    esac
done

secs=${DURATION%s}
counts() { curl -sf "http://127.0.0.1:${stats[$1]}/" || echo "0 0"; } # 0 0: no counters
run() { # round case server path lua
    local before after line
    before=$(counts "$3")
    line=$(timeout $((secs + 30)) "${wrk_cpu[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" \
        -s "$5" "http://127.0.0.1:${port[$3]}$4" | grep '^RESULT') || fail "wrk failed on $3 $4"
    after=$(counts "$3")
    echo "$1 $2 $3 ${line#RESULT } $before $after" >>"$work/results"
    read -r rps p99 requests non2xx errors _ <<<"${line#RESULT }"
    printf '  %-9s %-10s %10s req/s  p99 %7s ms' "$2" "$3" "$rps" "$p99" >&2
    [ "$non2xx$errors" = 00 ] || printf '  (%s non-2xx/3xx, %s socket errors)' "$non2xx" "$errors" >&2
    echo >&2
}

n=${#series[@]}
pinned=""
[ "$PIN" = 1 ] && pinned=" (pinned: servers on core 1 with one tokio worker, wrk on core 0)"
[ -n "$DELAY_MS" ] && pinned+=" (each connection waits $DELAY_MS ms between requests: equal load)"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION$pinned, $ROUNDS rounds of $n runs, alternating; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for entry in "${series[@]}"; do # warm every server on its case, unrecorded
    read -r case s p l <<<"$entry"
    timeout 60 "${wrk_cpu[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$l" "http://127.0.0.1:${port[$s]}$p" >/dev/null
done
for round in $(seq "$ROUNDS"); do
    echo "round $round" >&2
    if [ $((round % 2)) = 1 ]; then order=$(seq 0 $((n - 1))); else order=$(seq $((n - 1)) -1 0); fi
    for i in $order; do
        read -r case s p l <<<"${series[$i]}"
        run "$round" "$case" "$s" "$p" "$l"
    done
done

python3 - "$work/results" <<'EOF'
import statistics, sys
rows = {}
p99_of = {}  # (case, server) -> {round: p99}
for line in open(sys.argv[1]):
    f = line.split()
    (rnd, case, server), (rps, p99, requests, non2xx, errors, p50, p90), (a0, b0, a1, b1) = f[:3], f[3:10], f[10:14]
    p99_of.setdefault((case, server), {})[rnd] = float(p99)
    r = rows.setdefault((case, server), {"rps": [], "p50": [], "p90": [], "p99": [], "bytes": [], "allocs": [], "bad": 0, "requests": 0})
    r["rps"].append(float(rps)); r["p99"].append(float(p99))
    r["p50"].append(float(p50)); r["p90"].append(float(p90))
    n = max(int(requests), 1)
    r["bytes"].append((int(b1) - int(b0)) / n); r["allocs"].append((int(a1) - int(a0)) / n)
    r["bad"] += int(non2xx) + int(errors); r["requests"] += int(requests)
med = {k: {m: statistics.median(v[m]) for m in ("rps", "p50", "p90", "p99", "bytes", "allocs")} for k, v in rows.items()}
names = {"greet": "RPC JSON `greet`", "subscribe": "RPC form `subscribe`", "ping": "pass-through `GET /ping`",
         "page": "form on a page, in place", "prg-post": "PRG: the POST (303 + cookie)", "prg-get": "PRG: the GET (cookie → page)"}
hand = {"greet": "hand", "subscribe": "hand", "ping": "bare", "page": "hand", "prg-post": "hand-prg", "prg-get": "hand-prg"}
layer = {"prg-post": "layer-prg", "prg-get": "layer-prg"}
def per_round_p99(case, a, b):
    # The two servers' runs of one round are close in time (the servers of a case run one
    # after the other): the median of the rounds' p99 ratios leaves out the machine's drift
    # between rounds.
    x, y = p99_of[(case, a)], p99_of[(case, b)]
    ratios = [x[r] / y[r] for r in x if r in y]
    return statistics.median(ratios) if ratios else float("nan")
def ratio(case, a, b):
    if (case, a) not in med or (case, b) not in med:
        return "–"
    x, y = med[(case, a)], med[(case, b)]
    return "**%.3fx** p99 %.2fx (per round %.2fx), %.0f B vs %.0f B (%.2fx)" % (
        x["rps"] / y["rps"], x["p99"] / y["p99"], per_round_p99(case, a, b), x["bytes"], y["bytes"], x["bytes"] / y["bytes"] if y["bytes"] else float("nan"))
cases = [c for c in names if any(k[0] == c for k in med)]
print()
print("Throughput ratio (medians of req/s), p99 ratio (of the medians; per round: the median of each")
print("round's ratio), bytes allocated per request (first / second):")
print()
print("| case | layer / hand-written axum | layer / garde+devalue | server_fn / hand-written |")
print("|---|---|---|---|")
for c in cases:
    l = layer.get(c, "layer")
    print("| %s | %s | %s | %s |" % (names[c], ratio(c, l, hand[c]), ratio(c, l, "garde"), ratio(c, "server_fn", hand[c])))
    if (c, "hand-model") in med:
        print("| %s, against the hand-written page keeping Astro's round trip | %s | – | – |" % (names[c], ratio(c, l, "hand-model")))
print()
print("| case | server | median req/s | median p50 / p90 / p99 ms | allocations/req | bytes/req | runs (req/s) | runs (p99 ms) |")
print("|---|---|---|---|---|---|---|---|")
for (c, s), v in sorted(rows.items(), key=lambda kv: (cases.index(kv[0][0]), kv[0][1])):
    m = med[(c, s)]
    print("| %s | %s | %.0f | %.2f / %.2f / %.2f | %.1f | %.0f | %s | %s |" % (c, s, m["rps"], m["p50"], m["p90"], m["p99"], m["allocs"], m["bytes"], " ".join("%.0f" % x for x in v["rps"]), " ".join("%.2f" % x for x in v["p99"])))
bad = [(k, v["bad"], v["requests"]) for k, v in rows.items() if v["bad"]]
print()
if bad:
    for (c, s), b, n in bad:
        print("WARNING: %s on %s: %d of %d requests were errors or answered 4xx/5xx" % (s, c, b, n))
else:
    print("no wrk errors, no 4xx/5xx answers")
EOF
