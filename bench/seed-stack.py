#!/usr/bin/env python3
"""Seeds the read benchmark's stack into a migrated hub database: the issue's year at the seed's pace.

Usage: seed-stack.py STACK_YML sqlite DB_FILE ROWS
   or: seed-stack.py STACK_YML postgres "host=... port=... user=... dbname=..." ROWS   (through psql)

Writes STACK_YML (30 micromasteries, 2-3 started a month over the last year, all public: true, one manual check
each) and into the database: ROWS manual evidence rows with their observations (one every 10 minutes back from
now, round-robin over the micromasteries, each naming one of 7 contexts so repeatability has work to do) and a
year of daily practice on every micromastery (10,950 sessions). The same rows StackBench seeds in-process."""
import datetime, json, subprocess, sys, time

stack_path, provider, where, rows = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
M = 30
today = datetime.date.today()
with open(stack_path, "w") as f:
    f.write("timeZone: Europe/Istanbul\nmicromasteries:\n")
    for i in range(M):
        started = today - datetime.timedelta(days=300 - i * 10)
        f.write(f"  - slug: skill-{i}\n    name: Skill {i}\n    layer: {'ABCDE'[i % 5]}\n    started: {started}\n"
                f"    public: true\n    checks:\n      - type: manual\n")

if provider == "none":
    sys.exit(0)
now = int(time.time() * 1000)
def observations():
    for n in range(rows):
        at = now - n * 600_000
        yield (n + 1, "manual", "manual", f"skill-{n % M}/manual/{n}", at, f"https://example.com/proof/{n}",
               json.dumps({"context": f"customer {n % 7}"}), at)
def evidence():
    for n in range(rows):
        at = now - n * 600_000
        yield (n + 1, f"skill-{n % M}", "manual", n + 1, at, at)
def practice():
    for i in range(M):
        for d in range(365):
            day = today - datetime.timedelta(days=d)
            at = int(datetime.datetime(day.year, day.month, day.day, 9, tzinfo=datetime.timezone.utc).timestamp() * 1000)
            yield (f"p{i}-{d}", f"skill-{i}", at, day.isoformat(), 30 + (d * 7 + i) % 90, None, at, at)

OBS = "INSERT INTO observations (id, source, kind, external_id, observed_at, url, facts, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
EVI = "INSERT INTO evidence (id, slug, check_id, observation_id, observed_at, created_at) VALUES (?, ?, ?, ?, ?, ?)"
PRA = "INSERT INTO practice_sessions (id, slug, started_at, local_date, minutes, note, recorded_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
# Written behind the practice store's back: its per-day and per-micromastery sums are made as migration 020 makes
# them (the evidence summaries the hub rebuilds itself at start-up; these it does not).
SUMS = ["INSERT INTO practice_days (slug, local_date, minutes, blocks, sessions) SELECT slug, local_date, SUM(minutes), "
        "SUM(CASE WHEN minutes >= 90 THEN 1 ELSE 0 END), count(*) FROM practice_sessions GROUP BY slug, local_date",
        "INSERT INTO practice_totals (slug, minutes, last_date) SELECT slug, SUM(minutes), MAX(local_date) FROM practice_days GROUP BY slug"]

if provider == "sqlite":
    import sqlite3
    db = sqlite3.connect(where)
    db.execute("PRAGMA synchronous=OFF")
    db.executemany(OBS, observations())
    db.executemany(EVI, evidence())
    db.executemany(PRA, practice())
    for sql in SUMS:
        db.execute(sql)
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
else:
    # COPY through psql: the fastest way in without a driver.
    def copy(table, columns, data):
        def cell(v):
            return "\\N" if v is None else str(v).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        text = "".join("\t".join(cell(v) for v in row) + "\n" for row in data)
        subprocess.run(["psql", where, "-v", "ON_ERROR_STOP=1", "-q", "-c", f"COPY {table} ({columns}) FROM STDIN"],
                       input=text.encode(), check=True)
    copy("observations", "id, source, kind, external_id, observed_at, url, facts, recorded_at", observations())
    copy("evidence", "id, slug, check_id, observation_id, observed_at, created_at", evidence())
    copy("practice_sessions", "id, slug, started_at, local_date, minutes, note, recorded_at, updated_at", practice())
    subprocess.run(["psql", where, "-v", "ON_ERROR_STOP=1", "-q", "-c", "; ".join(SUMS)], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["psql", where, "-q", "-c",
                    "SELECT setval(pg_get_serial_sequence('observations', 'id'), (SELECT max(id) FROM observations)); "
                    "SELECT setval(pg_get_serial_sequence('evidence', 'id'), (SELECT max(id) FROM evidence)); ANALYZE"],
                   check=True, stdout=subprocess.DEVNULL)
print(f"seeded {M} micromasteries, {rows} evidence rows, {M * 365} practice sessions")
