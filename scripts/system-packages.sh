#!/usr/bin/env bash
# Debian packages the tests and benchmarks need; idempotent (installs only what is missing).
set -euo pipefail

PACKAGES=(
  wrk                    # the load generator of the gateway benchmark
  postgresql-15-pgaudit  # pgaudit for the throwaway PostgreSQL cluster of the log-audit tests
  fail2ban               # fail2ban-regex, the baseline of the log-audit benchmark
  chromium               # the browser the console's Playwright tests drive (never downloaded)
  fonts-noto-cjk         # Chinese glyphs in PDF reports and the console's screenshots
  libpango-1.0-0         # WeasyPrint's text layout
  libpangoft2-1.0-0
  poppler-utils          # pdftoppm, pdffonts: the PDF report tests check the rendered pages
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
