-- The owner's sign-in sessions (Access/OwnerSessions.cs). A sign-in cookie names its session; every request
-- with the cookie asks this table, so signing out (the row deleted) ends the session on every hub sharing
-- the database, and a copied cookie is worthless afterwards. Only a hash of the session id is kept.
CREATE TABLE owner_sessions (
    id_hash       text    PRIMARY KEY,
    signed_in_at  bigint  NOT NULL      -- Unix milliseconds
);
CREATE INDEX owner_sessions_signed_in_at ON owner_sessions (signed_in_at);
