"""Login and session hardening (docs/security.md).

- ``client_ip``: the client's address for the login lockout (django-axes, ``AXES_CLIENT_IP_CALLABLE``). Behind
  ``WUYE_TRUSTED_PROXY_COUNT`` reverse proxies (nginx, a load balancer) it is the entry those proxies appended to
  ``X-Forwarded-For``, counted from the right; entries further left come from the client and are never trusted,
  so a forged header cannot give an attacker a fresh address (and a fresh set of attempts) per request.
- ``lockout_response``: the page shown after too many failed logins (``AXES_LOCKOUT_CALLABLE``), HTTP 429.
- ``StaffIdleTimeoutMiddleware``: logs a staff user out after ``WUYE_STAFF_IDLE_MINUTES`` without a request;
  residents (the owner portal) keep the normal session age.
- ``MinimumLengthValidator``: Django's, with a message our catalogue translates.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, password_validation
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .scope import user_scope

# Session key of the time (seconds since the epoch) of the user's last request.
LAST_ACTIVITY_KEY = "wuye_last_activity"
# The stored time is refreshed at most this often (seconds), so that not every request writes the session.
ACTIVITY_RESOLUTION = 60


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = int(getattr(settings, "WUYE_TRUSTED_PROXY_COUNT", 0))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    if len(hops) < proxies:
        return remote
    return hops[-proxies]


def lockout_minutes() -> int:
    cool_off = getattr(settings, "AXES_COOLOFF_TIME", None)
    return int(cool_off.total_seconds() // 60) if cool_off is not None else 0


def lockout_response(request, original_response=None, credentials=None):
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": lockout_minutes(),
    }
    return render(request, "core/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def is_staff_session(user) -> bool:
    """Staff: every logged-in user except residents of the owner portal (Django admin users count as staff)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or not user_scope(user).is_resident)


def note_login(sender, request, user, **kwargs):
    """``user_logged_in``: the login counts as activity, so the session is not written again by the first request
    after it (core.apps connects it)."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_KEY] = int(time.time())


class StaffIdleTimeoutMiddleware:
    """Logs out a staff user whose previous request is older than ``WUYE_STAFF_IDLE_MINUTES``.

    Place after ``AuthenticationMiddleware`` and ``MessageMiddleware``. The request that finds the session idle goes
    on as an anonymous one (a page redirects to the login form, the API answers 401/403) and carries a message.
    Requests authenticated by an API token carry no session and are not affected.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        idle_minutes = getattr(settings, "WUYE_STAFF_IDLE_MINUTES", 30)
        if idle_minutes and user is not None and is_staff_session(user):
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if isinstance(last, int) and now - last > idle_minutes * 60:
                logout(request)
                messages.warning(request, _("You were logged out after %(minutes)d minutes without activity. "
                                            "Please log in again.") % {"minutes": idle_minutes})
            elif not isinstance(last, int) or now - last >= ACTIVITY_RESOLUTION:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's validator with an error message of our own: Django 5.2 changed the message's msgid (``%d``) and its
    shipped Chinese catalogue still translates the old one, so the error would show in English."""

    def get_error_message(self):
        return ngettext("This password is too short: it must have at least %(min_length)d character.",
                        "This password is too short: it must have at least %(min_length)d characters.",
                        self.min_length) % {"min_length": self.min_length}
