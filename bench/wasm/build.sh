#!/usr/bin/env bash
# Builds the benchmark cases for wasm32 (engine at opt-level 3, as the worker bundle will be) and
# binds them for the browser with the local wasm-bindgen CLI: bench/wasm/pkg/ (git-ignored).
# CARGO_TARGET_DIR is honoured (default: bench/wasm/target).
set -euo pipefail
source "$(dirname "$0")/../../scripts/env.sh"
cd bench/wasm
target=${CARGO_TARGET_DIR:-$PWD/target}
cargo build --quiet --release --target wasm32-unknown-unknown --manifest-path Cargo.toml --target-dir "$target"
wasm-bindgen --target web --no-typescript --out-dir pkg \
    "$target/wasm32-unknown-unknown/release/hopscope_bench_wasm.wasm"
echo "bench/wasm/pkg: $(wc -c < pkg/hopscope_bench_wasm_bg.wasm) bytes of wasm"
