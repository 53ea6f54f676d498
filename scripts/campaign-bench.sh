#!/usr/bin/env bash
# A 10,000-row invitation campaign end to end: a throwaway in-memory Azurite and the standalone app, run twice,
# once writing the invitations to the outbox, once sending them through the real SendGrid client to a stand-in
# on loopback that counts API requests (bench "campaign"). Prints one table per run.
# Usage: bash scripts/campaign-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-setup.sh

KEY=bench-organizer-key-0123456789
# run NAME TARGET [SETTING=VALUE…]: a fresh app (its own tables, so its peak memory is this campaign's) and one campaign.
run() {
  local name=$1 target=$2 app
  shift 2
  app=$(free_port)
  start_app "$app" "$DATA/$name.log" \
    AzureWebJobsStorage="$(azurite_connection_string "$BLOB" "$QUEUE" "$TABLE")" \
    PeerMatch__TablePrefix="$name" \
    PeerMatch__OrganizerKey="$KEY" \
    PeerMatch__PublicBaseUrl="http://127.0.0.1:$app" \
    PeerMatch__QueuePollInterval=00:00:00.200 \
    Email__OutboxPath="$DATA/outbox" \
    Logging__LogLevel__Default=Warning "$@"
  echo
  dotnet bench/PeerMatch.Bench/bin/Release/net10.0/PeerMatch.Bench.dll campaign "http://127.0.0.1:$app" "$APP_PID" "$KEY" "$target" \
    || { grep -E "^fail|^warn" -A12 "$DATA/$name.log" | head -60; exit 1; }
  stop_app
}

run outbox "$DATA/outbox"
SENDGRID=$(free_port)
run sendgrid "sendgrid:$SENDGRID" SendGrid__ApiKey=SG.bench-key SendGrid__Host="http://127.0.0.1:$SENDGRID"
