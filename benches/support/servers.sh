# Sourced by benches/load.sh and benches/server_instructions.sh: builds the bench servers.
# Needs `$work` (a scratch directory), `$target` (the cargo target directory), `$SERVER_FN`
# and a `fail` function; sets `baseline` (the layer, hand-written and garde servers: one bench
# target, benches/baseline/; `$SERVERS_BIN` names one built elsewhere, from another commit)
# and, with `SERVER_FN=1`, `server_fn` (Leptos server_fn, a project of its own).
build_servers() {
    echo "building the servers (release)…" >&2
    if [ -n "${SERVERS_BIN:-}" ]; then
        baseline=$SERVERS_BIN
    else
        # `|| true`: a failed build must reach the check below, which shows its log.
        baseline=$(cargo bench --bench baseline --no-run 2>&1 | tee "$work/build.log" |
            sed -n 's/.*Executable .*(\(.*\))$/\1/p') || true
    fi
    [ -x "$baseline" ] || { cat "$work/build.log" >&2; fail "the bench servers did not build"; }
    if [ "$SERVER_FN" = 1 ]; then
        CARGO_TARGET_DIR="$target/server_fn" cargo build --release --locked -q \
            --manifest-path benches/server_fn/Cargo.toml || fail "the server_fn server did not build"
        server_fn="$target/server_fn/release/server-fn-bench"
    fi
}
