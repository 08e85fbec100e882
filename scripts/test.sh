#!/usr/bin/env bash
# Runs every test of the solution. Installs what the tests need first, and fails (never
# skips) when a prerequisite cannot be had.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "scripts/test.sh: $*" >&2; exit 1; }

command -v dotnet >/dev/null 2>&1 || fail "the .NET SDK (dotnet) is required: https://dotnet.microsoft.com/download"
sdk_major=$(dotnet --version | cut -d. -f1)
[ "$sdk_major" -ge 10 ] || fail ".NET SDK 10 or later is required (found $(dotnet --version))"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Browser tests drive Debian's Chromium (Playwright downloads no browser here).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "scripts/test.sh: installing Debian's chromium for the browser tests"
    apt-get update -qq || fail "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || fail "could not install the chromium package"
  else
    fail "/usr/bin/chromium is missing: install Debian's chromium package (sudo apt-get install chromium)"
  fi
fi
/usr/bin/chromium --version >/dev/null 2>&1 || fail "/usr/bin/chromium does not run"

dotnet restore Automotech.OpenData.sln
dotnet build Automotech.OpenData.sln --no-restore -c Release
dotnet test Automotech.OpenData.sln --no-build -c Release "$@"
