#!/usr/bin/env bash
# Every performance figure of docs/performance.md, in one command (issue 8):
#   1. engine benchmarks, natively (criterion)          cargo bench -p hopscope-sim --bench '*'
#   2. the same cases in WebAssembly vs native           bench/browser/run.mjs
#   3. the peer comparison with SimPy                     bench/peer/run.sh
#   4. bundle size and time to first render               bench/browser/load.mjs
#   5. frame times at 100 and 1,000 messages in flight    bench/browser/frames.mjs
#   6. long tasks of the page's mount around a run      bench/browser/mount.mjs
#
#   bench/run-all.sh            the figures (builds the release bundle first; ~15 minutes)
#   bench/run-all.sh --quick    each harness once, on small inputs, to prove it works (CI: the
#                               `perf` stage of scripts/test.sh; uses the dist/ already built)
#
# Tables go to stdout, JSON to $BENCH_OUT (default target/bench-results). No timing is asserted.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"

quick=""
case "${1:-}" in
    "") ;;
    --quick) quick=--quick ;;
    *) echo "usage: bench/run-all.sh [--quick]" >&2; exit 2 ;;
esac
out=${BENCH_OUT:-$HOPSCOPE_ROOT/target/bench-results}
mkdir -p "$out"
# Chromium leaves org.chromium.Chromium.* folders in TMPDIR: give it one of its own.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export TMPDIR=$scratch

if [ -z "$quick" ]; then
    say "engine benchmarks (criterion)"
    cargo bench -p hopscope-sim --bench '*'
fi

say "wasm vs native"
cargo build --quiet --release -p hopscope-sim --example bench_cases
bench/wasm/build.sh
node bench/browser/run.mjs $quick --json "$out/wasm-native.json"

say "peer comparison (SimPy)"
bench/peer/run.sh $quick

say "release bundle: size and first render"
if [ -z "$quick" ]; then
    trunk_release
fi
dist=${DIST:-dist}
[ -f "$dist/index.html" ] || { echo "no $dist/index.html: run scripts/test.sh wasm-build (or trunk_release from scripts/env.sh) first" >&2; exit 1; }
node bench/browser/load.mjs $quick --dist "$dist" --json "$out/load.json"

say "animation frame times"
node bench/browser/frames.mjs $quick --dist "$dist" ${quick:---profile} --json "$out/frames.json"

say "long tasks of the page's mount (3, 20, 100 backends)"
node bench/browser/mount.mjs $quick --dist "$dist" --json "$out/mount.json"
