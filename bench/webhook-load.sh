#!/usr/bin/env bash
# Load benchmark: signed Stripe deliveries against the running hub (Release build) beside a bare
# Kestrel endpoint on the same machine. Usage: bench/webhook-load.sh [sqlite|postgres] [seconds]
# Needs wrk (apt-get install wrk) and python3; postgres needs HUB_BENCH_POSTGRES (a connection string).
set -euo pipefail
cd "$(dirname "$0")/.."
provider=${1:-sqlite}; seconds=${2:-10}; threads=2; connections=64
secret=whsec_bench_secret
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet publish src/Micromastery.Hub -c Release -o "$work/hub" -v q --nologo >/dev/null
dotnet publish bench/BareKestrel -c Release -o "$work/bare" -v q --nologo >/dev/null

wait_up() { for _ in $(seq 100); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "not up: $1"; exit 1; }

echo "== bare Kestrel (the ceiling)"
(cd "$work" && dotnet bare/BareKestrel.dll --urls http://127.0.0.1:5091 >/dev/null 2>&1 &)
sleep 2
python3 bench/make-stripe-events.py 1000 "$secret" "$work/events-bare.jsonl" tests/Micromastery.Hub.Tests/Fixtures/stripe/payment_intent.json
EVENTS_FILE="$work/events-bare.jsonl" WRK_THREADS=$threads wrk -t$threads -c$connections -d${seconds}s -s bench/stripe-webhooks.lua http://127.0.0.1:5091

echo "== hub, POST /webhooks/stripe, storage: $provider"
export Stripe__WebhookSecret=$secret Logging__LogLevel__Default=Warning Storage__DataDirectory="$work/data" Stack__Path="$work/stack.yml"
if [ "$provider" = postgres ]; then
  export Storage__Provider=Postgres ConnectionStrings__Hub="${HUB_BENCH_POSTGRES:?set HUB_BENCH_POSTGRES}"
fi
(cd "$work" && dotnet hub/Micromastery.Hub.dll --urls http://127.0.0.1:5092 >"$work/hub.log" 2>&1 &)
wait_up http://127.0.0.1:5092/health/ready
# Enough unique events that none repeats within the run (each is stored once).
python3 bench/make-stripe-events.py $((seconds * 40000)) "$secret" "$work/events.jsonl" tests/Micromastery.Hub.Tests/Fixtures/stripe/payment_intent.json
EVENTS_FILE="$work/events.jsonl" WRK_THREADS=$threads wrk -t$threads -c$connections -d${seconds}s -s bench/stripe-webhooks.lua http://127.0.0.1:5092
echo "stored events: $(curl -s http://127.0.0.1:5092/health/ready)"
