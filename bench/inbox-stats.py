#!/usr/bin/env python3
"""Counts one load run's deliveries in the hub's inbox (event ids starting evt_RUN) and, with --latency, the
p50/p99 of event -> evidence: from the delivery's commit (received_at) to the commit of its evidence (processed_at).
Usage: inbox-stats.py sqlite DATA_DIR RUN [--latency] | inbox-stats.py postgres LIBPQ_CONNINFO RUN [--latency]
Prints: stored=N processed=N [e2e_p50_ms=X e2e_p99_ms=Y]"""
import os, subprocess, sys

provider, where, run = sys.argv[1], sys.argv[2], sys.argv[3]
latency = "--latency" in sys.argv
like = f"evt_{run}%"

if provider == "sqlite":
    import sqlite3
    db = sqlite3.connect(f"file:{os.path.join(where, 'hub.db')}?mode=ro", uri=True)
    stored, processed = db.execute(
        "SELECT count(*), count(*) FILTER (WHERE state <> 0) FROM inbox_events WHERE event_id LIKE ?", (like,)).fetchone()
    waits = [r[0] for r in db.execute(
        "SELECT processed_at - received_at FROM inbox_events WHERE event_id LIKE ? AND state = 1 ORDER BY 1", (like,))] if latency else []
else:
    def psql(sql):
        return subprocess.run(["psql", where, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True, text=True).stdout.split()
    stored, processed = map(int, psql(
        f"SELECT count(*) || ' ' || count(*) FILTER (WHERE state <> 0) FROM inbox_events WHERE event_id LIKE '{like}'"))
    waits = sorted(map(int, psql(
        f"SELECT processed_at - received_at FROM inbox_events WHERE event_id LIKE '{like}' AND state = 1"))) if latency else []

line = f"stored={stored} processed={processed}"
if latency and waits:
    pct = lambda p: waits[min(len(waits) - 1, int(len(waits) * p))]
    line += f" e2e_p50_ms={pct(0.50)} e2e_p99_ms={pct(0.99)}"
print(line)
