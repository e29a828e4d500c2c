-- The owner's 52-week series sums evidence and practice per day over the whole stack: indexes that hold the summed
-- columns answer it from the index alone (the day's rows are no longer fetched one by one). They replace the
-- day-only indexes, whose every use they serve.
CREATE INDEX evidence_days_series ON evidence_days (day, evidence);
DROP INDEX evidence_days_day;
CREATE INDEX practice_days_series ON practice_days (local_date, minutes, blocks);
DROP INDEX practice_days_date;
