"""The executive's dashboard panel of the management review (seed 1.9): when the last review was held, when the
next is planned, a warning when the last one is more than 12 months ago (or none was ever held) and when review
outputs are overdue."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from ..selectors.reviews import review_status


def reviews_dashboard_panel(request):
    user = request.user
    if not user.has_perm("quality.view_managementreview"):
        return None
    status = review_status()
    items = reverse("quality:actionitem_list")
    return {
        "template": "quality/reviews/panel.html",
        "css": "col-md-6 col-xl-4",
        "status": status,
        "list_url": reverse("quality:managementreview_list"),
        "add_url": reverse("quality:managementreview_add") if user.has_perm("quality.add_managementreview") else None,
        "overdue_url": f"{items}?{urlencode({'parent': 'review', 'overdue': 'true'})}",
    }


PANELS = [reviews_dashboard_panel]
