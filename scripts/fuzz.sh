#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ (cargo-fuzz, libFuzzer) for SECONDS each, and fails on the
# first crash, hang (an input taking over 10 s) or out-of-memory (over 2 GB).
#
#   scripts/fuzz.sh              quick mode: 5 s a target (the `fuzz` stage of scripts/test.sh)
#   scripts/fuzz.sh 600          10 minutes a target
#   scripts/fuzz.sh 600 zone     only the named targets
#
# cargo-fuzz passes -Z flags to rustc: RUSTC_BOOTSTRAP=1 lets the stable toolchain take them.
# Builds go to target/fuzz (not the main build's target/). The committed seed corpus in
# fuzz/corpus/<target>/ is read, never written: new inputs go to target/fuzz/corpus/<target>/.
# A crashing input is saved in fuzz/artifacts/<target>/ (git-ignored); replay it with
#   target/fuzz/x86_64-unknown-linux-gnu/release/<target> fuzz/artifacts/<target>/<file>
# No address sanitizer: the code is safe Rust (no `unsafe`), so it would only slow the runs;
# overflow checks and debug assertions stay on.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

each="${1:-5}"
shift || true
case "$each" in '' | *[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, got '$each'" >&2; exit 2 ;; esac

export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="$HOPSCOPE_ROOT/target/fuzz"
command -v cargo-fuzz >/dev/null || { echo "fuzz.sh: cargo-fuzz is missing: run scripts/setup.sh" >&2; exit 1; }

cd fuzz
mapfile -t targets < <(cargo fuzz list)
if [ "$#" -gt 0 ]; then
    for t in "$@"; do
        printf '%s\n' "${targets[@]}" | grep -qx -- "$t" ||
            { echo "fuzz.sh: unknown target '$t'; targets: ${targets[*]}" >&2; exit 2; }
    done
    targets=("$@")
fi

say "cargo fuzz build (${#targets[@]} targets)"
cargo fuzz build --sanitizer none
bin_dir="$CARGO_TARGET_DIR/x86_64-unknown-linux-gnu/release"

for t in "${targets[@]}"; do
    work="$CARGO_TARGET_DIR/corpus/$t"
    mkdir -p "$work" "artifacts/$t"
    say "fuzz $t for ${each}s"
    log="$CARGO_TARGET_DIR/$t.log"
    rc=0
    # The built binary itself: `cargo fuzz run` would rebuild first (minutes when the working
    # tree changed), and the build above is what is fuzzed.
    "$bin_dir/$t" "$work" "corpus/$t" -artifact_prefix="artifacts/$t/" \
        -max_total_time="$each" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        >"$log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
        tail -n 60 "$log"
        echo "fuzz.sh: target '$t' failed (exit $rc); the input is in fuzz/artifacts/$t/, the log in $log" >&2
        exit 1
    fi
    execs=$(awk '/stat::number_of_executed_units:/{print $2}' "$log" | tail -n1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n1 || true)
    printf 'ok   %-16s %6s runs in %ss, %s, corpus %s inputs\n' "$t" "${execs:-?}" "$each" \
        "${cov:-cov: ?}" "$(find "$work" "corpus/$t" -type f | wc -l)"
done
