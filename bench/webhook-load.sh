#!/usr/bin/env bash
# Load benchmark: signed Stripe deliveries against the running hub (Release build) beside a bare
# Kestrel endpoint on the same machine. Usage: bench/webhook-load.sh [sqlite|postgres] [seconds]
# Needs wrk (apt-get install wrk) and python3; postgres needs HUB_BENCH_POSTGRES (a connection string).
set -euo pipefail
cd "$(dirname "$0")/.."
provider=${1:-sqlite}; seconds=${2:-10}; threads=2; connections=64
secret=whsec_bench_secret
work=$(mktemp -d); pids=()
# The servers are this script's own background jobs, so they are stopped however it ends (a server left
# running would hold its port, and the next run would measure it instead of a fresh one).
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet publish src/Micromastery.Hub -c Release -o "$work/hub" -v q --nologo >/dev/null
dotnet publish bench/BareKestrel -c Release -o "$work/bare" -v q --nologo >/dev/null

port_free() { if curl -s -o /dev/null "http://127.0.0.1:$1/"; then echo "something already listens on port $1; stop it first"; exit 1; fi; }
port_free 5091; port_free 5092
wait_up() { for _ in $(seq 100); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "not up: $1"; exit 1; }

echo "== bare Kestrel (the ceiling)"
(cd "$work" && exec dotnet bare/BareKestrel.dll --urls http://127.0.0.1:5091 >/dev/null 2>&1) & pids+=($!)
sleep 2
python3 bench/make-stripe-events.py 1000 "$secret" "$work/events-bare.jsonl" tests/Micromastery.Hub.Tests/Fixtures/stripe/payment_intent.json
EVENTS_FILE="$work/events-bare.jsonl" WRK_THREADS=$threads wrk -t$threads -c$connections -d${seconds}s -s bench/stripe-webhooks.lua http://127.0.0.1:5091

echo "== hub, POST /webhooks/stripe, storage: $provider"
export Stripe__WebhookSecret=$secret Logging__LogLevel__Default=Warning Storage__DataDirectory="$work/data" Stack__Path="$work/stack.yml"
if [ "$provider" = postgres ]; then
  export Storage__Provider=Postgres ConnectionStrings__Hub="${HUB_BENCH_POSTGRES:?set HUB_BENCH_POSTGRES}"
fi
(cd "$work" && exec dotnet hub/Micromastery.Hub.dll --urls http://127.0.0.1:5092 >"$work/hub.log" 2>&1) & pids+=($!)
wait_up http://127.0.0.1:5092/health/ready
# Enough unique events that none repeats within the run (each is stored once).
python3 bench/make-stripe-events.py $((seconds * 40000)) "$secret" "$work/events.jsonl" tests/Micromastery.Hub.Tests/Fixtures/stripe/payment_intent.json
EVENTS_FILE="$work/events.jsonl" WRK_THREADS=$threads wrk -t$threads -c$connections -d${seconds}s -s bench/stripe-webhooks.lua http://127.0.0.1:5092
sleep 3 # let the drain finish what was stored during the run
if [ "$provider" = sqlite ]; then
  python3 - "$work/data/hub.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
stored, processed = db.execute("SELECT count(*), count(*) FILTER (WHERE state <> 0) FROM inbox_events").fetchone()
print(f"stored events: {stored} (compare with wrk's 2xx count above), processed so far: {processed}")
PY
fi
