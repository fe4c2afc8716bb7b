#!/usr/bin/env bash
# Copies the pinned npm front-end libraries into static/vendor (git-ignored), installing them if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules/htmx.org ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --silent
fi
mkdir -p static/vendor
cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
cp node_modules/echarts/dist/echarts.min.js static/vendor/echarts.min.js
