"""Panels of the audits subject: on the estate page, the estate's external findings this year against the limit
and its audits (``estate_findings_panel``, registered in ``QualityConfig.ready``); on the home page, for holders of
``quality.view_finding``, the estates at or over the limit this year."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuye.core.querysets import restrict
from wuye.estates.models import Estate

from ..models import Audit
from ..selectors.audits import estates_at_limit, external_finding_counts


def estate_findings_panel(request, estate):
    user = request.user
    if not user.has_perm("quality.view_finding"):
        return None
    year = timezone.localdate().year
    rows = external_finding_counts(year, Estate.objects.filter(pk=estate.pk))
    audits = []
    if user.has_perm("quality.view_audit"):
        audits = list(restrict(Audit.objects.filter(estates=estate), user, "view").order_by("-planned_start")[:10])
    if not rows and not audits:
        return None  # not managed and never audited
    row = rows[0] if rows else None
    return {"title": _("Audits and external findings"), "icon": "clipboard-check", "order": 60,
            "count": row.total if row else None, "template": "quality/audits/panels/estate.html", "row": row,
            "year": year, "audits": audits, "counts_url": f"{reverse('quality:finding_counts')}?year={year}"}


def finding_limit_dashboard_panel(request):
    user = request.user
    if not user.has_perm("quality.view_finding"):
        return None
    year = timezone.localdate().year
    rows = estates_at_limit(year, restrict(Estate.objects.all(), user, "view"))
    if not rows:
        return None
    return {"template": "quality/audits/panels/dashboard.html", "css": "col-12 col-xl-6", "rows": rows,
            "year": year, "url": f"{reverse('quality:finding_counts')}?year={year}"}


PANELS = [finding_limit_dashboard_panel]
