-- Practice sessions the owner logs (docs/practice.md). Times are Unix milliseconds, as in 001.
-- local_date is the day the session counts on, in the stack's time zone when it was logged, so a
-- session at 23:30 in Istanbul stays on that day and the per-day series is a plain GROUP BY.
CREATE TABLE practice_sessions (
    id           text    PRIMARY KEY,   -- client-supplied (idempotent retries) or generated
    slug         text    NOT NULL,
    started_at   bigint  NOT NULL,
    local_date   text    NOT NULL,      -- yyyy-MM-dd
    minutes      integer NOT NULL,
    note         text    NULL,
    recorded_at  bigint  NOT NULL,
    updated_at   bigint  NOT NULL
);
CREATE INDEX practice_sessions_date ON practice_sessions (local_date);
CREATE INDEX practice_sessions_slug ON practice_sessions (slug, local_date);
