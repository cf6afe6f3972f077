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
BINARYEN_VERSION="132"

if [ -t 1 ]; then
    say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
else
    say() { printf '==> %s\n' "$*"; }
fi
