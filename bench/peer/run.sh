#!/usr/bin/env bash
# The peer comparison of issue 8: the same M/M/c scenario in SimPy and in Hopscope's engine, on
# this machine, one after the other. Prints a table (events/s of each, their ratio, customers/s)
# and checks that both means agree with each other and with the M/M/c formula within their 95 %
# confidence intervals. Hopscope runs summary-only (no event log, narration or series: what SimPy
# keeps is a latency list); a second Hopscope row keeps the whole record, for reference.
# Usage: [PEER_MMC=path] bench/peer/run.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/../.."
quick=${1:-}
venv=.tools/peer-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import simpy' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet 'simpy==4.1.1'
fi
# PEER_MMC=path runs another build of the Hopscope side (an older commit's, for a before/after).
peer=${PEER_MMC:-}
if [ -z "$peer" ]; then
  cargo build --quiet --release -p hopscope-sim --example peer_mmc
  peer="${CARGO_TARGET_DIR:-target}/release/examples/peer_mmc"
fi
if [ "$quick" = "--quick" ]; then
  size=(--customers 5000 --reps 3)
else
  # Each side measured three times, the fastest counting (the results are the same each time).
  size=(--customers 50000 --reps 10 --repeat 3)
fi
common=(--servers 4 --rate 80 --service-ms 40 "${size[@]}")
out=$(mktemp -d)
for mode in shared random; do
  "$venv/bin/python" bench/peer/mmc_simpy.py --mode "$mode" "${common[@]}" > "$out/simpy-$mode.json"
  "$peer" --mode "$mode" "${common[@]}" > "$out/hopscope-$mode.json"
  # For reference: the same runs keeping the whole record (event log, narration, series).
  "$peer" --mode "$mode" --detail full "${common[@]}" > "$out/hopscope-full-$mode.json"
done
python3 bench/peer/compare.py "$out" ${quick:+--quick}
