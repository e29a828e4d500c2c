-- The facts a case-study draft was rendered from (a fingerprint of the verdict and the evidence), so the hub
-- can tell when a draft, or the published case study, no longer matches them. Null for drafts written before.
ALTER TABLE case_study_drafts ADD COLUMN facts text;
