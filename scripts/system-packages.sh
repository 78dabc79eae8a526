#!/usr/bin/env bash
# Debian packages the tests and benchmarks need; idempotent (installs only what is missing).
set -eu

PACKAGES=(
  postgresql-15-pgaudit  # pgaudit for the throwaway PostgreSQL cluster of the log-audit tests
  fail2ban               # fail2ban-regex, the baseline of the log-audit benchmark
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update
  apt-get install -y "${missing[@]}"
fi
