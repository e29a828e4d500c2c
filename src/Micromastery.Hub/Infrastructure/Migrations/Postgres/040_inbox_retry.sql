-- An event whose processing failed waits before its next attempt (backoff); a storage outage counts no attempt.
ALTER TABLE inbox_events ADD COLUMN next_attempt_at bigint NOT NULL DEFAULT 0;
-- How the event reached the inbox: 0 by webhook, 1 recovered by reconciliation with the provider's own log.
ALTER TABLE inbox_events ADD COLUMN via integer NOT NULL DEFAULT 0;
