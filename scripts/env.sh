# Sourced by the other scripts: puts the project's tools first on PATH and moves to the repo root.
# shellcheck shell=bash

HOPSCOPE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HOPSCOPE_ROOT"

# rustup's cargo bin folder may not be on PATH in a non-login shell (CI).
if [ -d "$HOME/.cargo/bin" ]; then
    case ":$PATH:" in *":$HOME/.cargo/bin:"*) ;; *) PATH="$HOME/.cargo/bin:$PATH" ;; esac
fi
# npm's binaryen (wasm-opt 132) must win over any older wasm-opt elsewhere on PATH:
# Debian's binaryen 108 and the wasm-opt crate's 116 reject current Rust wasm output.
PATH="$HOPSCOPE_ROOT/.tools/node_modules/.bin:$PATH"
export PATH

# The version of wasm-bindgen that Cargo.lock pins; the CLI must match it exactly.
wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$HOPSCOPE_ROOT/Cargo.lock"
}

TRUNK_VERSION="0.22.1"

# The release bundles are built with a pinned nightly that rebuilds the standard library with
# the bundles, optimised for size (`-Z build-std`, std's `optimize_for_size`), and without panic
# locations: the page's wasm is ~39 KB of gzip smaller than with stable's precompiled std
# (docs/performance.md, "Load"). The page's bundle (profile `web-release`) also panics with
# `immediate-abort`: a panic is a bare trap, without the message machinery at every panic site
# (16 KB of gzip); static/crash.js shows the crash panel from the trap. The engine's bundle
# (profile `release`) keeps its panic messages. Everything else (tests, CLI, benchmarks,
# `trunk serve`) uses the stable toolchain; so does a plain `trunk build`.
WEB_TOOLCHAIN="nightly-2026-05-20"
trunk_release() {
    RUSTUP_TOOLCHAIN="$WEB_TOOLCHAIN" \
        CARGO_UNSTABLE_BUILD_STD="std,panic_abort" \
        CARGO_UNSTABLE_BUILD_STD_FEATURES="optimize_for_size" \
        CARGO_UNSTABLE_PANIC_IMMEDIATE_ABORT=true \
        CARGO_PROFILE_WEB_RELEASE_PANIC=immediate-abort \
        CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zlocation-detail=none" \
        trunk build --release "$@"
}
BINARYEN_VERSION="132"

if [ -t 1 ]; then
    say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
else
    say() { printf '==> %s\n' "$*"; }
fi
