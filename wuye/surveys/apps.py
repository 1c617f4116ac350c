from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "wuye.surveys"
    label = "surveys"
    verbose_name = _("Customer surveys")

    def ready(self):
        from wuye.core.views.pages import register_dashboard_panel
        from wuye.estates.panels import register_estate_panel

        from . import panels

        for panel in panels.DASHBOARD_PANELS:
            register_dashboard_panel(panel)
        for panel in panels.ESTATE_PANELS:
            register_estate_panel(panel)
        post_migrate.connect(ensure_defaults, sender=self, dispatch_uid="wuye.surveys.ensure_defaults")


def ensure_defaults(sender, apps=None, **kwargs):
    """After every ``migrate`` (and a test database flush): the default service dimensions and the default
    property-satisfaction questionnaire exist (idempotent)."""
    import importlib

    from django.apps import apps as global_apps

    try:
        defaults = importlib.import_module("wuye.surveys.migrations.0002_defaults")
    except ModuleNotFoundError:
        return
    defaults.forwards(apps or global_apps, None)
