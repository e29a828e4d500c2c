#!/usr/bin/env bash
# Webhook ingestion benchmark: the hub (Release) beside a bare Kestrel endpoint, on this machine, in one run.
# Usage: bench/webhook-load.sh [sqlite|postgres] [seconds]
# Each server gets a short warm-up, then a saturated run (wrk -t2 -c64) and two paced ones with 20 connections,
# one request per connection per 10 ms: on a fixed timetable (2,000 requests/s offered whatever the latency),
# and closed-loop (each connection waits 10 ms after every response, so the rate falls as latency grows). The hub gets real signed Stripe
# deliveries; after each run the script waits for processing and counts stored and processed events, and
# event -> evidence for the paced run. postgres uses HUB_BENCH_POSTGRES (an Npgsql connection string) or
# starts its own server from the machine's PostgreSQL binaries. Needs wrk (apt-get install wrk) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
provider=${1:-sqlite}; seconds=${2:-10}
threads=2; connections=64; paced_connections=20; paced_ms=10; warmup=3
secret=whsec_bench_secret
fixture=tests/Micromastery.Hub.Tests/Fixtures/stripe/payment_intent.json
work=$(mktemp -d); chmod 755 "$work"; pids=(); pg_bin=""
# The servers are this script's own children, so they are stopped however it ends (a server left running
# would hold its port, and the next run would measure it instead of a fresh one).
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true
  if [ -n "$pg_bin" ]; then as_pg "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
dotnet publish src/Micromastery.Hub -c Release -o "$work/hub" -v q --nologo >/dev/null
dotnet publish bench/BareKestrel -c Release -o "$work/bare" -v q --nologo >/dev/null

port_free() { if curl -s -o /dev/null "http://127.0.0.1:$1/"; then echo "something already listens on port $1; stop it first"; exit 1; fi; }
port_free 5091; port_free 5092
# wait_up URL [curl flag]: until the URL answers (with -f: answers 2xx).
wait_up() { for _ in $(seq 150); do curl -s ${2:-} -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done; echo "not up: $1"; exit 1; }

# load URL RUN SECONDS CONNECTIONS EVENTS [PACE_MS schedule|delay]: prints wrk's RESULT line (see stripe-webhooks.lua).
load() {
  python3 bench/make-stripe-events.py "$5" "$secret" "$work/events" "$fixture" "$threads" "$2"
  EVENTS_FILE="$work/events" WRK_THREADS=$threads WRK_CONNECTIONS="$4" WRK_PACE_MS=${6:-} WRK_PACE=${7:-} \
    wrk -t$threads -c"$4" -d"$3"s -s bench/stripe-webhooks.lua "$1" | grep '^RESULT' | sed 's/^RESULT //'
}
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }
paced_events=$(( seconds * 2500 )); saturated_events=$(( seconds * 40000 ))

