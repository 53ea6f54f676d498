# Sourced by run.sh and test.sh: installs the pinned Azurite and starts it on loopback.
# start_azurite DIR BLOB_PORT QUEUE_PORT TABLE_PORT [AZURITE OPTIONS…] — returns once all three ports answer.

ensure_node_tools() {
  if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "Installing Azurite (npm ci)…"
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
    for _ in $(seq 1 100); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
      if ! kill -0 "$AZURITE_PID" 2>/dev/null; then
        echo "Azurite did not start:" >&2; cat "$dir/azurite.log" >&2; return 1
      fi
      sleep 0.1
    done
  done
}

azurite_connection_string() {
  local blob=$1 queue=$2 table=$3
  # The emulator's well-known development account and key (public, documented by Microsoft).
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
