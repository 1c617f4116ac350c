"""工作总结 (work summary, a year): the headline figures of the six reports for the year, one section each (the
main sections' figures and the report's first table), and a first section "the year in numbers"."""

from __future__ import annotations

from django.utils.translation import gettext as _

from wuye.tickets.reports import Period

from . import archives, budget, customer_needs, incidents, service_plan, service_work
from .common import content, figure, section

# kind -> (builder module, the sections whose figures are kept)
PARTS = [
    ("service_plan", service_plan, ("work_plans", "objectives", "training")),
    ("customer_needs", customer_needs, ("by_kind", "suggestions", "survey_satisfaction")),
    ("service_work", service_work, ("volumes", "timeliness", "satisfaction", "callbacks", "first_time")),
    ("incidents", incidents, ("summary",)),
    ("budget", budget, ("summary",)),
    ("archives", archives, ("documents", "loans", "custody")),
]

# the year in numbers: (kind, section, figure)
HEADLINES = [
    ("service_work", "volumes", "received"),
    ("service_work", "timeliness", "on_time_rate"),
    ("service_work", "satisfaction", "satisfaction_rate"),
    ("service_work", "callbacks", "callback_rate"),
    ("customer_needs", "suggestions", "suggestions"),
    ("customer_needs", "survey_satisfaction", "satisfaction_rate"),
    ("incidents", "summary", "total"),
    ("budget", "summary", "actual"),
    ("budget", "summary", "percent"),
    ("service_plan", "work_plans", "done_rate"),
    ("service_plan", "training", "completion_rate"),
    ("archives", "documents", "issued"),
]


def summary_section(kind: str, report: dict, keep) -> dict:
    sections = {s["key"]: s for s in report["sections"]}
    figures = []
    for key in keep:
        for f in sections.get(key, {}).get("figures", []):
            figures.append({**f, "key": f"{key}.{f['key']}"})
    first_table = next((t for s in report["sections"] for t in s.get("tables", [])), None)
    return section(kind, report["title"], figures=figures, tables=[first_table] if first_table else [])


def build(*, period: Period, estate_ids: list[int] | None, department=None) -> dict:
    reports = {}
    for kind, module, _keep in PARTS:
        extra = {"detail": False} if module is service_work else {}
        reports[kind] = module.build(period=period, estate_ids=None if kind == "budget" else estate_ids,
                                     department=department, **extra)
    headlines = []
    for kind, section_key, figure_key in HEADLINES:
        s = next((s for s in reports[kind]["sections"] if s["key"] == section_key), None)
        f = next((f for f in (s or {}).get("figures", []) if f["key"] == figure_key), None)
        if f is not None:
            headlines.append(figure(f"{kind}.{figure_key}", f"{reports[kind]['title']}：{f['label']}", f["value"],
                                    f["unit"], url=f.get("url"),
                                    **{k: f[k] for k in ("previous", "change") if k in f}))
    year = section("year", _("The year in numbers"), figures=headlines,
                   notes=[_("Each section below repeats the main figures of one report for the year; the full "
                            "reports hold the details.")])
    return content(_("Work summary"), [year, *[summary_section(kind, reports[kind], keep)
                                               for kind, _module, keep in PARTS]])
