from django.template.response import TemplateResponse
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def permission_denied(request, exception=None):
    return TemplateResponse(request, "errors/403.html", status=403).render()


@requires_csrf_token
def page_not_found(request, exception=None):
    return TemplateResponse(request, "errors/404.html", status=404).render()


# Seconds a client is told to wait (Retry-After) when the database cannot be reached.
RETRY_AFTER_SECONDS = 10


def _database_unavailable() -> bool:
    """Whether the error being handled is the database being out of reach (a restart, a failover, a full connection
    table): an answer of 503 "try again" rather than 500, so that load balancers and clients retry. The error is
    logged like any other by Django before this view runs."""
    import sys

    from django.db import InterfaceError, OperationalError

    return isinstance(sys.exc_info()[1], (OperationalError, InterfaceError))


@requires_csrf_token
def server_error(request):
    from django.shortcuts import render

    try:
        if _database_unavailable():
            # rendered without the request: the context processors would query the database that is not there
            from django.http import HttpResponse
            from django.template.loader import render_to_string

            response = HttpResponse(render_to_string("errors/503.html"), status=503)
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        return render(request, "errors/500.html", status=500)
    except Exception:  # noqa: BLE001 - the error page must never fail itself
        from django.http import HttpResponseServerError

        return HttpResponseServerError("<h1>500</h1>")
