-- Each learner's scheduling: learning and relearning steps (Anki's defaults), the longest
-- interval (a hundred years, as Anki and py-fsrs), the day as they live it (a time zone, NULL
-- for the server's default, and the hour the day rolls over), and their own FSRS parameters
-- (a JSON array; NULL for the defaults).
ALTER TABLE users ADD COLUMN learning_steps TEXT NOT NULL DEFAULT '1m 10m';
ALTER TABLE users ADD COLUMN relearning_steps TEXT NOT NULL DEFAULT '10m';
ALTER TABLE users ADD COLUMN maximum_interval INTEGER NOT NULL DEFAULT 36500
    CHECK (maximum_interval BETWEEN 1 AND 36500);
ALTER TABLE users ADD COLUMN time_zone TEXT;
ALTER TABLE users ADD COLUMN rollover_hour INTEGER NOT NULL DEFAULT 4
    CHECK (rollover_hour BETWEEN 0 AND 23);
ALTER TABLE users ADD COLUMN fsrs_parameters TEXT;

-- The (re)learning step a card is on. States from before keep 0 until their card is next
-- answered or rescheduled, when a replay of the log sets it.
ALTER TABLE card_states ADD COLUMN step INTEGER NOT NULL DEFAULT 0;

-- Each fit of a learner's own parameters, kept or not, with how well the old and the new
-- parameters predict the learner's own history.
CREATE TABLE parameter_fits (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    started_at      INTEGER NOT NULL,
    finished_at     INTEGER,
    reviews         INTEGER NOT NULL DEFAULT 0,
    log_loss_before REAL,
    rmse_before     REAL,
    log_loss_after  REAL,
    rmse_after      REAL,
    kept            INTEGER NOT NULL DEFAULT 0,
    parameters      TEXT,
    error           TEXT
);
CREATE INDEX parameter_fits_user ON parameter_fits(user_id, started_at);
