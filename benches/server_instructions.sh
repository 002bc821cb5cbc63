#!/usr/bin/env bash
# End to end over HTTP, counted instead of timed: each server of benches/baseline runs under
# valgrind's callgrind (one tokio worker), a client sends N requests one after another on one
# keep-alive connection, and the server's instructions per request are read from callgrind's
# dump (the server process only: hyper, axum, the layer or the handler, the allocator; not
# the kernel). Counting starts after a warm-up of the same requests, so start-up is left out.
#
# Deterministic where wrk on a small shared machine moves by +-10 %: a change that moves a
# request's work by 1 % shows here, run after run. It is not a throughput figure (no syscalls,
# no cache misses, one connection); benches/load.sh is.
#
#   benches/server_instructions.sh                    # every case, 2,000 requests each
#   CASES="page greet" N=1000 benches/server_instructions.sh
#   SERVER_FN=1 benches/server_instructions.sh        # also Leptos server_fn (greet, subscribe)
#   KEEP=1 benches/server_instructions.sh             # keep callgrind's files (callgrind_annotate)
#   SERVERS_BIN=/path/to/baseline-… benches/server_instructions.sh   # servers of another commit
#
# Cases: greet subscribe ping page prg-post prg-get. Needs valgrind, curl and python3 (Debian:
# `apt-get update && apt-get install -y valgrind`).
set -euo pipefail

N=${N:-2000}
WARM=${WARM:-200}
CASES=${CASES:-greet subscribe ping page prg-post prg-get}
SERVER_FN=${SERVER_FN:-0}
PORT_BASE=${PORT_BASE:-4480}
KEEP=${KEEP:-0}

for tool in valgrind callgrind_control callgrind_annotate curl python3; do
    command -v "$tool" >/dev/null || {
        echo "server_instructions.sh: $tool is not installed (apt-get install valgrind curl python3)" >&2
        exit 1
    }
done

cd "$(dirname "$0")/.."
work=$(mktemp -d)
cleanup() {
    wait 2>/dev/null || true
    [ "$KEEP" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() {
    echo "server_instructions.sh: $*" >&2
    exit 1
}

target=${CARGO_TARGET_DIR:-$(pwd)/target}
source benches/support/servers.sh
build_servers

# The client: `client.py port case count path`. Sends `count` requests of `case` to `path` on
# one keep-alive connection and checks each answer's status (and that a page shows the result).
cat >"$work/client.py" <<'EOF'
import http.client, sys

port, case, count, path = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
form = {"content-type": "application/x-www-form-urlencoded", "origin": f"http://127.0.0.1:{port}"}
email = b"email=ada%40example.com"
conn = http.client.HTTPConnection("127.0.0.1", port)


def send(method, headers=None, body=None, to=None):
    conn.request(method, to or path, body=body, headers=headers or {})
    answer = conn.getresponse()
    return answer.status, answer.getheader("set-cookie"), answer.read()


headers, body, method, expect = {}, None, "POST", 200
if case == "greet":
    headers, body = {"content-type": "application/json"}, b'{"name":"Ada"}'
elif case in ("subscribe", "page", "prg-post"):
    headers, body = form, email
    expect = 303 if case == "prg-post" else 200
elif case == "ping":
    method = "GET"
elif case == "prg-get":
    status, set_cookie, _ = send("POST", form, email, "/?_action=subscribe")
    assert status == 303 and set_cookie, (status, set_cookie)
    method, headers = "GET", {"cookie": set_cookie.split(";")[0]}
for _ in range(count):
    status, _, text = send(method, headers, body)
    assert status == expect, (case, status, text[:200])
    if case in ("page", "prg-get"):
        assert b"subscribe: data {&quot;email&quot;" in text, text[:400]
EOF

# count name case path port: runs server `name` under callgrind, warms it up, counts N requests,
# prints the instructions per request. Runs in a subshell (`$(count …)`): its own trap stops
# the server however it ends.
count() {
    local name=$1 case=$2 path=$3 port=$4 exe=("$baseline" --serve "$1")
    [ "$name" = server_fn ] && exe=("$server_fn")
    local out="$work/callgrind.$case.$name"
    PORT=$port TOKIO_WORKER_THREADS=1 valgrind --tool=callgrind --instr-atstart=no \
        --callgrind-out-file="$out.%p" "${exe[@]}" >"$work/$name.log" 2>&1 &
    vpid=$!
    trap 'kill "$vpid" 2>/dev/null || true' EXIT
    for _ in $(seq 300); do
        kill -0 "$vpid" 2>/dev/null || fail "$name did not start: $(cat "$work/$name.log")"
        curl -s -o /dev/null "http://127.0.0.1:$port/ping" && break
        sleep 0.2
    done
    python3 "$work/client.py" "$port" "$case" "$WARM" "$path" >&2 || fail "$name $case: wrong answer"
    callgrind_control -i on "$vpid" >/dev/null 2>&1 || fail "$name: callgrind_control -i on failed"
    python3 "$work/client.py" "$port" "$case" "$N" "$path" >&2 || fail "$name $case: wrong answer"
    callgrind_control -d "$vpid" >/dev/null 2>&1 || fail "$name: callgrind_control -d failed"
    kill "$vpid"
    wait "$vpid" 2>/dev/null || true
    local dump total
    dump=$(ls "$out".*.1 2>/dev/null | head -1)
    [ -n "$dump" ] || fail "$name $case: no callgrind dump"
    total=$(sed -n 's/^totals: *//p' "$dump" | head -1)
    [ -n "$total" ] && [ "$total" -gt 0 ] || fail "$name $case: no total in $dump"
    echo $((total / N))
}

echo "server instructions per request (callgrind, one tokio worker, $N requests on one connection after $WARM)"
echo
echo "| case | baseline | baseline's | layer's | layer / baseline |"
echo "|---|---|---|---|---|"
port=$PORT_BASE
for case in $CASES; do
    case $case in
    greet) pairs=("layer /_actions/greet" "hand /_actions/greet") ;;
    subscribe) pairs=("layer /_actions/subscribe" "hand /_actions/subscribe") ;;
    ping) pairs=("layer /ping" "bare /ping") ;;
    page) pairs=("layer /?_action=subscribe" "hand /?_action=subscribe" "hand-model /?_action=subscribe") ;;
    prg-post) pairs=("layer-prg /?_action=subscribe" "hand-prg /?_action=subscribe") ;;
    prg-get) pairs=("layer-prg /" "hand-prg /") ;;
    *) fail "unknown case $case (greet subscribe ping page prg-post prg-get)" ;;
    esac
    if [ "$SERVER_FN" = 1 ] && [[ $case == greet || $case == subscribe ]]; then
        pairs+=("server_fn /api/$case")
    fi
    read -r layer_name layer_path <<<"${pairs[0]}"
    # Each server on a port of its own (counted here: `count` runs in a subshell).
    layer=$(count "$layer_name" "$case" "$layer_path" "$port")
    port=$((port + 1))
    for pair in "${pairs[@]:1}"; do
        read -r name path <<<"$pair"
        other=$(count "$name" "$case" "$path" "$port")
        port=$((port + 1))
        ratio=$(python3 -c "print(f'{$layer / $other:.3f}x')")
        echo "| $case | $name | $other | $layer | $ratio |"
    done
done
if [ "$KEEP" = 1 ]; then echo "callgrind's files: $work" >&2; fi
