"""The home-page panel of a staff member asked to acknowledge a published work plan (全员熟知)."""

from __future__ import annotations

from ..selectors.plans import pending_plans_for


def pending_plans_panel(request):
    user = request.user
    if not user.has_perm("quality.view_workplan"):
        return None
    plans = list(pending_plans_for(user)[:10])
    if not plans:
        return None
    return {"template": "quality/plans/panel.html", "plans": plans}


PANELS = [pending_plans_panel]
