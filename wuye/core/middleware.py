from .context import acting_as
from .security import client_ip


class RequestContextMiddleware:
    """Makes the request's user, IP and user agent available to infrastructure code (see core.context).

    The IP is the one the login lockout counts (``core.security.client_ip``): an ``X-Forwarded-For`` entry only
    when it was appended by one of the ``WUYE_TRUSTED_PROXY_COUNT`` trusted proxies, so the audit trail's
    addresses cannot be forged by a header the client sends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        with acting_as(user, ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300]):
            return self.get_response(request)
