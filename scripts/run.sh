#!/usr/bin/env bash
# Runs PeerMatch locally on its embedded defaults: Azurite (data under .data/azurite), e-mail as
# .eml files in .data/outbox, the app on http://localhost:7071. Ctrl+C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/azurite.sh

ensure_node_tools
AZURITE_PID=""
APP_PID=""
stop() {
  [ -z "$APP_PID" ] || kill "$APP_PID" 2>/dev/null || true
  [ -z "$AZURITE_PID" ] || kill "$AZURITE_PID" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

if port_in_use 10000 || port_in_use 10001 || port_in_use 10002; then
  echo "Something already listens on 10000-10002; using it as Azurite."
else
  start_azurite .data/azurite 10000 10001 10002
fi

export PeerMatch__OrganizerKey="${PeerMatch__OrganizerKey:-local-organizer-key-0000}"
dotnet build src/PeerMatch.Functions -c Release -nologo -v quiet
echo "PeerMatch: http://localhost:7071/api/intake   (e-mail goes to .data/outbox)"
# Run from the repository root, so .data/outbox is where this script says it is.
dotnet src/PeerMatch.Functions/bin/Release/net10.0/PeerMatch.Functions.dll "$@" &
APP_PID=$!
wait "$APP_PID"
