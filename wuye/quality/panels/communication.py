"""The home-page panel of communication: for handlers, the submissions waiting to be assigned and those assigned to
them not yet answered (as ``restrict()`` lets them see them); for staff, the next meetings they attend."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from wuye.core.querysets import restrict

from ..choices import MeetingStatus, SubmissionState
from ..models import Meeting, Submission
from ..models.communication import HANDLE_PERMISSION


def communication_panel(request):
    user = request.user
    parts = []
    if user.has_perm(HANDLE_PERMISSION):
        visible = restrict(Submission.objects.all(), user, "view")
        base = reverse("quality:submission_list")
        parts.append({"name": "unassigned", "label": _("Submissions to assign"), "color": "warning",
                      "count": visible.filter(state=SubmissionState.SUBMITTED).count(),
                      "url": f"{base}?{urlencode({'state': SubmissionState.SUBMITTED})}"})
        parts.append({"name": "mine", "label": _("Assigned to me, not answered"), "color": "danger",
                      "count": visible.filter(state=SubmissionState.ASSIGNED, assignee=user).count(),
                      "url": f"{base}?{urlencode({'state': SubmissionState.ASSIGNED})}"})
    meetings = []
    staff = getattr(user, "staff", None) if user.has_perm("quality.view_meeting") else None
    if staff is not None:
        meetings = list(restrict(Meeting.objects.filter(status=MeetingStatus.PLANNED, attendees=staff,
                                                        starts_at__gte=timezone.now()), user, "view")
                        .order_by("starts_at")[:3])
    if not parts and not meetings:
        return None
    return {"template": "quality/communication/panel.html", "css": "col-12 col-xl-6", "parts": parts,
            "meetings": meetings}


PANELS = [communication_panel]
