"""Writes fsrs6_py.json: memory states and intervals for review histories, computed with
py-fsrs (an FSRS-6 implementation independent of the Rust `fsrs` crate Chronicle uses).

Run it from the repository root, with py-fsrs in a virtual environment under target/:

    python3 -m venv target/pyfsrs
    target/pyfsrs/bin/pip install 'fsrs==6.3.2'
    target/pyfsrs/bin/python server/tests/golden/make_fsrs6_table.py

The histories are drawn from a fixed seed. Every answer is given at noon UTC, so py-fsrs's
days (24-hour periods) and Chronicle's (calendar days of a learner in UTC rolling over at
midnight) are the same days. py-fsrs runs without learning steps and without fuzz: the table
pins the FSRS-6 formulas (initial, short-term, recall and forget stability, difficulty,
interval), which steps and fuzz only wrap.
"""

import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import fsrs
from fsrs import Card, Rating, Scheduler

HISTORIES = 40
OUT = Path(__file__).with_name("fsrs6_py.json")


def history(rng: random.Random) -> list[tuple[float, int]]:
    """(days after the first answer, rating) pairs, oldest first."""
    out = []
    day = 0.0
    for _ in range(rng.randint(2, 12)):
        out.append((day, rng.choices([1, 2, 3, 4], weights=[2, 1, 6, 1])[0]))
        # Mostly days or weeks later; sometimes the same day (short-term stability).
        gap = rng.choice([0, 0, 1, 1, 2, 3, 5, 8, 13, 21, 40, 90])
        day += gap if gap else 10 / 1440
    return out


def main() -> None:
    rng = random.Random(20261201)
    start = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)
    tables = []
    for retention in (0.9, 0.8, 0.95):
        scheduler = Scheduler(
            desired_retention=retention,
            learning_steps=(),
            relearning_steps=(),
            enable_fuzzing=False,
        )
        for _ in range(HISTORIES // 4 if retention != 0.9 else HISTORIES // 2):
            card = Card()
            steps = []
            for days, rating in history(rng):
                when = start + timedelta(days=days)
                card, _ = scheduler.review_card(card, Rating(rating), when)
                steps.append(
                    {
                        "answered_at": int(when.timestamp()),
                        "rating": rating,
                        "stability": card.stability,
                        "difficulty": card.difficulty,
                        "interval_days": round((card.due - when) / timedelta(days=1)),
                    }
                )
            tables.append({"desired_retention": retention, "reviews": steps})
    OUT.write_text(
        json.dumps(
            {"generator": f"py-fsrs {fsrs.__version__ if hasattr(fsrs, '__version__') else '6.3.2'}",
             "histories": tables},
            indent=1,
        )
        + "\n"
    )
    print(f"wrote {len(tables)} histories to {OUT}")


if __name__ == "__main__":
    main()
