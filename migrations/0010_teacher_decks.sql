-- Decks teachers upload. The file as uploaded is the truth (it is what "download" gives
-- back); its events and cards are mirrored into `events` and `cards` like a shipped deck's,
-- under the deck's own id (`t.` and 8 hex digits, never a slug), so they never collide.
-- A new version replaces the text and bumps `version`; cards of events that left it are
-- retired, never deleted, so students keep their progress on the events that stayed.
CREATE TABLE teacher_decks (
    id          TEXT PRIMARY KEY,
    owner_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    file_name   TEXT NOT NULL,
    source_text TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX teacher_decks_owner ON teacher_decks(owner_id);
