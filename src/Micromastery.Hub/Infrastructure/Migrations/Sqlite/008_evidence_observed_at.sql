-- The observation's time on its evidence rows, so "does this check have evidence from the practice window?"
-- is one index seek. Through the join it scanned every evidence row of the check when none was in the window
-- (old payments replayed, a micromastery restarted), once per recorded event: quadratic under a webhook burst.
-- Observations are never changed once stored, so the copy cannot drift.
ALTER TABLE evidence ADD COLUMN observed_at bigint NOT NULL DEFAULT 0;
UPDATE evidence SET observed_at = (SELECT o.observed_at FROM observations o WHERE o.id = evidence.observation_id);
CREATE INDEX evidence_window ON evidence (slug, check_id, observed_at);
