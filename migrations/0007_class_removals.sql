-- Students a teacher removed from a class, with the join code the class had then: with that
-- code unchanged they cannot join again by themselves (today `POST /classes/join` put them
-- straight back). The teacher re-admits them from the class page, which deletes the row.
CREATE TABLE class_removals (
    class_id   INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    join_code  TEXT NOT NULL,
    removed_at INTEGER NOT NULL,
    PRIMARY KEY (class_id, user_id)
) WITHOUT ROWID;
