from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "wuye.documents"
    label = "documents"
    verbose_name = _("Documents and records")

    def ready(self):
        from wuye.core.views.pages import register_dashboard_panel
        from wuye.estates.panels import register_building_panel, register_customer_panel, register_estate_panel
        from wuye.org.hooks import register_leave_check

        from . import search_index  # noqa: F401  (registers documents with core.search)
        from .panels import (
            building_archive_panel,
            controller_dashboard_panel,
            customer_archive_panel,
            estate_archive_panel,
        )
        from .selectors import custody_blocks_leaving

        register_leave_check(custody_blocks_leaving)
        register_customer_panel(customer_archive_panel)
        register_estate_panel(estate_archive_panel)
        register_building_panel(building_archive_panel)
        register_dashboard_panel(controller_dashboard_panel)
        post_migrate.connect(ensure_defaults, sender=self, dispatch_uid="wuye.documents.ensure_defaults")


def ensure_defaults(sender, apps=None, **kwargs):
    """After every ``migrate`` (and a test database flush): the seed's default categories exist (idempotent)."""
    import importlib

    from django.apps import apps as global_apps

    defaults = importlib.import_module("wuye.documents.migrations.0002_defaults")
    defaults.forwards(apps or global_apps, None)
