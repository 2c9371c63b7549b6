-- One-time password reset links, made by a teacher for a student of their class or by the
-- server's command line (`made_by` NULL). Only a SHA-256 of the link's token is stored; a
-- link works once (`used_at`) and until `expires_at`, one day after it was made.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    made_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX password_resets_user ON password_resets(user_id);
