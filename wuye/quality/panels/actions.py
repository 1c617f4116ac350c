"""Home-page panel of corrective actions: the user's own open actions (as owner) and, for those who receive the
quality reminders, the overdue ones."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from ..selectors import actions as selectors
from ..services.actions import REMINDERS

LIMIT = 10


def corrective_actions_panel(request):
    user = request.user
    if not user.has_perm("quality.view_correctiveaction"):
        return None
    today = timezone.localdate()
    mine = list(selectors.owned_by(user)[:LIMIT])
    overdue, overdue_count = [], 0
    if user.has_perm(REMINDERS):
        late = selectors.overdue(selectors.register(user), today).order_by("due_on", "number")
        overdue_count = late.count()
        overdue = list(late[:LIMIT])
    if not mine and not overdue:
        return None
    register = reverse("quality:correctiveaction_list")
    return {"template": "quality/actions/panels/dashboard.html", "css": "col-12 col-xl-6", "mine": mine,
            "overdue": overdue, "overdue_count": overdue_count, "today": today,
            "overdue_url": f"{register}?{urlencode({'overdue': 'true'})}"}


PANELS = [corrective_actions_panel]
