"""The estate page's panel: the estate's open incidents (registered in ``IncidentsConfig.ready``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from . import selectors


def estate_incidents_panel(request, estate):
    user = request.user
    if not user.has_perm("incidents.view_incident"):
        return None
    incidents = list(selectors.estate_open_incidents(estate, user))
    add_url = None
    if user.has_perm("incidents.add_incident"):
        add_url = f"{reverse('incidents:incident_add')}?{urlencode({'estate': estate.pk})}"
    list_url = f"{reverse('incidents:incident_list')}?{urlencode({'estate': estate.pk})}"
    return {"title": _("Open incidents"), "icon": "exclamation-triangle", "order": 40, "count": len(incidents),
            "template": "incidents/panels/estate.html", "incidents": incidents, "add_url": add_url,
            "list_url": list_url}
