#!/usr/bin/env bash
# A bounded loopback load test: starts a throwaway Azurite and the standalone app on a free port, then floods it
# with sign-ups from one client and from 50 addresses while confirmed people open their links (bench "load").
# Usage: bash scripts/load.sh [seconds, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-setup.sh
APP=$(free_port)

start_app "$APP" "$DATA/app.log" \
  AzureWebJobsStorage="$(azurite_connection_string "$BLOB" "$QUEUE" "$TABLE")" \
  PeerMatch__OrganizerKey=load-test-organizer-key \
  PeerMatch__PublicBaseUrl="http://127.0.0.1:$APP" \
  PeerMatch__QueuePollInterval=00:00:00.200 \
  Email__OutboxPath="$DATA/outbox" \
  Logging__LogLevel__Default=Warning

dotnet bench/PeerMatch.Bench/bin/Release/net10.0/PeerMatch.Bench.dll load "http://127.0.0.1:$APP" "$DATA/outbox" "${1:-30}" || { grep -E "^fail|^warn" -A12 "$DATA/app.log" | head -60; exit 1; }
