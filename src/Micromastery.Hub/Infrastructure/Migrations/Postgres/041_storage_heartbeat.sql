-- Readiness writes here: ready means a write commits, not only that a query answers.
CREATE TABLE storage_heartbeat (
    id          integer PRIMARY KEY,
    written_at  bigint  NOT NULL
);
