-- The keys that protect sign-in cookies and antiforgery tokens, in the shared database: a cookie signed on one hub is read by every hub.
CREATE TABLE data_protection_keys (
    name  text PRIMARY KEY,
    xml   text NOT NULL
);
