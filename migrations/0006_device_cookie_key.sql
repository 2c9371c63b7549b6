-- Secrets the server makes for itself on first start and keeps across restarts. The first is
-- the key that signs device cookies (a browser that signed in to an account before keeps
-- signing in while strangers guessing that account's password are throttled).
CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    key  BLOB NOT NULL
) WITHOUT ROWID;
