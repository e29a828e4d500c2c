-- Re-confirmation at the source (docs/checks.md): the last answer the provider gave about one observed
-- object, by a re-check or a revoking webhook. Times are Unix milliseconds, as in 001.
-- state: confirmed | gone | changed | unknown | not re-checkable. confirmed_at keeps the last 'confirmed'
-- through later unknown answers, so an outage never erases when the source last vouched for it.
CREATE TABLE evidence_rechecks (
    observation_id  bigint  PRIMARY KEY REFERENCES observations (id),
    state           text    NOT NULL,
    detail          text    NULL,
    checked_at      bigint  NOT NULL,
    confirmed_at    bigint  NULL
);
