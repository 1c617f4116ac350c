from django.template.response import TemplateResponse
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def permission_denied(request, exception=None):
    return TemplateResponse(request, "errors/403.html", status=403).render()


@requires_csrf_token
def page_not_found(request, exception=None):
    return TemplateResponse(request, "errors/404.html", status=404).render()


@requires_csrf_token
def server_error(request):
    from django.shortcuts import render

    try:
        return render(request, "errors/500.html", status=500)
    except Exception:  # noqa: BLE001 - the error page must never fail itself
        from django.http import HttpResponseServerError

        return HttpResponseServerError("<h1>500</h1>")
