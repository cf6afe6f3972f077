#!/usr/bin/env bash
# Installs whatever Hopscope's build and tests need and is missing, from package registries only
# (rustup, crates.io, npm, Debian). Idempotent: a second run only checks versions (seconds).
# The first run on a fresh machine takes about 12 minutes, most of it compiling Trunk.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

if ! command -v cargo >/dev/null || ! command -v rustup >/dev/null; then
    echo "setup: cargo and rustup are needed (https://rustup.rs); neither was found on PATH" >&2
    exit 1
fi

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else echo "setup: '$*' needs root (or sudo)" >&2; exit 1
    fi
}
apt_updated=""
apt_install() {
    if [ -z "$apt_updated" ]; then
        say "apt-get update"
        as_root apt-get update -qq
        apt_updated=1
    fi
    say "apt-get install $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# 1. The wasm target.
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    echo "ok   rust target wasm32-unknown-unknown"
else
    say "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
fi

# 1b. rustfmt and clippy (in rustup's default profile; a minimal profile lacks them).
for component in rustfmt clippy; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
        say "rustup component add $component"
        rustup component add "$component"
    fi
done
echo "ok   rustfmt, clippy"

# 1c. The release bundles' pinned nightly with the standard library's source (scripts/env.sh).
if rustup run "$WEB_TOOLCHAIN" rustc --version >/dev/null 2>&1 \
    && [ -d "$(rustup run "$WEB_TOOLCHAIN" rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
    echo "ok   toolchain $WEB_TOOLCHAIN with rust-src"
else
    say "rustup toolchain install $WEB_TOOLCHAIN --profile minimal --component rust-src"
    rustup toolchain install "$WEB_TOOLCHAIN" --profile minimal --component rust-src
fi

# 2. Trunk (0.22 declares a newer rust-version than this toolchain; it builds and runs fine).
if command -v trunk >/dev/null && trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then
    echo "ok   trunk $TRUNK_VERSION"
else
    say "cargo install trunk $TRUNK_VERSION (about 10 minutes on 2 cores)"
    cargo install --locked trunk --version "$TRUNK_VERSION" --ignore-rust-version
fi

# 3. wasm-bindgen CLI at exactly Cargo.lock's wasm-bindgen version. No --locked: its lockfile
#    wants a webpki-roots release the registry lacks.
wbg="$(wasm_bindgen_version)"
if [ -z "$wbg" ]; then
    echo "setup: no wasm-bindgen entry in Cargo.lock" >&2
    exit 1
fi
if command -v wasm-bindgen >/dev/null && wasm-bindgen --version 2>/dev/null | grep -q " $wbg\$"; then
    echo "ok   wasm-bindgen $wbg"
else
    say "cargo install wasm-bindgen-cli $wbg (about 2 minutes)"
    cargo install wasm-bindgen-cli --version "$wbg" --force
fi

# 4. Node.js + npm (the machine image ships them; Debian's are the fallback).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    apt_install nodejs npm
fi

# 5. wasm-opt from npm's binaryen, into the git-ignored .tools/ (first on PATH via env.sh).
if [ -x .tools/node_modules/.bin/wasm-opt ] &&
    .tools/node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION\b"; then
    echo "ok   wasm-opt $BINARYEN_VERSION (.tools/)"
else
    say "npm install binaryen@$BINARYEN_VERSION into .tools/"
    mkdir -p .tools
    [ -f .tools/package.json ] || echo '{ "private": true }' > .tools/package.json
    npm install --prefix .tools --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION"
fi

# 6. Chromium and its driver, from Debian.
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    echo "ok   chromium + chromedriver"
else
    apt_install chromium chromium-driver
fi

# 7. The end-to-end tests' node packages, from tests/e2e/package-lock.json: playwright-core (it
#    drives /usr/bin/chromium and never downloads a browser of its own) and axe-core (the
#    accessibility checks inject its axe.min.js from node_modules).
if [ -f tests/e2e/node_modules/.package-lock.json ] &&
    [ ! tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
    echo "ok   tests/e2e node packages"
else
    say "npm ci in tests/e2e"
    (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

# 8. cargo-fuzz for the fuzz stage (scripts/fuzz.sh; libFuzzer, built on stable with
#    RUSTC_BOOTSTRAP=1). About 1 minute.
CARGO_FUZZ_VERSION="0.13.1"
if command -v cargo-fuzz >/dev/null && cargo fuzz --version 2>/dev/null | grep -q " $CARGO_FUZZ_VERSION\$"; then
    echo "ok   cargo-fuzz $CARGO_FUZZ_VERSION"
else
    say "cargo install cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

# python3 serves dist/ in the tests; the machine image ships it.
if ! command -v python3 >/dev/null; then
    apt_install python3
fi

echo "setup: done"
