# Sourced by the benchmarks that run the app (load.sh, campaign-bench.sh): a throwaway in-memory Azurite on free
# loopback ports, the app and the benchmark built, and on exit everything stopped and removed.
# Sets BLOB, QUEUE, TABLE (the emulator's ports) and DATA (a scratch folder); stop_app stops the app start_app began.
source scripts/azurite.sh
ensure_node_tools

BLOB=$(free_port); QUEUE=$(free_port); TABLE=$(free_port)
DATA=$(mktemp -d)
APP_PID=""
stop_app() {
  [ -z "$APP_PID" ] || { kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; }
  APP_PID=""
}
stop_everything() {
  stop_app
  kill "$AZURITE_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$DATA" || true
}
trap stop_everything EXIT
# Kept in memory: the emulator's disk writes would be what is measured, not the app.
start_azurite "$DATA/azurite" "$BLOB" "$QUEUE" "$TABLE" --inMemoryPersistence

dotnet build src/PeerMatch.Functions -c Release -nologo -v quiet
dotnet build bench/PeerMatch.Bench -c Release -nologo -v quiet
