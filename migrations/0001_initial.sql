-- Decks and events mirror questions/*.toml; they are rewritten at start-up from the dataset.
-- Cards keep their id (`event_id/kind`) across dataset edits so progress survives rewording.
CREATE TABLE decks (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    source_file TEXT NOT NULL
);

CREATE TABLE events (
    id             TEXT PRIMARY KEY,
    deck_id        TEXT NOT NULL REFERENCES decks(id),
    date           TEXT NOT NULL,
    date_precision TEXT NOT NULL CHECK (date_precision IN ('year', 'month', 'day')),
    title          TEXT NOT NULL,
    summary        TEXT NOT NULL,
    place          TEXT,
    era            TEXT NOT NULL,
    payload_json   TEXT NOT NULL,
    retired        INTEGER NOT NULL DEFAULT 0
);

-- A card is one fact of one subject: an event (`event-id/date`) or a quote (`quote-id/speaker`).
CREATE TABLE cards (
    id         TEXT PRIMARY KEY,
    deck_id    TEXT NOT NULL REFERENCES decks(id),
    subject_id TEXT NOT NULL,
    kind       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    retired    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cards_deck ON cards(deck_id, retired, position);

CREATE TABLE users (
    id                INTEGER PRIMARY KEY,
    username          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name      TEXT NOT NULL,
    password_hash     TEXT NOT NULL,
    role              TEXT NOT NULL CHECK (role IN ('learner', 'teacher')),
    created_at        INTEGER NOT NULL,
    desired_retention REAL NOT NULL DEFAULT 0.9,
    new_per_day       INTEGER NOT NULL DEFAULT 20
);

-- Only a SHA-256 of the session token is stored, so a leaked database cannot be replayed.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_secret TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- The review log is the truth; card_states is a cache rebuilt by replaying it.
CREATE TABLE reviews (
    id           TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    card_id      TEXT NOT NULL REFERENCES cards(id),
    answered_at  INTEGER NOT NULL,
    rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    correct      INTEGER NOT NULL,
    given_answer TEXT NOT NULL,
    duration_ms  INTEGER NOT NULL,
    presentation TEXT NOT NULL,
    device_id    TEXT NOT NULL,
    received_at  INTEGER NOT NULL
);
CREATE INDEX reviews_user_card ON reviews(user_id, card_id, answered_at);
CREATE INDEX reviews_user_time ON reviews(user_id, answered_at);

CREATE TABLE card_states (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    card_id     TEXT NOT NULL REFERENCES cards(id),
    stability   REAL NOT NULL,
    difficulty  REAL NOT NULL,
    due         INTEGER NOT NULL,
    last_review INTEGER NOT NULL,
    reps        INTEGER NOT NULL,
    lapses      INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('learning', 'review', 'relearning')),
    PRIMARY KEY (user_id, card_id)
);
CREATE INDEX card_states_due ON card_states(user_id, due);
