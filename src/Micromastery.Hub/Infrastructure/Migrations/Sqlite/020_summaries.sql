-- Summaries kept where the facts are written (docs/architecture.md, "Reads read summaries"): the ledger updates
-- them in the transaction that records evidence or a source's re-check answer, and practice writes update theirs,
-- so pages, badges, the feed and the API never scan the history. Times are Unix milliseconds, as in 001.
-- The rows are built for the stack that was in effect ('basis': the practice window, time zone and checks); a
-- micromastery whose basis no longer matches the stack is recomputed, alone, from its evidence. An existing
-- database gets its summaries the same way: this script creates empty tables and the hub fills them at start-up.

-- One micromastery: its evidence counted, the practice window's first and latest, and what its sources said since.
CREATE TABLE micromastery_summaries (
    slug               text   PRIMARY KEY,
    basis              text   NOT NULL,
    window_start       bigint NOT NULL,
    evidence_count     bigint NOT NULL,
    prior_count        bigint NOT NULL,   -- observed before the practice window: shown, never counted
    first_at           bigint NULL,       -- first and latest evidence in the window
    latest_at          bigint NULL,
    latest_any_at      bigint NULL,       -- latest evidence, prior included
    gone_count         bigint NOT NULL,   -- evidence in the window its source since called gone
    last_confirmed_at  bigint NULL        -- the last time a source confirmed any of its evidence
);

-- One check of a micromastery (evidence rows are per check): it holds when it has evidence in the window.
CREATE TABLE check_summaries (
    slug            text   NOT NULL,
    check_id        text   NOT NULL,
    evidence_count  bigint NOT NULL,
    prior_count     bigint NOT NULL,
    first_at        bigint NULL,
    latest_at       bigint NULL,
    PRIMARY KEY (slug, check_id)
);

-- Distinct repeatability contexts (repository, product, publication, …) of evidence in the window, with when each first showed.
CREATE TABLE repeat_contexts (
    slug               text   NOT NULL,
    context            text   NOT NULL,
    first_at           bigint NOT NULL,
    first_evidence_id  bigint NOT NULL,
    first_external_id  text   NOT NULL,
    evidence_count     bigint NOT NULL,
    PRIMARY KEY (slug, context)
);

-- Evidence per micromastery and day (its own time zone): the heatmap and the public 7-day timeline.
CREATE TABLE evidence_days (
    slug      text   NOT NULL,
    day       text   NOT NULL,   -- yyyy-MM-dd
    evidence  bigint NOT NULL,
    PRIMARY KEY (slug, day)
);
CREATE INDEX evidence_days_day ON evidence_days (day);

-- Practice per micromastery and day, and per micromastery in all, kept by the practice store's writes.
CREATE TABLE practice_days (
    slug        text    NOT NULL,
    local_date  text    NOT NULL,
    minutes     bigint  NOT NULL,
    blocks      bigint  NOT NULL,
    sessions    bigint  NOT NULL,
    PRIMARY KEY (slug, local_date)
);
CREATE INDEX practice_days_date ON practice_days (local_date);
CREATE TABLE practice_totals (
    slug        text    PRIMARY KEY,
    minutes     bigint  NOT NULL,
    last_date   text    NULL
);
INSERT INTO practice_days (slug, local_date, minutes, blocks, sessions)
    SELECT slug, local_date, SUM(minutes), SUM(CASE WHEN minutes >= 90 THEN 1 ELSE 0 END), count(*) FROM practice_sessions GROUP BY slug, local_date;
INSERT INTO practice_totals (slug, minutes, last_date)
    SELECT slug, SUM(minutes), MAX(local_date) FROM practice_days GROUP BY slug;

-- Evidence newest first, page by page (keyset on observed_at, id), and the evidence of one observation (a re-check answer).
CREATE INDEX evidence_newest ON evidence (slug, observed_at, id);
CREATE INDEX evidence_observation ON evidence (observation_id);
