"""The REST API under /api/v1/: every app registers its viewsets in ``<app>/api/urls.py`` as ``ROUTES``."""

import importlib

from django.apps import apps
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import APIRootView, DefaultRouter


class RootView(APIRootView):
    """wuye REST API: every resource, filter and action; see /api/docs/."""

    permission_classes = [IsAuthenticated]


class Router(DefaultRouter):
    APIRootView = RootView


router = Router()
for config in apps.get_app_configs():
    if not config.name.startswith("wuye."):
        continue
    try:
        module = importlib.import_module(f"{config.name}.api.urls")
    except ModuleNotFoundError as exc:
        if exc.name not in (f"{config.name}.api", f"{config.name}.api.urls"):
            raise  # a real import error inside the app's API must not hide its routes silently
        continue
    for route in getattr(module, "ROUTES", ()):
        # (prefix, viewset) or (prefix, viewset, basename) for a viewset that is not one model's (reports)
        prefix, viewset, *basename = route
        model = viewset.queryset.model
        router.register(prefix, viewset, basename=basename[0] if basename else
                        f"{model._meta.app_label}-{model._meta.model_name}")

app_name = "api"
urlpatterns = router.urls
