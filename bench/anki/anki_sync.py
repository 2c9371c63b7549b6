"""Anki's side of the sync comparison, driven by chronicle-bench.

For each repetition: a fresh collection with CARDS cards (one Basic note each) is fully
uploaded to the running `python -m anki.syncserver`; then PER_CARD reviews of every card are
made through Anki's own scheduler (real review-log rows and card states, marked for sync);
then the incremental `sync_collection` that sends them is timed, and after it a sync with
nothing to send. Prints one JSON object on stdout; progress goes to stderr.

Usage: anki_sync.py ENDPOINT USER PASSWORD WORKDIR CARDS PER_CARD REPS
"""

import json
import os
import sys
import time

from anki.collection import Collection
from anki.sync_pb2 import SyncCollectionResponse


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def one_rep(endpoint, user, password, path, cards, per_card):
    col = Collection(path)
    basic = col.models.by_name("Basic")
    deck_id = col.decks.id("Bench")
    for i in range(cards):
        note = col.new_note(basic)
        note["Front"] = f"Question {i}"
        note["Back"] = f"Answer {i}"
        col.add_note(note, deck_id)
    auth = col.sync_login(username=user, password=password, endpoint=endpoint)

    # A new collection meets the server's copy from the previous repetition: Anki asks for
    # a full sync, and we upload. Timed too, but it is setup, not the comparison.
    t0 = time.perf_counter()
    out = col.sync_collection(auth, False)
    if out.required in (SyncCollectionResponse.FULL_SYNC, SyncCollectionResponse.FULL_UPLOAD):
        col.close_for_full_sync()
        col.full_upload_or_download(auth=auth, server_usn=None, upload=True)
        col.reopen(after_full_sync=True)
    full = time.perf_counter() - t0
    out = col.sync_collection(auth, False)
    assert out.required == SyncCollectionResponse.NO_CHANGES, out

    # PER_CARD answers of every card through the v3 scheduler, as a learner's device would
    # record them (ratings cycle through 1-4, like Chronicle's batch).
    t0 = time.perf_counter()
    card_ids = col.find_cards("deck:Bench")
    assert len(card_ids) == cards, len(card_ids)
    for c, cid in enumerate(card_ids):
        card = col.get_card(cid)
        card.start_timer()
        for k in range(per_card):
            col.sched.answerCard(card, 1 + (c * 7 + k * 3) % 4)
    answering = time.perf_counter() - t0
    revlog = col.db.scalar("select count() from revlog where usn = -1")
    assert revlog == cards * per_card, revlog

    t0 = time.perf_counter()
    out = col.sync_collection(auth, False)
    incremental = time.perf_counter() - t0
    assert out.required == SyncCollectionResponse.NO_CHANGES, out
    pending = col.db.scalar("select count() from revlog where usn = -1")
    assert pending == 0, pending

    t0 = time.perf_counter()
    out = col.sync_collection(auth, False)
    noop = time.perf_counter() - t0
    col.close()
    return {
        "full_upload_s": full,
        "answering_s": answering,
        "incremental_s": incremental,
        "noop_s": noop,
        "reviews": revlog,
    }


def main():
    endpoint, user, password, workdir = sys.argv[1:5]
    cards, per_card, reps = (int(x) for x in sys.argv[5:8])
    os.makedirs(workdir, exist_ok=True)
    runs = []
    for rep in range(reps):
        path = os.path.join(workdir, f"collection-{rep}.anki2")
        runs.append(one_rep(endpoint, user, password, path, cards, per_card))
        log(f"anki rep {rep}: {runs[-1]}")
    import anki.buildinfo

    print(json.dumps({"anki_version": anki.buildinfo.version, "runs": runs}))


if __name__ == "__main__":
    main()
