from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "wuye.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        from wuye.estates.panels import register_estate_panel

        from .panels import estate_incidents_panel

        register_estate_panel(estate_incidents_panel)
        post_migrate.connect(ensure_defaults, sender=self, dispatch_uid="wuye.incidents.ensure_defaults")


def ensure_defaults(sender, **kwargs):
    """After every ``migrate`` (and a test database flush): the starting incident kinds exist (idempotent)."""
    from .services import ensure_default_kinds

    ensure_default_kinds()
