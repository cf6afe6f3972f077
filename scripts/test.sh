#!/usr/bin/env bash
# Everything CI checks, in order, stopping at the first failing stage (`.ci/run` runs exactly
# this, with no arguments): setup, formatting, the engine's independence from the web, native
# tests, lints, benchmarks in quick mode, the CLI end to end, the release bundle, end-to-end tests
# in headless Chromium against that bundle served on 127.0.0.1, and the bundle's size.
#
#   scripts/test.sh                 every stage
#   scripts/test.sh cli e2e         setup, then only the named stages (e2e needs a built dist/)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

STAGES=(setup fmt engine-deps cargo-test clippy bench cli fuzz wasm-build e2e perf size)
LOGS="$HOPSCOPE_ROOT/target/test-logs"
# Chromium leaves org.chromium.Chromium.* folders in TMPDIR: give it one of its own.
E2E_TMP="$HOPSCOPE_ROOT/target/e2e-tmp"

# ---------------------------------------------------------------------------------------------
# The stages.

stage_setup() {
    bash scripts/setup.sh
}

stage_fmt() {
    cargo fmt --all -- --check
    # The fuzz crate is its own workspace (cargo-fuzz's layout): `--all` does not reach it.
    cargo fmt --manifest-path fuzz/Cargo.toml -- --check
}

stage_engine_deps() {
    local tree offenders
    tree=$(cargo tree -p hopscope-sim -e normal --prefix none --target all)
    offenders=$(grep -E '^(yew|web-sys|js-sys|gloo|wasm-bindgen|getrandom)([-_][a-z0-9_-]+)? v' <<<"$tree" | sort -u || true)
    if [ -n "$offenders" ]; then
        echo "hopscope-sim depends on web crates (it must build and run natively without them):"
        echo "$offenders"
        echo "see: cargo tree -p hopscope-sim -e normal --target all -i <crate>"
        return 1
    fi
    echo "ok: $(sort -u <<<"$tree" | wc -l) crates in hopscope-sim's normal dependency tree, none of them web crates"
}

stage_cargo_test() {
    cargo test --workspace --no-fail-fast 2>&1 | tee "$LOGS/cargo-test.log" ||
        { count_cargo "$LOGS/cargo-test.log"; return 1; }
    count_cargo "$LOGS/cargo-test.log"
}

stage_clippy() {
    cargo clippy --workspace --all-targets -- -D warnings
}

# Quick mode: criterion runs each benchmark once, to prove it still runs; no timing. `--bench '*'`
# builds only the [[bench]] targets (`--benches` would also build the lib's unit tests in the
# optimised bench profile, minutes for nothing).
stage_bench() {
    cargo bench -p hopscope-sim --bench '*' -- --test
}

stage_cli() {
    cargo build --release -p hopscope-sim --bin hopscope
    HOPSCOPE_BIN="$HOPSCOPE_ROOT/target/release/hopscope" node_test "$LOGS/cli.tap" tests/cli/
}

# Quick mode: every fuzz target for 5 s (scripts/fuzz.sh; its own target dir, target/fuzz).
# Each target that ran clean counts as a passed test.
stage_fuzz() {
    bash scripts/fuzz.sh 2>&1 | tee "$LOGS/fuzz.log"
    PASSED=$((PASSED + $(grep -c '^ok ' "$LOGS/fuzz.log" || true)))
}

stage_wasm_build() {
    trunk_release
}

stage_e2e() {
    [ -f dist/index.html ] || { echo "no dist/index.html: run the wasm-build stage first"; return 1; }
    rm -rf "$E2E_TMP" tests/e2e/artifacts
    mkdir -p "$E2E_TMP"
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    python3 -m http.server "$port" --bind 127.0.0.1 --directory dist >"$LOGS/http.log" 2>&1 &
    SERVER_PID=$!
    local _
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
        kill -0 "$SERVER_PID" 2>/dev/null || { echo "the static server died:"; cat "$LOGS/http.log"; return 1; }
        sleep 0.1
    done
    echo "serving dist/ at http://127.0.0.1:$port/"
    cd tests/e2e
    # soak.test.mjs runs only with SOAK_SECONDS: a short soak here (set it to soak for longer).
    SOAK_SECONDS="${SOAK_SECONDS:-20}" SOAK_PER_BLOCK_S="${SOAK_PER_BLOCK_S:-4}" \
        BASE_URL="http://127.0.0.1:$port" TMPDIR="$E2E_TMP" node_test "$LOGS/e2e.tap"
    cd "$HOPSCOPE_ROOT"
    echo "screenshots: tests/e2e/artifacts/"
    stop_server
}

