"""Child process for the SIGKILL test: writes through the store and reports each commit.

Usage: python -m tests.store.crash_writer HOME MODE   (MODE: generate | review)
Each line on stdout is printed only after the store call returned, i.e. after
its transaction committed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from assistant.store import Store
from tests.conftest import TEST_PASSPHRASE
from tests.store.seed import add_suggestion, seed, start_generation


def main(home: Path, mode: str) -> None:
    store = Store.open(home, TEST_PASSPHRASE)
    seeded = seed(store, reviews=False)
    print(f"ready {seeded.case_id}", flush=True)
    n = 0
    while True:
        n += 1
        sid = add_suggestion(store, seeded, f"Brouillon numéro {n} pour <PERSONNE_1>.")
        print(f"pending {sid}", flush=True)
        if mode == "review":
            decision = ("accepted", "edited", "rejected")[n % 3]
            store.review(
                sid,
                decision=decision,
                final_text_deid=f"Texte retenu {n}." if decision == "edited" else None,
                final_text_raw=f"Texte retenu {n}." if decision != "rejected" else None,
                reason="Trop long" if decision == "rejected" else None,
            )
            print(f"{decision} {sid}", flush=True)
        elif n >= 5:
            # A generation that never ends: the parent kills us during it.
            gid = start_generation(store, seeded.note_id, seeded.case_id)
            print(f"generating {gid}", flush=True)
            time.sleep(60)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
