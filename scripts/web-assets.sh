#!/usr/bin/env bash
# The console's browser libraries, from the npm registry into the package (no CDN at run time).
# Idempotent: does nothing when the pinned versions are already in place.
set -euo pipefail

HTMX=2.0.11     # BSD-2-Clause
ECHARTS=5.6.0   # Apache-2.0
DEST="$(cd "$(dirname "$0")/.." && pwd)/src/medshield/web/static"
STAMP="$DEST/VERSIONS"
WANT="htmx.org@$HTMX echarts@$ECHARTS"

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] \
  && [ -f "$DEST/htmx.min.js" ] && [ -f "$DEST/echarts.min.js" ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "error: npm is needed to fetch the console's libraries" >&2; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "htmx.org@$HTMX" "echarts@$ECHARTS" >/dev/null)
tar -xzf "$TMP"/htmx.org-"$HTMX".tgz -C "$TMP" package/dist/htmx.min.js
cp "$TMP/package/dist/htmx.min.js" "$DEST/htmx.min.js"
rm -rf "$TMP/package"
tar -xzf "$TMP"/echarts-"$ECHARTS".tgz -C "$TMP" package/dist/echarts.min.js
cp "$TMP/package/dist/echarts.min.js" "$DEST/echarts.min.js"
echo "$WANT" > "$STAMP"
