-- Bearer tokens for the sync API, one per device. Only a SHA-256 of the token is stored, so a
-- leaked database cannot be used to sync as anyone. A revoked token keeps its row (with the
-- time it was revoked) so the account page can say when a device was cut off.
CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    device_name TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    last_used   INTEGER,
    revoked_at  INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id, revoked_at);

-- The sync cursor: every change to a learner's card state takes the next number of that
-- learner's counter, so "changed since cursor N" is one range scan of card_states_seq.
-- States that exist before this migration keep seq 0 and are sent to a client that has no
-- cursor yet (the first download asks for seq > -1).
ALTER TABLE users ADD COLUMN sync_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE card_states ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX card_states_seq ON card_states(user_id, seq);