# Quick mode of every performance harness (bench/run-all.sh --quick): wasm vs native, the SimPy
# peer comparison, bundle size and first render, animation frame times. Proves they run; the
# figures it prints are not asserted.
stage_perf() {
    [ -f dist/index.html ] || { echo "no dist/index.html: run the wasm-build stage first"; return 1; }
    bash bench/run-all.sh --quick
}

stage_size() {
    # Two bundles, both fetched when the page starts: the page, and the engine (the worker's, also
    # instantiated on the main thread to answer the page's input checks: static/boot.js).
    # Figures only: the budgets are reported in the notes.
    local wasm raw gz total_gz=0 f role
    for wasm in dist/*.wasm; do
        raw=$(wc -c <"$wasm")
        gz=$(gzip -9 -c "$wasm" | wc -c)
        case "$wasm" in *engine*) role="engine" ;; *) role="page" ;; esac
        printf '%s (%s): %d bytes raw (%d KiB), %d bytes gzip -9 (%d KiB)\n' \
            "$wasm" "$role" "$raw" $((raw / 1024)) "$gz" $((gz / 1024))
    done
    while IFS= read -r -d '' f; do total_gz=$((total_gz + $(gzip -9 -c "$f" | wc -c))); done \
        < <(find dist -type f -print0)
    echo "whole dist/: $total_gz bytes gzip -9 ($((total_gz / 1024)) KiB)"
}

# ---------------------------------------------------------------------------------------------
# Plumbing: banners, timings, test counts, cleanup.

PASSED=0
FAILED=0
SERVER_PID=""
CURRENT=""
TIMINGS=()
RUN_START=$SECONDS

# node --test with a readable report on stdout and a TAP copy to count from.
node_test() {
    local tap="$1"
    shift
    local rc=0
    node --test --test-reporter=spec --test-reporter-destination=stdout \
        --test-reporter=tap --test-reporter-destination="$tap" "$@" || rc=$?
    count_tap "$tap"
    return "$rc"
}

# Adds the counts of a cargo test log ("test result: ok. N passed; M failed; ...").
count_cargo() {
    local p f
    read -r p f < <(awk '/^test result: /{
        for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i }
    } END { print p + 0, f + 0 }' "$1")
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
}

# Adds the counts of a node --test TAP file ("# pass N", "# fail N").
count_tap() {
    [ -f "$1" ] || return 0
    local p f
    p=$(awk '/^# pass /{print $3}' "$1" | tail -n1)
    f=$(awk '/^# fail /{print $3}' "$1" | tail -n1)
    PASSED=$((PASSED + ${p:-0}))
    FAILED=$((FAILED + ${f:-0}))
}

stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}

on_exit() {
    local rc=$?
    stop_server
    rm -rf "$E2E_TMP"
    if [ -n "$CURRENT" ] && [ -n "${start:-}" ]; then
        TIMINGS+=("$(printf '%-12s %5d s  (failed)' "$CURRENT" $((SECONDS - start)))")
    fi
    echo
    echo "---- stage timings ----"
    [ "${#TIMINGS[@]}" -eq 0 ] || printf '%s\n' "${TIMINGS[@]}"
    printf '%-12s %5d s\n' total $((SECONDS - RUN_START))
    echo
    if [ "$rc" -ne 0 ]; then
        echo "######## FAILED in stage '${CURRENT:-?}' (exit $rc) ########"
        [ "$FAILED" -gt 0 ] || FAILED=1
    else
        echo "######## all stages passed ########"
    fi
    echo "summary: $PASSED passed, $FAILED failed"
    exit "$rc"
}
trap on_exit EXIT

selected=("$@")
for name in "${selected[@]}"; do
    printf '%s\n' "${STAGES[@]}" | grep -qx -- "$name" ||
        { echo "unknown stage '$name'; stages: ${STAGES[*]}" >&2; exit 2; }
done

mkdir -p "$LOGS"
n=${#STAGES[@]}
for i in "${!STAGES[@]}"; do
    CURRENT="${STAGES[$i]}"
    if [ "${#selected[@]}" -gt 0 ] && [ "$CURRENT" != setup ] &&
        ! printf '%s\n' "${selected[@]}" | grep -qx -- "$CURRENT"; then
        continue
    fi
    echo
    say "[$((i + 1))/$n] $CURRENT"
    start=$SECONDS
    "stage_${CURRENT//-/_}"
    TIMINGS+=("$(printf '%-12s %5d s' "$CURRENT" $((SECONDS - start)))")
done
CURRENT=""
