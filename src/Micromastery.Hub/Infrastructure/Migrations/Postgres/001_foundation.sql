-- Times are Unix milliseconds (bigint) and flags small integers, so the same queries run on SQLite and PostgreSQL.

-- Webhook inbox: every accepted delivery, stored before it is acknowledged. The table is the queue.
CREATE TABLE inbox_events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider      text    NOT NULL,
    event_id      text    NOT NULL,
    event_type    text    NOT NULL,
    received_at   bigint  NOT NULL,
    body          text    NOT NULL,
    state         integer NOT NULL DEFAULT 0,   -- 0 received, 1 processed, 2 ignored, 3 failed
    processed_at  bigint  NULL,
    attempts      integer NOT NULL DEFAULT 0,
    note          text    NULL,
    UNIQUE (provider, event_id)
);
CREATE INDEX inbox_events_received ON inbox_events (id) WHERE state = 0;

-- What the services showed the hub, by webhook or poll.
CREATE TABLE observations (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source       text   NOT NULL,
    kind         text   NOT NULL,
    external_id  text   NOT NULL,
    observed_at  bigint NOT NULL,
    url          text   NULL,
    facts        text   NOT NULL,
    recorded_at  bigint NOT NULL,
    UNIQUE (source, kind, external_id)
);

-- An observation that satisfies a check of a micromastery.
CREATE TABLE evidence (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug            text    NOT NULL,
    check_id        text    NOT NULL,
    observation_id  bigint  NOT NULL REFERENCES observations (id),
    created_at      bigint  NOT NULL,
    UNIQUE (slug, check_id, observation_id)
);
CREATE INDEX evidence_slug ON evidence (slug);

-- The last poll of each check: unknown / not configured states and staleness.
CREATE TABLE check_status (
    slug             text   NOT NULL,
    check_id         text   NOT NULL,
    state            text   NOT NULL,
    message          text   NULL,
    last_attempt_at  bigint NULL,
    last_success_at  bigint NULL,
    PRIMARY KEY (slug, check_id)
);

-- The first time each payoff was verified, kept forever.
CREATE TABLE payoffs (
    slug         text   PRIMARY KEY,
    verified_at  bigint NOT NULL
);
