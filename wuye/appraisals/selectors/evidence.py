"""The system's evidence beside an appraisal: for the appraisee and the period, the figures wuye holds.

``evidence_for(appraisee, start, end, *, manager=False, user=None)`` returns one entry per figure:
``{"key", "label", "value", "unit", "url"}``. The evidence never sets a score: the appraiser decides.

How the ticket figures are counted (the same rules as the complaint statistics, ``tickets.reports``): the tickets
**assigned to the appraisee** (their handler) and **reported in the period** (whole local days), cancelled ones left
out. One SQL aggregate over those tickets gives:

- tickets handled; resolved on time (resolved within the resolution limit) and the on-time rate (over resolved);
- the average handling time in hours (reporting to resolution, over resolved tickets);
- the callback satisfaction rate (rated Fairly satisfied or better, over rated tickets);
- tickets reopened at least once;
- complaints among the tickets they handled (tickets carry no link to the staff member a complaint is about).

For a manager (the page passes ``manager=True``, e.g. for the built-in "cs-manager" form) also:

- complaint reports produced: exports and prints of the complaint register, the complaint statistics and case
  files by the manager's user account (audit events ``report.export``);
- corrective actions of the quality app owned by them and raised in the period, and those closed in the period;
- management reviews chaired and held in the period; meetings chaired whose minutes are recorded, in the period;
- customer surveys run: campaigns the manager created that were launched in the period (not cancelled), and the
  satisfaction rate (满意率) of the survey answers of the period over the estates the manager serves
  (``surveys.selectors.results.satisfaction_rate``).

Trainings and budget execution are not yet in wuye: no entries for them.

``url`` links to the filtered list behind a figure when there is one and ``user`` (if given) may open it.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wuye.core.models import AuditEvent
from wuye.tickets.choices import TicketKind, TicketStatus
from wuye.tickets.models import Ticket
from wuye.tickets.reports import Period, ticket_aggregates, ticket_figures

# The built-in form of the customer-service manager (the standard's third part).
MANAGER_FORM_CODE = "cs-manager"
# The ticket reports counted as "complaint statistics produced" (``tickets.views.reports``' audit ``report``).
COMPLAINT_REPORTS = ("complaint_register", "complaint_stats", "case_file")


def _url(user, permission: str, name: str, **params) -> str | None:
    if user is not None and not user.has_perm(permission):
        return None
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse(name)}{'?' + query if query else ''}"


def _entry(key: str, label, value, unit: str = "", url: str | None = None) -> dict:
    return {"key": key, "label": label, "value": value, "unit": unit, "url": url}


def ticket_evidence(appraisee, period: Period, *, user=None) -> list[dict]:
    """The ticket figures of ``appraisee`` over ``period`` (one SQL aggregate)."""
    live = ~Q(status=TicketStatus.CANCELLED)
    row = (Ticket.objects.filter(assignee=appraisee, reported_at__gte=period.start_at, reported_at__lt=period.end_at)
           .order_by()
           .aggregate(**ticket_aggregates(), complaints=Count("pk", filter=live & Q(kind=TicketKind.COMPLAINT))))
    f = ticket_figures(row)
    dates = {"assignee": appraisee.pk, "reported_after": period.start.isoformat(),
             "reported_before": period.end.isoformat()}
    tickets_url = _url(user, "tickets.view_ticket", "tickets:ticket_list", **dates)
    complaints_url = _url(user, "tickets.view_ticket", "tickets:ticket_list", kind=TicketKind.COMPLAINT, **dates)
    return [
        _entry("tickets_handled", _("Tickets handled"), f["received"], url=tickets_url),
        _entry("resolved_on_time", _("Resolved on time"), f["resolved_on_time"]),
        _entry("on_time_rate", _("On-time rate (over resolved)"), f["on_time_rate"], "%"),
        _entry("avg_handling_hours", _("Average handling time (hours)"), f["avg_handling_hours"]),
        _entry("satisfaction_rate", _("Callback satisfaction rate (over rated)"), f["satisfaction_rate"], "%"),
        _entry("reopened", _("Tickets reopened"), f["reopened_tickets"]),
        _entry("complaints", _("Complaints among the tickets they handled"), row["complaints"] or 0,
               url=complaints_url),
    ]


def manager_evidence(appraisee, period: Period, *, user=None) -> list[dict]:
    """What a manager's appraisal adds: complaint reports produced, corrective actions, reviews, meetings."""
    from wuye.quality.choices import ActionState, MeetingStatus, ReviewStatus
    from wuye.quality.models import CorrectiveAction, ManagementReview, Meeting

    entries = []
    account = appraisee.user
    reports = 0
    if account is not None:
        reports = (AuditEvent.objects.filter(event_type="report.export", actor=account,
                                             occurred_at__gte=period.start_at, occurred_at__lt=period.end_at,
                                             data__report__in=COMPLAINT_REPORTS).count())
    entries.append(_entry(
        "complaint_reports", _("Complaint registers and statistics produced"), reports,
        url=_url(user, "core.view_auditevent", "core:auditevent_list", event_type="report.export",
                 actor=account.username if account is not None else None,
                 occurred_after=period.start.isoformat(), occurred_before=period.end.isoformat())
        if account is not None else None))
    actions = CorrectiveAction.objects.filter(owner=appraisee).order_by().aggregate(
        owned=Count("pk", filter=Q(raised_on__gte=period.start, raised_on__lte=period.end)
                    & ~Q(state=ActionState.CANCELLED)),
        closed=Count("pk", filter=Q(state=ActionState.CLOSED, closed_on__gte=period.start,
                                    closed_on__lte=period.end)))
    entries.append(_entry(
        "actions_owned", _("Corrective actions owned (raised in the period)"), actions["owned"],
        url=_url(user, "quality.view_correctiveaction", "quality:correctiveaction_list", owner=appraisee.pk,
                 raised_after=period.start.isoformat(), raised_before=period.end.isoformat())))
    entries.append(_entry(
        "actions_closed", _("Corrective actions closed in the period"), actions["closed"],
        url=_url(user, "quality.view_correctiveaction", "quality:correctiveaction_list", owner=appraisee.pk,
                 state=ActionState.CLOSED)))
    reviews = ManagementReview.objects.filter(
        chair=appraisee, status__in=[ReviewStatus.HELD, ReviewStatus.CLOSED],
        held_on__gte=period.start, held_on__lte=period.end).count()
    entries.append(_entry("reviews_chaired", _("Management reviews chaired"), reviews))
    meetings = Meeting.objects.filter(chair=appraisee, status=MeetingStatus.HELD, starts_at__gte=period.start_at,
                                      starts_at__lt=period.end_at).count()
    entries.append(_entry("meetings_chaired", _("Meetings chaired (minutes recorded)"), meetings))
    entries += survey_evidence(appraisee, period, user=user)
    return entries


