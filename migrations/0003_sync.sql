-- Bearer tokens for the sync API, one per device; only a hash is stored.
CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    device_name TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    last_used   INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- The sync cursor: every change to a learner's card state takes the next number of that
-- learner's counter, so "changed since cursor N" is one indexed range.
ALTER TABLE users ADD COLUMN sync_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE card_states ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX card_states_seq ON card_states(user_id, seq);
