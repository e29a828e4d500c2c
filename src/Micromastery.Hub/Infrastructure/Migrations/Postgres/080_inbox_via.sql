-- Recovered events (via = 1) are few: the /inbox filter pages them by id, and the 30-day counts read only them.
CREATE INDEX inbox_events_via_id ON inbox_events (via, id);
-- When each provider's log was last asked in full: the next reconciliation asks from there (less a margin), so a
-- webhook that arrives after an outage does not hide the events sent during it.
CREATE TABLE inbox_reconciliations (
    provider text PRIMARY KEY,
    asked_at bigint NOT NULL
);
