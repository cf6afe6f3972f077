#!/usr/bin/env bash
# Everything CI checks, in order, stopping at the first failure (`.ci/run` runs exactly this):
# setup, formatting, the engine's independence from the web, native tests, lints, benchmarks in
# quick mode, the CLI end to end, the release bundle, end-to-end tests in headless Chromium
# against that bundle served on 127.0.0.1, and the bundle's size.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

LOGS="$HOPSCOPE_ROOT/target/test-logs"
mkdir -p "$LOGS"
# Chromium leaves org.chromium.Chromium.* folders in TMPDIR: give it one of its own.
E2E_TMP="$HOPSCOPE_ROOT/target/e2e-tmp"

STAGES=(setup fmt engine-deps cargo-test clippy bench cli wasm-build e2e size)
CURRENT=""
STAGE_START=$SECONDS
RUN_START=$SECONDS
TIMINGS=()
PASSED=0
FAILED=0
SERVER_PID=""

stage() {
    end_stage
    CURRENT="$1"
    STAGE_START=$SECONDS
    local i n=${#STAGES[@]}
    for i in "${!STAGES[@]}"; do [ "${STAGES[$i]}" = "$1" ] && break; done
    echo
    say "[$((i + 1))/$n] $1: $2"
}
end_stage() {
    if [ -n "$CURRENT" ]; then
        TIMINGS+=("$(printf '%-12s %5d s' "$CURRENT" $((SECONDS - STAGE_START)))")
        CURRENT=""
    fi
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

on_exit() {
    local rc=$?
    local failed_stage="$CURRENT"
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$E2E_TMP"
    end_stage
    echo
    echo "---- stage timings ----"
    printf '%s\n' "${TIMINGS[@]}"
    printf '%-12s %5d s\n' total $((SECONDS - RUN_START))
    if [ "$rc" -ne 0 ]; then
        echo
        echo "######## FAILED in stage '$failed_stage' (exit $rc) ########"
        [ "$FAILED" -gt 0 ] || FAILED=1
    else
        echo
        echo "######## all stages passed ########"
    fi
    echo "summary: $PASSED passed, $FAILED failed"
    exit "$rc"
}
trap on_exit EXIT

# ---------------------------------------------------------------------------------------------
stage setup "install what is missing"
bash scripts/setup.sh

stage fmt "cargo fmt --all -- --check"
cargo fmt --all -- --check

stage engine-deps "hopscope-sim must not depend on the web"
tree=$(cargo tree -p hopscope-sim -e normal --prefix none --target all)
offenders=$(grep -E '^(yew|web-sys|js-sys|gloo|wasm-bindgen|getrandom)([-_][a-z0-9_-]+)? v' <<<"$tree" | sort -u || true)
if [ -n "$offenders" ]; then
    echo "hopscope-sim depends on web crates (it must build and run natively without them):"
    echo "$offenders"
    echo "see: cargo tree -p hopscope-sim -e normal --target all -i <crate>"
    exit 1
fi
echo "ok: $(sort -u <<<"$tree" | wc -l) crates in hopscope-sim's normal dependency tree, none of them web crates"

stage cargo-test "cargo test --workspace"
cargo test --workspace 2>&1 | tee "$LOGS/cargo-test.log"
count_cargo "$LOGS/cargo-test.log"

stage clippy "cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

stage bench "cargo bench -p hopscope-sim --benches -- --test (quick mode: each benchmark runs once)"
cargo bench -p hopscope-sim --benches -- --test

stage cli "the hopscope binary end to end"
cargo build --release -p hopscope-sim --bin hopscope
HOPSCOPE_BIN="$HOPSCOPE_ROOT/target/release/hopscope" \
    node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$LOGS/cli.tap" tests/cli/ ||
    { count_tap "$LOGS/cli.tap"; exit 1; }
count_tap "$LOGS/cli.tap"

stage wasm-build "trunk build --release"
trunk build --release

stage e2e "end-to-end tests in headless Chromium against dist/"
rm -rf "$E2E_TMP" tests/e2e/artifacts
mkdir -p "$E2E_TMP"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist >"$LOGS/http.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "the static server died:"; cat "$LOGS/http.log"; exit 1; }
    sleep 0.1
done
echo "serving dist/ at http://127.0.0.1:$PORT/"
(cd tests/e2e && BASE_URL="http://127.0.0.1:$PORT" TMPDIR="$E2E_TMP" \
    node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$LOGS/e2e.tap") ||
    { count_tap "$LOGS/e2e.tap"; echo "screenshots, if any: tests/e2e/artifacts/"; exit 1; }
count_tap "$LOGS/e2e.tap"
echo "screenshots: tests/e2e/artifacts/"

stage size "release .wasm size"
for wasm in dist/*.wasm; do
    raw=$(wc -c <"$wasm")
    gz=$(gzip -9 -c "$wasm" | wc -c)
    printf '%s: %d bytes raw (%d KiB), %d bytes gzip -9 (%d KiB; budget 400 KB)\n' \
        "$wasm" "$raw" $((raw / 1024)) "$gz" $((gz / 1024))
done
total_gz=0
while IFS= read -r -d '' f; do total_gz=$((total_gz + $(gzip -9 -c "$f" | wc -c))); done < <(find dist -type f -print0)
echo "whole dist/: $total_gz bytes gzip -9 ($((total_gz / 1024)) KiB)"
