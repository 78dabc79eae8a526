#!/usr/bin/env bash
# Copy Apache ECharts (npm package `echarts`, Apache-2.0) into the package at build time, so HTML
# reports embed it and never load a script from a CDN. Idempotent: skips a version already there.
set -euo pipefail

VERSION="6.1.0"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATIC="$ROOT/src/medshield/reports/static"

if [ -f "$STATIC/echarts.min.js" ] && [ "$(cat "$STATIC/ECHARTS_VERSION" 2>/dev/null)" = "$VERSION" ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "vendor_js: npm not found; HTML reports fall back to SVG charts" >&2; exit 0; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "echarts@$VERSION" >/dev/null && tar xzf "echarts-$VERSION.tgz")
mkdir -p "$STATIC"
cp "$work/package/dist/echarts.min.js" "$STATIC/echarts.min.js"
cp "$work/package/LICENSE" "$STATIC/ECHARTS_LICENSE.txt"
echo "$VERSION" > "$STATIC/ECHARTS_VERSION"
