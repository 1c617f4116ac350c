"""客户服务意外事故报告 (customer service incident report): the incidents that occurred in the period, counted by
severity, kind, estate and state, with injuries and losses, compared with the previous period, and each incident
listed with its investigation and corrective action."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.incidents.choices import IncidentStatus, Severity
from wuye.incidents.models import Incident
from wuye.incidents.selectors import in_period, incident_figures
from wuye.tickets.reports import Period

from .common import (
    change,
    chart,
    content,
    estate_names,
    figure,
    in_estates,
    list_url,
    money,
    section,
    shorten,
    single_estate,
    table,
    text,
)

LIST = "incidents:incident_list"


def _label(choices, value) -> str:
    try:
        return text(choices(value).label)
    except ValueError:
        return text(value)


def build(*, period: Period, estate_ids: list[int] | None, department=None) -> dict:
    previous = period.previous()
    now = timezone.now()
    current = incident_figures(period.start, period.end, estate_ids, now=now)
    before = incident_figures(previous.start, previous.end, estate_ids, now=now)
    one = single_estate(estate_ids)

    live_statuses = [s for s in IncidentStatus.values if s != IncidentStatus.WITHDRAWN]

    def url(**params):
        return list_url(LIST, occurred_after=period.start, occurred_before=period.end, estate=one, **params)

    summary = section("summary", _("Incidents of the period"), figures=[
        figure("total", _("Incidents"), current["total"], url=url(status=live_statuses), previous=before["total"],
               change=change(current["total"], before["total"])),
        figure("with_injuries", _("Incidents with injuries"), current["with_injuries"],
               previous=before["with_injuries"], change=change(current["with_injuries"], before["with_injuries"])),
        figure("injured", _("People injured"), current["injured"], previous=before["injured"],
               change=change(current["injured"], before["injured"])),
        figure("losses", _("Estimated losses"), money(current["losses"]), "元", previous=money(before["losses"]),
               change=change(money(current["losses"]), money(before["losses"]))),
        figure("open", _("Not yet closed"), current["open"], url=url(open="true")),
        figure("open_over_30", _("Open for more than 30 days"), current["open_over_30"]),
        figure("with_action", _("With a corrective action"), current["with_action"]),
        figure("withdrawn", _("Withdrawn reports"), current["withdrawn"],
               url=url(status=IncidentStatus.WITHDRAWN.value)),
    ], notes=[
        _("Incidents are counted by the day they occurred. Withdrawn reports count only as withdrawn."),
        _("Not yet closed: the state now, not at the end of the period."),
        _("Previous period: %(label)s.") % {"label": previous.label},
    ])

    severity_rows = [[_label(Severity, value), current["by_severity"][value], before["by_severity"][value],
                      current["by_severity"][value] - before["by_severity"][value]] for value in Severity.values]
    by_severity = section("by_severity", _("By severity"), tables=[
        table("by_severity", _("By severity"), [_("severity"), _("this period"), _("previous period"), _("change")],
              severity_rows)],
        figures=[figure(f"severity_{value}", _label(Severity, value), current["by_severity"][value],
                        url=url(severity=value, status=live_statuses)) for value in Severity.values],
        chart=chart("bar", [r[0] for r in severity_rows],
                    [(_("this period"), [r[1] for r in severity_rows]),
                     (_("previous period"), [r[2] for r in severity_rows])]))

    previous_kinds = {k["kind_id"]: k["count"] for k in before["by_kind"]}
    kind_rows = [[k["name"], k["count"], previous_kinds.get(k["kind_id"], 0),
                  k["count"] - previous_kinds.get(k["kind_id"], 0)] for k in current["by_kind"]]
    by_kind = section("by_kind", _("By kind"), tables=[
        table("by_kind", _("By kind"), [_("kind"), _("this period"), _("previous period"), _("change")], kind_rows)],
        chart=chart("bar", [r[0] for r in kind_rows], [(_("this period"), [r[1] for r in kind_rows])]))

    counted = in_estates(in_period(Incident.objects.all(), period.start, period.end), estate_ids) \
        .exclude(status=IncidentStatus.WITHDRAWN).order_by()
    grouped = list(counted.values("estate_id").annotate(
        n=Count("id"), injured=Sum("injured_count"), losses=Sum("loss_amount"),
        open=Count("id", filter=Q(status__in=[s for s in IncidentStatus.values
                                              if s not in (IncidentStatus.CLOSED, IncidentStatus.WITHDRAWN)]))))
    names = estate_names(g["estate_id"] for g in grouped)
    estate_rows = sorted([[names.get(g["estate_id"], ""), g["n"], g["injured"] or 0, money(g["losses"]), g["open"]]
                          for g in grouped])
    by_estate = section("by_estate", _("By estate"), tables=[
        table("by_estate", _("By estate"), [_("estate"), _("incidents"), _("people injured"),
                                            _("estimated losses (yuan)"), _("not yet closed")], estate_rows)])

    status_rows = [[_label(IncidentStatus, value), current["by_status"][value]] for value in IncidentStatus.values]
    by_status = section("by_status", _("By state"), tables=[
        table("by_status", _("By state (now)"), [_("state"), _("incidents")], status_rows)])

    items = (in_estates(in_period(Incident.objects.all(), period.start, period.end), estate_ids)
             .select_related("estate", "kind", "corrective_action").order_by("occurred_at", "id"))
    rows = []
    for i in items:
        action = i.corrective_action
        rows.append([
            i.number, timezone.localtime(i.occurred_at).date(), i.estate.name, i.kind.name,
            _label(Severity, i.severity), shorten(f"{i.title}：{i.description}"), i.injured_count,
            i.loss_amount, shorten(i.cause), shorten(i.responsibility),
            action.number if action else "", _label_action(action), _label(IncidentStatus, i.status),
        ])
    listing = section("list", _("The incidents"), tables=[
        table("incidents", _("The incidents"), [
            _("number"), _("date"), _("estate"), _("kind"), _("severity"), _("description"), _("people injured"),
            _("estimated loss (yuan)"), _("cause"), _("responsibility"), _("corrective action"),
            _("action state"), _("state")], rows)])

    return content(_("Customer service incident report"), [summary, by_severity, by_kind, by_estate, by_status,
                                                            listing])


def _label_action(action) -> str:
    if action is None:
        return ""
    return text(action.get_state_display())
