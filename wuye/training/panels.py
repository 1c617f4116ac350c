"""The home page's training panel: for those who run the training (``training.change_trainingsession``) the
sessions past their date without a record, linked to that filtered session list; for every staff member with a
record, their required trainings done this year, linked to their record."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from wuye.org.models import Staff

from . import selectors
from .models import TrainingSession


def overdue_list_url(today: dt.date) -> str:
    """The session list filtered to exactly ``sessions_without_record(today)``."""
    query = urlencode({"status": "planned", "date_to": (today - dt.timedelta(days=1)).isoformat()})
    return f"{reverse('training:trainingsession_list')}?{query}"


def training_panel(request):
    user = request.user
    today = timezone.localdate()
    context = {"template": "training/panels/training.html"}
    if user.has_perm("training.change_trainingsession"):
        overdue = TrainingSession.objects.restrict(user).filter(
            pk__in=selectors.sessions_without_record(today).values("pk"))
        context.update(overdue_count=overdue.count(), overdue_url=overdue_list_url(today))
    if user.has_perm("training.view_attendance"):
        staff = Staff.objects.filter(user=user).first()
        if staff is not None:
            record = selectors.staff_training_record(staff, today.year)
            context.update(my_record=record, my_record_url=reverse("training:my_record"))
    if "overdue_count" not in context and "my_record" not in context:
        return None
    return context
