-- Two indexes of the card states that no query needs, dropped: every answer rewrites its
-- card's state, and with it an entry of each index whose columns it changes (due, state,
-- stability, seq): a delete and an insert, and a page more for the commit to write to the
-- WAL and the checkpointer to copy back (the commit was the answer's largest cost in the
-- load benchmark's profile).
-- * card_states_due (user_id, due): no query reads states by due date; the study queue and
--   the dashboard read a learner's states whole (kept in memory since the learner summary).
-- * card_states_user_state (user_id, state, card_id, stability): the class reports read a
--   member's graduated states, and the primary key (user_id, card_id) serves both: one
--   range of a learner's few dozen states, or one probe per assignment card.
-- Kept: the primary key, and card_states_seq (user_id, seq), which serves the sync API's
-- "states changed since the cursor" in order without sorting.
DROP INDEX card_states_due;
DROP INDEX card_states_user_state;