def survey_evidence(appraisee, period: Period, *, user=None) -> list[dict]:
    """Customer surveys run by the manager in the period and the satisfaction rate of the period's answers over the
    estates they serve (管理监督 2: 监督客户意见调查实施)."""
    from wuye.surveys.choices import CampaignStatus
    from wuye.surveys.models import Campaign
    from wuye.surveys.selectors.results import satisfaction_rate

    account = appraisee.user
    run = 0
    if account is not None:
        run = (Campaign.objects.filter(created_by=account, opened_at__gte=period.start_at,
                                       opened_at__lt=period.end_at)
               .exclude(status=CampaignStatus.CANCELLED).count())
    estate_ids = list(appraisee.estates.values_list("pk", flat=True))
    figures = satisfaction_rate(period.start, period.end, estate_ids=estate_ids) if estate_ids else {}
    answered, satisfied = figures.get("answered") or 0, figures.get("satisfied") or 0
    rate = round(100 * satisfied / answered, 1) if answered else None
    return [
        _entry("surveys_run", _("Customer surveys run (launched in the period)"), run,
               url=_url(user, "surveys.view_campaign", "surveys:campaign_list")),
        _entry("survey_satisfaction", _("Survey satisfaction rate (estates served)"), rate, "%"),
    ]


def evidence_for(appraisee, start: dt.date, end: dt.date, *, manager: bool = False, user=None) -> list[dict]:
    """The figures wuye holds on ``appraisee`` for the days ``start`` to ``end`` (both included).

    ``manager``: add the manager's figures. ``user``: the viewer; a figure links to its list only if they may
    open that list (None: always link)."""
    period = Period(start, end)
    entries = ticket_evidence(appraisee, period, user=user)
    if manager:
        entries += manager_evidence(appraisee, period, user=user)
    return entries


def is_manager_form(appraisal) -> bool:
    return appraisal.form_version.form.code == MANAGER_FORM_CODE


def evidence_for_appraisal(appraisal, *, user=None) -> list[dict]:
    """The evidence of an appraisal's appraisee and period; the manager's figures on the built-in manager form."""
    return evidence_for(appraisal.appraisee, appraisal.period_start, appraisal.period_end,
                        manager=is_manager_form(appraisal), user=user)
