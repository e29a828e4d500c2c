-- Weekly email and case-study drafts. Times are Unix milliseconds, as in 001.

-- One row per ISO week and recipient: the unique key is what makes the weekly email go out once.
-- state: claimed (a sender owns it, nothing sent yet) → sending (the SMTP transaction is about to
-- start) → sent; retrying (the server refused for now: another attempt may claim it); failed
-- (refused for good; error says why). A 'sending' row whose sender vanished is left alone: the
-- message may have been delivered, and the hub never risks a second copy (docs/email.md).
CREATE TABLE weekly_sends (
    iso_week    text    NOT NULL,
    recipient   text    NOT NULL,
    state       text    NOT NULL,
    message_id  text    NOT NULL,
    claimed_by  text    NOT NULL,
    claimed_at  bigint  NOT NULL,
    attempts    integer NOT NULL DEFAULT 1,
    sent_at     bigint  NULL,
    error       text    NULL,
    PRIMARY KEY (iso_week, recipient)
);

-- Case-study drafts: every rendering is kept as a new version.
CREATE TABLE case_study_drafts (
    slug        text    NOT NULL,
    version     integer NOT NULL,
    created_at  bigint  NOT NULL,
    reason      text    NOT NULL,
    markdown    text    NOT NULL,
    PRIMARY KEY (slug, version)
);
