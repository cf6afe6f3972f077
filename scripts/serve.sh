#!/usr/bin/env bash
# Installs whatever is missing, builds the release bundle and serves it at http://127.0.0.1:8080
# (PORT=... to change the port). Ctrl-C stops the server. For live rebuilds while editing, run
# `trunk serve` instead (with .tools/node_modules/.bin first on PATH, as scripts/env.sh sets).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

PORT="${PORT:-8080}"
bash scripts/setup.sh
say "trunk build --release (toolchain $WEB_TOOLCHAIN, see scripts/env.sh)"
trunk_release
say "serving dist/ at http://127.0.0.1:$PORT/  (Ctrl-C to stop)"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist
