-- Teachers' classes, their members and assignments.
CREATE TABLE classes (
    id          INTEGER PRIMARY KEY,
    teacher_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    join_code   TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    archived_at INTEGER
);
CREATE INDEX classes_teacher ON classes(teacher_id, archived_at);

-- A teacher sees a student's work in the class from `joined_at` on, nothing earlier.
CREATE TABLE class_members (
    class_id  INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (class_id, user_id)
);
CREATE INDEX class_members_user ON class_members(user_id);

-- `selection_json` is what the teacher chose (deck, eras, tags, events, kinds, cards);
-- assignment_cards is that selection resolved against the deck when it was saved.
CREATE TABLE assignments (
    id             INTEGER PRIMARY KEY,
    class_id       INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    deck_id        TEXT NOT NULL,
    selection_json TEXT NOT NULL,
    goal           TEXT NOT NULL CHECK (goal IN ('right_once', 'stability')),
    goal_stability REAL,
    due_date       TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX assignments_class ON assignments(class_id);

CREATE TABLE assignment_cards (
    assignment_id INTEGER NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
    card_id       TEXT NOT NULL,
    PRIMARY KEY (assignment_id, card_id)
) WITHOUT ROWID;

-- Class reports read members' answers since they joined: cover them without the table
-- (the wider index serves every query of the old one).
DROP INDEX reviews_user_time;
CREATE INDEX reviews_user_time ON reviews(user_id, answered_at, card_id, correct);
CREATE INDEX reviews_user_card_correct ON reviews(user_id, card_id, correct, answered_at);

-- The roster counts each member's graduated cards and their stability without the table.
CREATE INDEX card_states_user_state ON card_states(user_id, state, card_id, stability);
