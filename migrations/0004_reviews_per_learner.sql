-- A review id is unique per learner, not across learners: a second account sending an id
-- that another account used was told "duplicate" and its answer dropped (and learned that
-- the id existed). The table is rebuilt with an append-ordered key: `entry` is the rowid, in
-- the order reviews arrived; the UUID is a unique index per learner. Inserting under a
-- random-UUID primary key was most of the time of a large sync (each insert landed on a
-- random page of the whole table; now it lands at the end, and in the learner's part of
-- the index).
CREATE TABLE reviews_by_learner (
    entry        INTEGER PRIMARY KEY,
    id           TEXT NOT NULL,
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
INSERT INTO reviews_by_learner (id, user_id, card_id, answered_at, rating, correct,
                                given_answer, duration_ms, presentation, device_id, received_at)
SELECT id, user_id, card_id, answered_at, rating, correct, given_answer, duration_ms,
       presentation, device_id, received_at
FROM reviews ORDER BY received_at, answered_at, id;
DROP TABLE reviews;
ALTER TABLE reviews_by_learner RENAME TO reviews;

CREATE UNIQUE INDEX reviews_user_id ON reviews(user_id, id);
CREATE INDEX reviews_user_card ON reviews(user_id, card_id, answered_at);
CREATE INDEX reviews_user_time ON reviews(user_id, answered_at, card_id, correct);
CREATE INDEX reviews_user_card_correct ON reviews(user_id, card_id, correct, answered_at);
