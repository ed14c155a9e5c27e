#!/usr/bin/env bash
# Installs the non-Python tools the browser tests (tests/browser/) drive as real consumers:
#   - Chromium and Arabic fonts (Debian packages chromium, fonts-noto-core), driven by Python Playwright;
#   - a Java runtime for the Nu HTML Checker (Debian package default-jre-headless);
#   - the Nu HTML Checker (npm package vnu-jar) and axe-core (npm package axe-core), both into
#     .tools/ at the repository root (git-ignored), with Node.js and npm to fetch them.
# Safe to run again: it installs only what is missing. As root on Debian or Ubuntu it installs the
# system packages itself; elsewhere it prints what to install and carries on.
set -euo pipefail

VNU_JAR_VERSION="26.9.27"
AXE_CORE_VERSION="4.14.1"

root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"

say() { printf 'install-tools: %s\n' "$*"; }

# --- system packages --------------------------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
if command -v dpkg-query >/dev/null 2>&1; then
    dpkg-query -W -f='${Status}' fonts-noto-core 2>/dev/null | grep -q "install ok installed" || missing+=(fonts-noto-core)
fi
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]} == 0)); then
    say "system packages: all present"
elif [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
else
    say "please install these packages (Debian names): ${missing[*]}"
    say "  e.g. sudo apt-get update && sudo apt-get install --no-install-recommends ${missing[*]}"
    say "  the browser tests skip without them (and fail when CI=true)"
fi

# --- npm packages into .tools/ ----------------------------------------------------------------
installed_version() {  # prints the version of an npm package in .tools/, or nothing
    local manifest="$tools/node_modules/$1/package.json"
    [[ -f "$manifest" ]] && sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$manifest" | head -n 1
    return 0
}

wanted=()
if [[ "$(installed_version vnu-jar)" != "$VNU_JAR_VERSION" || "$(installed_version axe-core)" != "$AXE_CORE_VERSION" ]]; then
    # Both at once: npm drops packages it was not asked for when there is no package.json.
    wanted=("vnu-jar@$VNU_JAR_VERSION" "axe-core@$AXE_CORE_VERSION")
fi

if ((${#wanted[@]} == 0)); then
    say "npm packages in .tools/: all present"
elif command -v npm >/dev/null 2>&1; then
    say "installing ${wanted[*]} into .tools/"
    mkdir -p "$tools"
    # --ignore-scripts: vnu-jar's install script would try to download a Java runtime; we use the system's.
    npm install --prefix "$tools" --no-save --no-audit --no-fund --no-package-lock --ignore-scripts \
        --loglevel=error "${wanted[@]}"
else
    say "npm is missing: cannot install ${wanted[*]} into .tools/"
fi
