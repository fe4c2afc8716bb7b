#!/usr/bin/env bash
# Copies the pinned npm front-end libraries into static/vendor (git-ignored), installing them if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules/htmx.org ] || [ ! -d node_modules/@tiptap/core ] || [ ! -d node_modules/axe-core ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --silent
fi
mkdir -p static/vendor
cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
cp node_modules/echarts/dist/echarts.min.js static/vendor/echarts.min.js
# The post editor: Tiptap (ProseMirror) bundled into one browser file by esbuild (a dev dependency).
node_modules/.bin/esbuild scripts/assets/editor-entry.js --bundle --minify --format=iife --target=es2019 \
  --log-level=warning --outfile=static/vendor/tiptap.js
# axe-core (a dev dependency) is not copied: the browser tests inject node_modules/axe-core/axe.min.js.
