"""Reads of survey campaigns: the households of estates (the sampling frame), the response rate per estate, the
estates due for a survey under the company's schedule, and the manager's home-page panel."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuye.core.querysets import restrict
from wuye.core.scope import user_scope
from wuye.estates.choices import EstateStatus, OccupancyRole
from wuye.estates.models import Estate, Occupancy

from ..choices import CampaignStatus
from ..models import Campaign, CampaignEstate, Invitation, SurveySchedule

# the occupants who make a unit a household that is asked
HOUSEHOLD_ROLES = (OccupancyRole.OWNER, OccupancyRole.CO_OWNER, OccupancyRole.TENANT)


def current_occupancies(today: dt.date | None = None):
    today = today or timezone.localdate()
    return Occupancy.objects.filter(role__in=HOUSEHOLD_ROLES, start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today))


def households(estate_ids, today: dt.date | None = None) -> dict[int, list[int]]:
    """{estate id: [unit ids]}: the units of the estates with a current owner, co-owner or tenant, one per unit
    (every estate asked appears, with an empty list when nobody lives there)."""
    estate_ids = list(estate_ids)
    frame: dict[int, list[int]] = {estate_id: [] for estate_id in estate_ids}
    rows = (current_occupancies(today).filter(unit__estate_id__in=estate_ids)
            .values_list("unit__estate_id", "unit_id").distinct().order_by("unit__estate_id", "unit_id"))
    for estate_id, unit_id in rows:
        frame[estate_id].append(unit_id)
    return frame


def _rate(answered: int, invited: int) -> Decimal | None:
    if not invited:
        return None
    return (Decimal(answered) * 100 / Decimal(invited)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def response_rates(campaign: Campaign, user) -> dict:
    """The response rate of each of the campaign's estates the user serves: ``{"rows": [{estate, households,
    invited, answered, rate}], "total": {households, invited, answered, rate}}`` (rate in per cent, one decimal;
    None before the launch). The counts are one ``GROUP BY`` over the invitations."""
    scope = user_scope(user)
    estates = [ce for ce in CampaignEstate.objects.filter(campaign=campaign).select_related("estate")
               .order_by("estate__name") if scope.covers_estate(ce.estate_id)]
    counts = {row["estate_id"]: row for row in Invitation.objects.filter(
        campaign=campaign, estate_id__in=[ce.estate_id for ce in estates]).values("estate_id").annotate(
        invited=Count("id"), answered=Count("id", filter=Q(answered=True))).order_by("estate_id")}
    rows = []
    for ce in estates:
        row = counts.get(ce.estate_id, {})
        invited, answered = row.get("invited", 0), row.get("answered", 0)
        rows.append({"estate": ce.estate, "households": ce.households, "invited": invited, "answered": answered,
                     "rate": _rate(answered, invited)})
    invited = sum(r["invited"] for r in rows)
    answered = sum(r["answered"] for r in rows)
    households_known = [r["households"] for r in rows if r["households"] is not None]
    total = {"households": sum(households_known) if households_known else None, "invited": invited,
             "answered": answered, "rate": _rate(answered, invited)}
    return {"rows": rows, "total": total}


def survey_due(user, today: dt.date | None = None) -> list[dict]:
    """Managed estates the user may see whose last campaign (open or closed) started more than the schedule's
    interval ago, or that never had one: ``[{"estate", "last": date or None, "days": days since or None}]``."""
    today = today or timezone.localdate()
    interval = SurveySchedule.current().interval_days
    estates = (restrict(Estate.objects.filter(status=EstateStatus.MANAGED), user, "view")
               .annotate(last=Max("survey_campaigns__starts_on", filter=Q(
                   survey_campaigns__status__in=(CampaignStatus.OPEN, CampaignStatus.CLOSED),
                   survey_campaigns__starts_on__lte=today)))
               .filter(Q(last__isnull=True) | Q(last__lt=today - dt.timedelta(days=interval)))
               .order_by("name"))
    return [{"estate": e, "last": e.last, "days": (today - e.last).days if e.last else None} for e in estates]


def survey_due_panel(request):
    """Home page, for those who run campaigns: the managed estates due for a survey, with the new-campaign link."""
    user = request.user
    if not user.has_perm("surveys.add_campaign"):
        return None
    due = survey_due(user)
    if not due:
        return None
    return {"template": "surveys/panel_due.html", "title": _("A survey is due"), "due": due[:20],
            "more": max(0, len(due) - 20), "interval": SurveySchedule.current().interval_days,
            "add_url": reverse("surveys:campaign_add")}


DASHBOARD_PANELS = [survey_due_panel]
