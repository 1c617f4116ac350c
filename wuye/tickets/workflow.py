"""Which step may be taken from which status, and with which permission (the page shows only these)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import Step, TicketStatus

S = TicketStatus


@dataclass(frozen=True)
class Transition:
    step: str
    sources: frozenset[str]
    permission: str
    label: object
    style: str = "primary"


TRANSITIONS: dict[str, Transition] = {t.step: t for t in (
    Transition(Step.ACCEPT, frozenset({S.SUBMITTED}), "tickets.accept_ticket", _("Accept")),
    Transition(Step.ASSIGN, frozenset({S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED}),
               "tickets.assign_ticket", _("Assign")),
    Transition(Step.START, frozenset({S.ACCEPTED, S.ASSIGNED, S.REOPENED}), "tickets.handle_ticket",
               _("Start")),
    Transition(Step.RESOLVE, frozenset({S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED}),
               "tickets.handle_ticket", _("Resolve"), "success"),
    Transition(Step.CALLBACK, frozenset({S.RESOLVED}), "tickets.callback_ticket", _("Record callback")),
    Transition(Step.CLOSE, frozenset({S.RESOLVED, S.CALLED_BACK}), "tickets.close_ticket",
               pgettext_lazy("ticket step", "Close"), "secondary"),
    Transition(Step.REOPEN, frozenset({S.RESOLVED, S.CALLED_BACK}), "tickets.reopen_ticket", _("Reopen"),
               "warning"),
    Transition(Step.CANCEL, frozenset({S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED}),
               "tickets.cancel_ticket", pgettext_lazy("ticket step", "Cancel"), "danger"),
)}


def blocked_reason(ticket, step: str):
    """Why ``step`` cannot be taken now although the status allows it, or None."""
    if step == Step.CLOSE:
        if ticket.status == S.RESOLVED and ticket.callback_required:
            return _("This ticket needs a callback before it is closed.")
        if ticket.is_complaint and ticket.is_valid_complaint is None:
            return _("Record whether the complaint is valid before closing it.")
    return None


def can_take(ticket, user, step: str) -> bool:
    transition = TRANSITIONS[step]
    return (ticket.status in transition.sources and user.has_perm(transition.permission)
            and blocked_reason(ticket, step) is None)


def available_steps(ticket, user) -> list[Transition]:
    """The steps ``user`` may take on ``ticket`` now, in procedure order."""
    return [t for t in TRANSITIONS.values() if can_take(ticket, user, t.step)]
