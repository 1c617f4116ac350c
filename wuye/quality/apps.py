from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "wuye.quality"
    label = "quality"
    verbose_name = _("Quality system")

    def ready(self):
        from wuye.core.views.pages import register_dashboard_panel
        from wuye.estates.panels import register_estate_panel
        from wuye.surveys import hooks as survey_hooks
        from wuye.tickets import hooks as ticket_hooks

        from . import panels, search_index  # noqa: F401  (search_index registers quality records with core.search)
        from .panels.audits import estate_findings_panel
        from .services.actions import corrective_action_from_complaint, corrective_action_from_survey

        ticket_hooks.register_nonconformity_handler(corrective_action_from_complaint)
        survey_hooks.register_action_handler(corrective_action_from_survey)
        register_estate_panel(estate_findings_panel)
        for panel in panels.DASHBOARD_PANELS:
            register_dashboard_panel(panel)
        post_migrate.connect(ensure_defaults, sender=self, dispatch_uid="wuye.quality.ensure_defaults")


def ensure_defaults(sender, apps=None, **kwargs):
    """After every ``migrate`` (and a test database flush): the ISO 9001 clauses and the default checklist template
    exist (idempotent)."""
    import importlib

    from django.apps import apps as global_apps

    defaults = importlib.import_module("wuye.quality.migrations.0002_defaults")
    defaults.forwards(apps or global_apps, None)
