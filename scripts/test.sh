#!/usr/bin/env bash
# Runs every test: installs what the tests need (Debian chromium, Azurite, NuGet packages), starts a
# throwaway Azurite on free loopback ports, and runs the whole solution's tests against it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/azurite.sh

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium for the browser tests (apt-get)…"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
ensure_node_tools

BLOB=$(free_port); QUEUE=$(free_port); TABLE=$(free_port)
DATA=$(mktemp -d)
start_azurite "$DATA" "$BLOB" "$QUEUE" "$TABLE"
stop_azurite() {
  kill "$AZURITE_PID" 2>/dev/null || true
  wait "$AZURITE_PID" 2>/dev/null || true
  rm -rf "$DATA" || true
}
trap stop_azurite EXIT

export PEERMATCH_TEST_STORAGE
PEERMATCH_TEST_STORAGE=$(azurite_connection_string "$BLOB" "$QUEUE" "$TABLE")

set +e
dotnet test PeerMatch.sln -c Release "$@" 2>&1 | tee "$DATA/test.log"
status=${PIPESTATUS[0]}
set -e
# One plain summary line across the test projects: "N passed, N failed".
passed=$(grep -Eo 'Passed: +[0-9]+' "$DATA/test.log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$DATA/test.log" | awk '{s+=$2} END {print s+0}')
echo "$passed passed, $failed failed"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then echo "No test ran." >&2; exit 1; fi
exit "$status"
