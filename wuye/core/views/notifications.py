"""The user's own notifications: the list (newest first) and marking them read."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from ..models import Notification
from .generic import BaseView


class NotificationListView(BaseView):
    """Every logged-in user reads only their own notifications."""

    login_only = True
    paginate_by = 30

    def get(self, request):
        qs = Notification.objects.filter(recipient=request.user)
        if request.GET.get("unread"):
            qs = qs.filter(read_at__isnull=True)
        page = Paginator(qs, self.paginate_by).get_page(request.GET.get("page"))
        return TemplateResponse(request, "core/notification_list.html",
                                {"page": page, "unread_only": bool(request.GET.get("unread"))})


class NotificationReadView(BaseView):
    """POST: mark one notification (``pk``) or all (no ``pk``) read; opening one goes to its link."""

    login_only = True

    def post(self, request, pk=None):
        now = timezone.now()
        mine = Notification.objects.filter(recipient=request.user, read_at__isnull=True)
        target = None
        if pk is not None:
            note = get_object_or_404(Notification, pk=pk, recipient=request.user)
            mine.filter(pk=note.pk).update(read_at=now)
            target = note.url
        else:
            mine.update(read_at=now)
        if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = request.POST.get("next") or "/core/notifications/"
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = "/core/notifications/"
        return HttpResponseRedirect(target)
