from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "wuye.tickets"
    label = "tickets"
    verbose_name = _("Tickets")

    def ready(self):
        from wuye.core.views.pages import register_dashboard_panel
        from wuye.estates.panels import register_customer_panel

        from . import search_index  # noqa: F401  (registers tickets with core.search)
        from .panels import customer_tickets_panel, queue_dashboard_panel

        register_customer_panel(customer_tickets_panel)
        register_dashboard_panel(queue_dashboard_panel)
        post_migrate.connect(ensure_defaults, sender=self, dispatch_uid="wuye.tickets.ensure_defaults")


def ensure_defaults(sender, apps=None, **kwargs):
    """After every ``migrate`` (and a test database flush): the default categories, time limits and settings
    row exist. The data migration creates them first; this only fills what is missing (idempotent)."""
    import importlib

    from django.apps import apps as global_apps

    defaults = importlib.import_module("wuye.tickets.migrations.0002_defaults")
    defaults.forwards(apps or global_apps, None)
