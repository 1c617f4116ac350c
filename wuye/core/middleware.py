from .context import acting_as


def client_ip(request) -> str | None:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    """Makes the request's user, IP and user agent available to infrastructure code (see core.context)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        with acting_as(user, ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300]):
            return self.get_response(request)
