#!/usr/bin/env bash
# Reads on a year-old stack: every page, badge and the feed over real sockets against the published Release
# build, at several sizes of history, plus a flood of strangers on /public with /health (and signed webhooks)
# measured beside it.
# Usage: bench/read-load.sh [sqlite|postgres] [seconds per run] [evidence rows ...]
#   defaults: sqlite 10 5000 50000 500000
# Per size: seeds the stack (seed-stack.py: 30 public micromasteries, a year of daily practice on each, the given
# evidence rows), starts the hub, then per page 3 runs of wrk -t2 -c4 (after a warm-up) and prints the median of
# the three runs' p50 / p99 / req/s and the answer's size; then the flood: wrk -t2 -c16 on /public while
# wrk -t1 -c1 asks /health and two connections send signed Stripe webhooks on a timetable (100/s), 3 runs.
# Environment: READ_BENCH_PAGES (space-separated paths) overrides the page list; HUB_BENCH_POSTGRES as in
# webhook-load.sh; any Public__… / Storage__… variable is passed to the hub (e.g. to change the public limits).
set -euo pipefail
cd "$(dirname "$0")/.."
provider=${1:-sqlite}; seconds=${2:-10}; shift $(( $# > 2 ? 2 : $# )) || true
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(5000 50000 500000)
pages=(${READ_BENCH_PAGES:-/ /micromasteries/skill-0 /inbox /email /api/stack /public /public/skill-0 /public/feed.xml /badges/skill-0.svg /badges/skill-0.json /badges/stack.svg /health})
port=5094; secret=whsec_bench_secret; fixture=tests/Micromastery.Hub.Tests/Fixtures/stripe/payment_intent.json
work=$(mktemp -d); chmod 755 "$work"; pids=(); pg_bin=""
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true
  if [ -n "$pg_bin" ]; then as_pg "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then echo "something already listens on port $port; stop it first"; exit 1; fi
dotnet publish src/Micromastery.Hub -c Release -o "$work/hub" -v q --nologo >/dev/null
wait_up() { for _ in $(seq 300); do curl -sf -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done; echo "not up: $1"; tail -20 "$work/hub.log"; exit 1; }
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
export Public__RateLimit__PermitsPerMinute=${Public__RateLimit__PermitsPerMinute:-0} Stripe__WebhookSecret=$secret Logging__LogLevel__Default=Warning Storage__DataDirectory="$work/data" Stack__Path="$work/stack.yml" Polling__CatchUp=false

if [ "$provider" = postgres ]; then
  if [ -n "${HUB_BENCH_POSTGRES:-}" ]; then npgsql=$HUB_BENCH_POSTGRES; else
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    mkdir "$work/pg"; chown postgres "$work/pg" 2>/dev/null || true
    as_pg "$pg_bin/initdb" -D "$work/pg" -U hub --auth=trust >/dev/null
    as_pg "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w -o "-p 5095 -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB" start >/dev/null
    npgsql="Host=127.0.0.1;Port=5095;Username=hub;Database=hub"
  fi
  export Storage__Provider=Postgres ConnectionStrings__Hub="$npgsql"
fi

start_hub() {
  (cd "$work" && exec dotnet hub/Micromastery.Hub.dll --urls "http://127.0.0.1:$port" >"$work/hub.log" 2>&1) & pids=($!)
  wait_up "http://127.0.0.1:$port/health/ready"
}
stop_hub() { kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; pids=(); }
# run PATH CONNECTIONS SECONDS: wrk's RESULT line
run() { wrk -t2 -c"$2" -d"$3"s --timeout 30s -s bench/pages.lua "http://127.0.0.1:$port$1" | grep '^RESULT' | sed 's/^RESULT //'; }

echo "== read load, $provider, $(nproc) cores, $(date -u +%F), $(git rev-parse --short HEAD 2>/dev/null || echo "${READ_BENCH_COMMIT:-unknown commit}"), ${seconds} s runs"
for rows in "${sizes[@]}"; do
  rm -rf "$work/data"
  if [ "$provider" = postgres ]; then
    db="hub$rows"; "${pg_bin:-/usr/bin}/createdb" -h 127.0.0.1 -p 5095 -U hub "$db" 2>/dev/null || true
    export ConnectionStrings__Hub="${npgsql%Database=*}Database=$db"
    where="host=127.0.0.1 port=5095 user=hub dbname=$db"
  else where="$work/data/hub.db"; fi
  python3 bench/seed-stack.py "$work/stack.yml" none none 0 >/dev/null 2>&1 || true # writes the stack file only
  start_hub; stop_hub # migrates
  python3 bench/seed-stack.py "$work/stack.yml" "$provider" "$where" "$rows"
  # The hub rebuilds its evidence summaries at start-up (a job): the warm-up runs below come after it.
  start_hub
  echo "-- $rows evidence rows: page | p50 ms | p99 ms | req/s | bytes (median of 3 runs of ${seconds} s, wrk -t2 -c4)"
  for path in "${pages[@]}"; do
    run "$path" 4 3 >/dev/null # warm-up
    p50=(); p99=(); rps=(); req=(); bad=0
    for _ in 1 2 3; do
      r=$(run "$path" 4 "$seconds")
      p50+=("$(field p50 "$r")"); p99+=("$(field p99 "$r")"); rps+=("$(field rps "$r")"); req+=("$(field requests "$r")")
      bad=$(( bad + $(field non2xx "$r") + $(field errors "$r") ))
    done
    size=$(curl -s -o /dev/null -w '%{size_download}' "http://127.0.0.1:$port$path")
    if [ "$(median "${req[@]}")" = 0 ]; then
      echo "$path | no answer within most ${seconds} s runs (requests per run: ${req[*]}) | | | $size"
    else
      echo "$path | $(median "${p50[@]}") | $(median "${p99[@]}") | $(median "${rps[@]}") | $size$([ $bad -gt 0 ] && echo " | non-2xx or errors: $bad")"
    fi
  done
  echo "-- $rows evidence rows: flood, wrk -t2 -c16 on /public with /health (1 connection) and signed webhooks (2 connections, 100/s) beside it"
  fp=(); hp50=(); hp99=(); hrps=(); wp99=(); wok=()
  for i in 1 2 3; do
    python3 bench/make-stripe-events.py $(( seconds * 150 )) "$secret" "$work/events" "$fixture" 1 "f${rows}x$i"
    wrk -t2 -c16 -d"$seconds"s --timeout 30s -s bench/pages.lua "http://127.0.0.1:$port/public" >"$work/flood" &
    flood=$!
    EVENTS_FILE="$work/events" WRK_THREADS=1 WRK_CONNECTIONS=2 WRK_PACE_MS=20 WRK_PACE=schedule \
      wrk -t1 -c2 -d"$seconds"s --timeout 30s -s bench/stripe-webhooks.lua "http://127.0.0.1:$port" >"$work/hooks" &
    hooks=$!
    h=$(wrk -t1 -c1 -d"$seconds"s --timeout 30s -s bench/pages.lua "http://127.0.0.1:$port/health" | grep '^RESULT')
    wait $flood $hooks
    f=$(grep '^RESULT' "$work/flood"); w=$(grep '^RESULT' "$work/hooks")
    echo "   run $i: /public $f | /health $h | webhooks $w"
    fp+=("$(field rps "$f")"); hp50+=("$(field p50 "$h")"); hp99+=("$(field p99 "$h")"); hrps+=("$(field rps "$h")")
    wp99+=("$(field p99 "$w")"); wok+=("$(field rps "$w")")
  done
  echo "flood: /public $(median "${fp[@]}") req/s; /health p50 $(median "${hp50[@]}") / p99 $(median "${hp99[@]}") ms ($(median "${hrps[@]}") req/s); webhooks $(median "${wok[@]}") req/s acknowledged, p99 $(median "${wp99[@]}") ms"
  stop_hub
done
if grep -qE " (fail|crit)|Exception" "$work/hub.log"; then echo "the hub logged errors:"; grep -E -A12 " (fail|crit)" "$work/hub.log" | head -40; fi
