from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "wuye.budgets"
    label = "budgets"
    verbose_name = _("Department budget")

    def ready(self):
        from wuye.core.views.pages import register_dashboard_panel

        from .panels import budgets_dashboard_panel

        register_dashboard_panel(budgets_dashboard_panel)
        post_migrate.connect(ensure_defaults, sender=self, dispatch_uid="wuye.budgets.ensure_defaults")


def ensure_defaults(sender, apps=None, **kwargs):
    """After every ``migrate`` (and a test database flush): the default categories exist (idempotent)."""
    import importlib

    from django.apps import apps as global_apps

    defaults = importlib.import_module("wuye.budgets.migrations.0002_default_categories")
    defaults.forwards(apps or global_apps, None)
