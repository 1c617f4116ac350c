"""Yearly record numbers: ``<prefix>-<year>-<nnn>`` (e.g. CA-2026-001 for a corrective action, SV-2026-01 for a
survey campaign)."""

from __future__ import annotations

from django.db.models import Model
from django.utils import timezone


def next_number(model: type[Model], prefix: str, today=None, width: int = 3, field: str = "number") -> str:
    """The next free number of the year. Call inside the writing transaction; the unique constraint on ``field``
    refuses a concurrent duplicate."""
    year = (today or timezone.localdate()).year
    head = f"{prefix}-{year}-"
    taken = model._default_manager.filter(**{f"{field}__startswith": head}).values_list(field, flat=True)
    numbers = [int(n[len(head):]) for n in taken if n[len(head):].isdigit()]
    return f"{head}{max(numbers, default=0) + 1:0{width}d}"
