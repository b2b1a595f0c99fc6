#!/usr/bin/env bash
# Installs what building and testing sfaccess needs, only what is missing:
# the Debian packages (as root, or through sudo) and the emulator's npm
# packages (npm ci in tests/emulator).  Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config libcurl4-openssl-dev libxml2-dev
          libxml2-utils libsqlite3-dev libcsv-dev check libjansson-dev
          libssl-dev nodejs npm ca-certificates sqlite3 cppcheck clang-tidy
          libxlsxwriter-dev libzip-dev python3-openpyxl)
# Headless Chromium runs the HTML report's browser test
# (tests/integration/test_report_html_browser.sh, which fails without it);
# SFA_WITH_CHROMIUM=0 leaves it out.
[ "${SFA_WITH_CHROMIUM:-1}" = 1 ] && packages+=(chromium)

missing=()
for p in "${packages[@]}"; do
  # npm is not needed as a Debian package when Node.js already ships it.
  if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
  if [ "$p" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci only when the lock file changed since the last install.
stamp=tests/emulator/node_modules/.sfaccess-lock
if [ ! -f "$stamp" ] || ! cmp -s tests/emulator/package-lock.json "$stamp"; then
  echo "setup: npm ci in tests/emulator" >&2
  (cd tests/emulator && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp tests/emulator/package-lock.json "$stamp"
fi
