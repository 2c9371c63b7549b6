"""Opens Chronicle's Anki exports with the real Anki library (the `anki` package from PyPI)
and checks them against the deck files and what this script did. Run by scripts/anki-check
against a running server: python anki_check.py BASE_URL QUESTIONS_DIR WORK_DIR.

1. The deck export of every deck: one note per card the API lists, of the "Chronicle" note
   type with its fields; each note's event, date, summary and source as the deck's TOML
   says; every card new, no review history.
2. A learner's own export after this script synced answers for a few cards: one note per
   studied card, every answer as a review-log row (ratings in order), each card in the
   phase, with the repetitions, memory state and due day that Chronicle reports.
Exits non-zero on the first mismatch, saying what differs.
"""

import html
import http.cookiejar
import json
import os
import re
import sys
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
import uuid

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

EXPECTED_FIELDS = ["Question", "Choices", "Answer", "Event", "Date", "Summary", "Source", "Chronicle card"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
PASSWORD = "quiet-river-lantern-42"
checks = 0


def fail(message):
    print(f"anki-check: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    global checks
    checks += 1
    if not condition:
        fail(message)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def written(value):
    """A TOML date (`1979`, `1979-01`, `1979-01-07`) as learners read it: `7 January 1979`."""
    text = str(value)
    parts = text.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def plain(field):
    """An Anki field's HTML as text."""
    return html.unescape(re.sub(r"<br>", "\n", field))


def import_package(path, work, name, with_scheduling):
    col = Collection(os.path.join(work, f"{name}.anki2"))
    request = ImportAnkiPackageRequest(
        package_path=path,
        options=ImportAnkiPackageOptions(with_scheduling=with_scheduling),
    )
    col.import_anki_package(request)
    return col


def main():
    base, questions_dir, work = sys.argv[1], sys.argv[2], sys.argv[3]
    # A debug build loads and lints the shipped decks first: up to half a minute on a busy machine.
    deadline = time.time() + 180
    while True:
        try:
            urllib.request.urlopen(base + "/healthz")
            break
        except Exception:
            if time.time() > deadline:
                fail("the server did not answer /healthz within 180 s")
            time.sleep(0.1)

    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = browser.open(base + "/register").read().decode()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf_token": csrf, "username": "anki-check",
                                   "password": PASSWORD, "role": "learner"}).encode()
    try:
        browser.open(base + "/register", form)
    except urllib.error.HTTPError as e:
        check(e.code == 303, f"registering answered {e.code}")

    def api(path, body=None):
        request = urllib.request.Request(base + path, json.dumps(body).encode() if body is not None else None,
                                         {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})})
        return json.load(urllib.request.urlopen(request))

    token = None
    token = api("/api/v1/tokens", {"username": "anki-check", "password": PASSWORD,
                                   "device_name": "anki-check"})["token"]

    def download(path, name):
        response = browser.open(base + path)
        check(response.status == 200, f"{path} answered {response.status}")
        disposition = response.headers.get("Content-Disposition", "")
        check(disposition.startswith("attachment;") and ".apkg" in disposition,
              f"{path}: Content-Disposition {disposition!r}")
        out = os.path.join(work, name)
        with open(out, "wb") as f:
            f.write(response.read())
        return out

    tomls = {}
    for file in sorted(os.listdir(questions_dir)):
        if file.endswith(".toml"):
            with open(os.path.join(questions_dir, file), "rb") as f:
                data = tomllib.load(f)
            tomls[data["deck"]["id"]] = data

    decks = api("/api/v1/decks")
    deck_list = decks["decks"] if isinstance(decks, dict) else decks
    check(len(deck_list) == len(tomls), f"the API lists {len(deck_list)} decks, the TOML files {len(tomls)}")
    date_cards = []
    for deck in deck_list:
        deck_id = deck["id"]
        toml = tomls[deck_id]
        events = {e["id"]: e for e in toml.get("event", [])}
        documents = {d["id"]: d["title"] for d in toml.get("document", [])}
        cards = api(f"/api/v1/decks/{urllib.parse.quote(deck_id)}/cards")["cards"]
        path = download(f"/decks/{urllib.parse.quote(deck_id)}/anki.apkg", f"{deck_id}.apkg")
        col = import_package(path, work, f"deck-{deck_id}", with_scheduling=False)
        note_ids = col.find_notes("")
        check(len(note_ids) == len(cards),
              f"{deck_id}: {len(note_ids)} notes in Anki, {len(cards)} cards in the deck")
        check(col.card_count() == len(cards), f"{deck_id}: {col.card_count()} Anki cards")
        check(col.db.scalar("select count() from revlog") == 0, "a deck export carries no history")
        by_card = {}
        for nid in note_ids:
            note = col.get_note(nid)
            check(note.note_type()["name"] == "Chronicle", f"note type {note.note_type()['name']}")
            check(list(note.keys()) == EXPECTED_FIELDS, f"fields {list(note.keys())}")
            by_card[plain(note["Chronicle card"])] = note
        check(set(by_card) == {c["id"] for c in cards}, f"{deck_id}: notes and cards differ")
        checked_events = 0
        for card in cards:
            note = by_card[card["id"]]
            check(note.guid == card["id"], f"guid {note.guid} of {card['id']}")
            check(plain(note["Question"]).strip() != "", f"{card['id']}: empty question")
            check(plain(note["Answer"]).strip() != "", f"{card['id']}: empty answer")
            check(deck_id in " ".join(note.tags), f"{card['id']}: tags {note.tags}")
            subject = card["id"].split("/")[0]
            event = events.get(subject)
            if event is None:
                continue
            checked_events += 1
            check(plain(note["Event"]) == event["title"],
                  f"{card['id']}: Event {note['Event']!r}, the TOML says {event['title']!r}")
            check(plain(note["Summary"]) == event["summary"],
                  f"{card['id']}: Summary {note['Summary']!r}, the TOML says {event['summary']!r}")
            date = plain(note["Date"])
            if event.get("date_inferred"):
                # No article gives the date: the note says how they place it, never the
                # inferred year unless their own words carry it.
                told = event.get("date_as_told", "")
                check("date not stated in the sources" in date,
                      f"{card['id']}: Date {date!r} does not say the date is not stated")
                check(told in date, f"{card['id']}: Date {date!r} lacks the TOML's date_as_told {told!r}")
                year = str(event["date"])[:4]
                check(year not in date or year in told,
                      f"{card['id']}: Date {date!r} states the inferred year {year}")
            elif "date_as_told" in event:
                # The articles dispute the date: the note words how each dates it.
                told = event["date_as_told"]
                check(told in date, f"{card['id']}: Date {date!r} lacks the TOML's date_as_told {told!r}")
            else:
                check(written(event["date"]) in date, f"{card['id']}: Date {date!r}, the TOML says {event['date']}")
            if "end_date" in event and not event.get("date_inferred") and "date_as_told" not in event:
                check(written(event["end_date"]) in date, f"{card['id']}: Date {date!r} lacks the end {event['end_date']}")
            quotes = {s["quote"]: documents.get(s["document"], s["document"]) for s in event.get("source", [])}
            source_lines = [l for l in plain(note["Source"]).split("\n") if l]
            if card["kind"] != "chronology":
                check(source_lines, f"{card['id']}: no source")
                for line in source_lines:
                    check(any(q in line and title in line for q, title in quotes.items()),
                          f"{card['id']}: source {line!r} is none of the event's quotes")
            if card["kind"] == "date":
                check(written(event["date"]) in plain(note["Answer"]),
                      f"{card['id']}: the answer {note['Answer']!r} is not the date {event['date']}")
                date_cards.append(card["id"])
            if card["kind"] == "place":
                check(plain(note["Answer"]) == event["place"],
                      f"{card['id']}: the answer {note['Answer']!r} is not the place {event['place']!r}")
        check(checked_events > 0, f"{deck_id}: no note checked against an event")
        for cid in col.find_cards(""):
            check(col.get_card(cid).type == 0, "every card of a deck export is new")
        col.close()
        print(f"anki-check: {deck_id}: {len(cards)} notes imported, fields match the TOML")

    # The learner's own export: answers on five date cards, synced with known ratings.
    check(len(date_cards) >= 5, "fewer than five date cards to study")
    day = 86_400_000
    t0 = int(time.time() * 1000) - 30 * day
    plans = {
        date_cards[0]: [(0, 3), (10 * 60_000, 3), (2 * day, 3), (9 * day, 3)],  # reviews well
        date_cards[1]: [(0, 3), (10 * 60_000, 3), (3 * day, 1)],  # lapses: relearning
        date_cards[2]: [(0, 1)],  # still learning
        date_cards[3]: [(0, 4)],
        date_cards[4]: [(0, 3), (60_000, 2), (11 * 60_000, 3)],
    }
    reviews = []
    for card_id, plan in plans.items():
        for at, rating in plan:
            reviews.append({"id": str(uuid.uuid4()), "card_id": card_id, "rating": rating,
                            "answered_at": t0 + at, "duration_ms": 4200, "given_answer": ""})
    synced = api("/api/v1/sync", {"device_id": "anki-check", "reviews": reviews})
    check(synced["accepted"] == len(reviews), f"sync accepted {synced['accepted']} of {len(reviews)}: {synced}")
    states = {s["card_id"]: s for s in synced["changed"]}
    check(set(states) == set(plans), "sync reports a state for each card answered")

    path = download("/account/anki.apkg", "mine.apkg")
    col = import_package(path, work, "mine", with_scheduling=True)
    note_ids = col.find_notes("")
    check(len(note_ids) == len(plans), f"{len(note_ids)} notes in the learner's export, {len(plans)} cards studied")
    revlog = col.db.scalar("select count() from revlog")
    check(revlog == len(reviews), f"{revlog} review-log rows, {len(reviews)} answers given")
    kinds = {"learning": 1, "review": 2, "relearning": 3}
    today = col.sched.today
    now = time.time()
    for nid in note_ids:
        note = col.get_note(nid)
        card_id = plain(note["Chronicle card"])
        card = note.cards()[0]
        state = states[card_id]
        eases = col.db.list("select ease from revlog where cid = ? order by id", card.id)
        check(eases == [r for _, r in plans[card_id]], f"{card_id}: ratings {eases}, sent {plans[card_id]}")
        check(card.type == kinds[state["phase"]], f"{card_id}: Anki type {card.type}, Chronicle {state['phase']}")
        check(card.reps == state["reps"] and card.lapses == state["lapses"],
              f"{card_id}: reps/lapses {card.reps}/{card.lapses}, Chronicle {state['reps']}/{state['lapses']}")
        check(card.memory_state is not None
              and abs(card.memory_state.stability - state["stability"]) < 0.01
              and abs(card.memory_state.difficulty - state["difficulty"]) < 0.01,
              f"{card_id}: memory {card.memory_state}, Chronicle s={state['stability']} d={state['difficulty']}")
        if state["phase"] == "review":
            days_left = (state["due"] - now) / 86_400
            check(abs((card.due - today) - days_left) <= 1.5,
                  f"{card_id}: due in {card.due - today} days in Anki, {days_left:.1f} in Chronicle")
        else:
            check(abs(card.due - state["due"]) <= 1 or card.queue == 3,
                  f"{card_id}: due {card.due} in Anki, {state['due']} in Chronicle")
    col.close()
    print(f"anki-check: the learner's export: {len(note_ids)} notes, {revlog} review-log rows, schedules match")
    print(f"anki-check: {checks} passed, 0 failed")


if __name__ == "__main__":
    main()
