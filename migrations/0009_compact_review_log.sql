-- The review log, compacted: about 345 bytes a review (the table and its four indexes) down
-- to under 200, measured with SQLite's dbstat on the benchmark's seeded database.
--
-- * A card gets a small number that never changes (`card_keys.key`), stored in the log in
--   place of its text id, which was repeated in the table and in three indexes. Cards are
--   never deleted (a card that leaves the dataset is retired), so neither are their keys.
-- * A review id that is a UUID in canonical form (lower case, hyphenated: what the server
--   stores since the sync API landed) is kept as its 16 bytes; any other id (older web
--   answers) stays the text it was, so that every id reads back exactly as written (the id
--   seeds the scheduler's fuzz).
-- * The two indexes that began with (user_id, card_id) become one: the answer path reads a
--   card's reviews in time order and the class reports read them with `correct`; both are
--   served by (user_id, card, answered_at, correct).
-- The API keeps speaking UUID strings and card ids; `db::review_id` and the queries (joining `card_keys`) convert at the edge.

CREATE TABLE card_keys (
    key     INTEGER PRIMARY KEY,
    card_id TEXT NOT NULL UNIQUE REFERENCES cards(id)
);
INSERT INTO card_keys (card_id) SELECT id FROM cards ORDER BY rowid;
-- Every card has a key from the moment it exists (deck import, or any other insert).
CREATE TRIGGER cards_take_a_key AFTER INSERT ON cards
BEGIN
    INSERT OR IGNORE INTO card_keys (card_id) VALUES (NEW.id);
END;

CREATE TABLE reviews_compact (
    entry        INTEGER PRIMARY KEY,
    id           BLOB NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    card         INTEGER NOT NULL REFERENCES card_keys(key),
    answered_at  INTEGER NOT NULL,
    rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    correct      INTEGER NOT NULL,
    given_answer TEXT NOT NULL,
    duration_ms  INTEGER NOT NULL,
    presentation TEXT NOT NULL,
    device_id    TEXT NOT NULL,
    received_at  INTEGER NOT NULL
);
-- Same entries, same order. A review whose card is unknown would meet NOT NULL on `card`
-- and stop the migration (nothing is changed then) rather than be dropped.
INSERT INTO reviews_compact (entry, id, user_id, card, answered_at, rating, correct,
                             given_answer, duration_ms, presentation, device_id, received_at)
SELECT r.entry,
       CASE WHEN length(r.id) = 36 AND r.id = lower(r.id)
                 AND substr(r.id, 9, 1) = '-' AND substr(r.id, 14, 1) = '-'
                 AND substr(r.id, 19, 1) = '-' AND substr(r.id, 24, 1) = '-'
                 AND length(replace(r.id, '-', '')) = 32
                 AND unhex(replace(r.id, '-', '')) IS NOT NULL
            THEN unhex(replace(r.id, '-', ''))
            ELSE r.id END,
       r.user_id, k.key, r.answered_at, r.rating, r.correct, r.given_answer, r.duration_ms,
       r.presentation, r.device_id, r.received_at
FROM reviews r LEFT JOIN card_keys k ON k.card_id = r.card_id
ORDER BY r.entry;
DROP TABLE reviews;
ALTER TABLE reviews_compact RENAME TO reviews;

-- Which query each index serves (EXPLAIN QUERY PLAN on the benchmark's database):
-- reviews_user_id: a sync's or a form's "is this id stored" (and the insert's uniqueness).
-- reviews_user_card: a card's reviews for replay, new cards today, tallies, missed, an
--   event's history, the student's missed cards in a class.
-- reviews_user_time: answers today, study days, the statistics' log, the weekly fit list,
--   the class roster, class answers, finished cards, first answers, the account's count.
CREATE UNIQUE INDEX reviews_user_id ON reviews(user_id, id);
CREATE INDEX reviews_user_card ON reviews(user_id, card, answered_at, correct);
CREATE INDEX reviews_user_time ON reviews(user_id, answered_at, card, correct);

-- The log as it reads with text ids, for people looking into the file (and tests); the
-- server itself reads `reviews`.
CREATE VIEW reviews_as_text AS
SELECT r.entry,
       CASE WHEN typeof(r.id) = 'blob'
            THEN lower(substr(hex(r.id), 1, 8) || '-' || substr(hex(r.id), 9, 4) || '-' ||
                       substr(hex(r.id), 13, 4) || '-' || substr(hex(r.id), 17, 4) || '-' ||
                       substr(hex(r.id), 21))
            ELSE r.id END AS id,
       r.user_id, k.card_id, r.answered_at, r.rating, r.correct, r.given_answer,
       r.duration_ms, r.presentation, r.device_id, r.received_at
FROM reviews r JOIN card_keys k ON k.key = r.card;
