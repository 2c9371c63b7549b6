-- Card states keyed by (user_id, card_id) alone: a WITHOUT ROWID table, so a learner's
-- states are one range of the table itself. With a rowid, every state read through the
-- primary key's index was then looked up again in the table (about 40 % of reading a
-- learner's states, the largest query of the study queue and the dashboard, in the load
-- benchmark's profile), and every save updated both. Same columns, checks and indexes.
CREATE TABLE card_states_new (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    card_id     TEXT NOT NULL REFERENCES cards(id),
    stability   REAL NOT NULL,
    difficulty  REAL NOT NULL,
    due         INTEGER NOT NULL,
    last_review INTEGER NOT NULL,
    reps        INTEGER NOT NULL,
    lapses      INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('learning', 'review', 'relearning')),
    seq         INTEGER NOT NULL DEFAULT 0,
    step        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, card_id)
) WITHOUT ROWID;
INSERT INTO card_states_new (user_id, card_id, stability, difficulty, due, last_review, reps,
                             lapses, state, seq, step)
    SELECT user_id, card_id, stability, difficulty, due, last_review, reps, lapses, state, seq,
           step
    FROM card_states;
DROP TABLE card_states;
ALTER TABLE card_states_new RENAME TO card_states;
CREATE INDEX card_states_due ON card_states(user_id, due);
CREATE INDEX card_states_user_state ON card_states(user_id, state, card_id, stability);
CREATE INDEX card_states_seq ON card_states(user_id, seq);
