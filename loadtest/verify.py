"""After the load and fault run: every write the load test saw acknowledged is in the database, and no ticket is
half-written. Exit status 1 when anything is missing or inconsistent.

    DJANGO_SETTINGS_MODULE=config.settings.production .venv/bin/python loadtest/verify.py var/loadtest/acked.jsonl

Checks:
- every acknowledged ticket (HTTP 201) exists with the number the response gave;
- every acknowledged progress note exists on its ticket;
- every acknowledged step has its event (``TicketEvent``) on the ticket;
- every acknowledged rating has its callback;
- no ticket at all (not only the load test's) is half-written: each has a number, a creation event, and an
  event for the step that set its present status; each callback has its ticket's ``rate``/``callback`` event.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

# the step whose event must exist for a ticket in this status (a ticket moved there without it is half-written)
STATUS_STEP = {"accepted": None, "assigned": "assign", "in_progress": "start", "resolved": "resolve",
               "called_back": None, "closed": "close", "cancelled": "cancel", "reopened": None, "submitted": None}


def main(path: str) -> int:
    import django

    django.setup()
    from django.db.models import Exists, OuterRef, Q

    from wuye.tickets.models import Callback, ProgressNote, Ticket, TicketEvent

    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    kinds = Counter(r["kind"] for r in rows)
    problems: list[str] = []

    tickets = {r["id"]: r["number"] for r in rows if r["kind"] == "ticket"}
    found = dict(Ticket.objects.filter(pk__in=tickets).values_list("pk", "number"))
    missing = [pk for pk in tickets if pk not in found]
    renumbered = [pk for pk, number in tickets.items() if pk in found and found[pk] != number]
    if missing:
        problems.append(f"{len(missing)} acknowledged tickets missing, e.g. {missing[:10]}")
    if renumbered:
        problems.append(f"{len(renumbered)} tickets with another number than acknowledged, e.g. {renumbered[:10]}")

    notes = {r["id"] for r in rows if r["kind"] == "note"}
    found_notes = set(ProgressNote.objects.filter(pk__in=notes).values_list("pk", flat=True))
    if notes - found_notes:
        problems.append(f"{len(notes - found_notes)} acknowledged progress notes missing, "
                        f"e.g. {sorted(notes - found_notes)[:10]}")

    steps = {(r["ticket"], r["step"]) for r in rows if r["kind"] == "step"}
    found_steps = set(TicketEvent.objects.filter(ticket_id__in={t for t, _ in steps},
                                                 step__in={s for _, s in steps}).values_list("ticket_id", "step"))
    if steps - found_steps:
        problems.append(f"{len(steps - found_steps)} acknowledged steps without their event, "
                        f"e.g. {sorted(steps - found_steps)[:10]}")

    rated = {r["ticket"] for r in rows if r["kind"] == "rate"}
    found_rated = set(Callback.objects.filter(ticket_id__in=rated).values_list("ticket_id", flat=True))
    if rated - found_rated:
        lost = sorted(rated - found_rated)
        problems.append(f"{len(lost)} acknowledged ratings missing, e.g. {lost[:10]}")

    # half-written tickets, over the whole table
    events = TicketEvent.objects.filter(ticket=OuterRef("pk"))
    no_number = Ticket.objects.filter(Q(number="") | Q(number__isnull=True)).count()
    no_create = Ticket.objects.filter(~Exists(events.filter(step="create"))).count()
    if no_number:
        problems.append(f"{no_number} tickets without a number")
    if no_create:
        problems.append(f"{no_create} tickets without their creation event")
    for status, step in STATUS_STEP.items():
        if step is None:
            continue
        bad = Ticket.objects.filter(status=status).filter(~Exists(events.filter(step=step))).count()
        if bad:
            problems.append(f"{bad} tickets {status} without a {step} event")
    orphan_callbacks = Callback.objects.filter(~Exists(TicketEvent.objects.filter(
        ticket=OuterRef("ticket"), step__in=["rate", "callback"]))).count()
    if orphan_callbacks:
        problems.append(f"{orphan_callbacks} callbacks without their ticket's rate/callback event")

    print(f"verify: acknowledged writes checked: {dict(kinds)}; tickets in the database: {Ticket.objects.count()}")
    if problems:
        for p in problems:
            print(f"verify: FAIL {p}")
        return 1
    print("verify: OK — no acknowledged write is missing, no ticket is half-written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "var" / "loadtest" / "acked.jsonl")))