echo "== bare Kestrel (the ceiling)"
(cd "$work" && exec dotnet bare/BareKestrel.dll --urls http://127.0.0.1:5091 >/dev/null 2>&1) & pids+=($!)
wait_up http://127.0.0.1:5091/
load http://127.0.0.1:5091 warm0 $warmup $connections 1000 >/dev/null
bare_sat=$(load http://127.0.0.1:5091 bare1 "$seconds" $connections 1000); echo "saturated: $bare_sat"
bare_paced=$(load http://127.0.0.1:5091 bare2 "$seconds" $paced_connections "$paced_events" $paced_ms schedule); echo "paced:     $bare_paced"
bare_loop=$(load http://127.0.0.1:5091 bare3 "$seconds" $paced_connections "$paced_events" $paced_ms delay); echo "closed loop: $bare_loop"
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true; pids=()

echo "== hub, POST /webhooks/stripe, storage: $provider"
export Stripe__WebhookSecret=$secret Logging__LogLevel__Default=Warning Storage__DataDirectory="$work/data" Stack__Path="$work/stack.yml"
if [ "$provider" = postgres ]; then
  if [ -n "${HUB_BENCH_POSTGRES:-}" ]; then
    npgsql=$HUB_BENCH_POSTGRES
  else
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -x "$pg_bin/initdb" ] || { echo "no PostgreSQL binaries in /usr/lib/postgresql/*/bin: install postgresql or set HUB_BENCH_POSTGRES"; exit 1; }
    mkdir "$work/pg"; chown postgres "$work/pg" 2>/dev/null || true
    as_pg "$pg_bin/initdb" -D "$work/pg" -U hub --auth=trust >/dev/null
    # Durable as a production server is: fsync on, every commit flushed before it returns.
    as_pg "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w -o "-p 5093 -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=200 -c shared_buffers=256MB" start >/dev/null
    "$pg_bin/createdb" -h 127.0.0.1 -p 5093 -U hub hub
    npgsql="Host=127.0.0.1;Port=5093;Username=hub;Database=hub"
  fi
  export Storage__Provider=Postgres ConnectionStrings__Hub="$npgsql"
  # The same server in libpq's words, for psql.
  stats_where=$(python3 -c 'import sys; m={"host":"host","server":"host","port":"port","username":"user","user id":"user","password":"password","database":"dbname"}; print(" ".join(f"{m[k.strip().lower()]}={v.strip()}" for k,v in (p.split("=",1) for p in sys.argv[1].split(";") if "=" in p) if k.strip().lower() in m))' "$npgsql")
else
  stats_where="$work/data"
fi
(cd "$work" && exec dotnet hub/Micromastery.Hub.dll --urls http://127.0.0.1:5092 >"$work/hub.log" 2>&1) & pids+=($!)
wait_up http://127.0.0.1:5092/health/ready -f

# settle RUN [--latency]: waits until processing has caught up with the run's stored events (60 s at most),
# then prints the counts and how long after the load's end processing finished.
settle() {
  local started=$SECONDS stats
  while true; do
    stats=$(python3 bench/inbox-stats.py "$provider" "$stats_where" "$@")
    [ "$(field stored "$stats")" = "$(field processed "$stats")" ] && break
    [ $((SECONDS - started)) -ge 60 ] && break
    sleep 0.5
  done
  echo "$stats caught_up_s=$((SECONDS - started))"
}

run=r$RANDOM
load http://127.0.0.1:5092 "w${run}" $warmup $connections $(( warmup * 40000 )) >/dev/null; settle "w${run}" >/dev/null
hub_sat=$(load http://127.0.0.1:5092 "s${run}" "$seconds" $connections "$saturated_events"); echo "saturated: $hub_sat"
sat_stats=$(settle "s${run}"); echo "           $sat_stats"
hub_paced=$(load http://127.0.0.1:5092 "p${run}" "$seconds" $paced_connections "$paced_events" $paced_ms schedule); echo "paced:     $hub_paced"
paced_stats=$(settle "p${run}" --latency); echo "           $paced_stats"
hub_loop=$(load http://127.0.0.1:5092 "l${run}" "$seconds" $paced_connections "$paced_events" $paced_ms delay); echo "closed loop: $hub_loop"
loop_stats=$(settle "l${run}"); echo "           $loop_stats"

ratio() { python3 -c "print(f'{100 * $1 / $2:.1f} %')"; }
echo "== summary ($provider, ${seconds} s runs, $(nproc) cores shared with wrk)"
echo "saturated: hub $(field rps "$hub_sat") req/s = $(ratio "$(field rps "$hub_sat")" "$(field rps "$bare_sat")") of bare Kestrel's $(field rps "$bare_sat"); hub p99 $(field p99 "$hub_sat") ms"
echo "paced:     hub $(field rps "$hub_paced") req/s = $(ratio "$(field rps "$hub_paced")" "$(field rps "$bare_paced")") of bare's $(field rps "$bare_paced"); hub p50 $(field p50 "$hub_paced") / p99 $(field p99 "$hub_paced") / p99.9 $(field p999 "$hub_paced") ms (bare p99 $(field p99 "$bare_paced") ms)"
echo "closed loop: hub $(field rps "$hub_loop") req/s = $(ratio "$(field rps "$hub_loop")" "$(field rps "$bare_loop")") of bare's $(field rps "$bare_loop"); hub p50 $(field p50 "$hub_loop") / p99 $(field p99 "$hub_loop") ms"
echo "processing: saturated run $(field processed "$sat_stats")/$(field stored "$sat_stats") processed, $(field caught_up_s "$sat_stats") s after its end; paced run event -> evidence p50 $(field e2e_p50_ms "$paced_stats") / p99 $(field e2e_p99_ms "$paced_stats") ms"
if grep -qE " (fail|crit)|Exception" "$work/hub.log"; then echo "the hub logged errors:"; grep -E " (fail|crit)|Exception" "$work/hub.log" | head -5; fi
