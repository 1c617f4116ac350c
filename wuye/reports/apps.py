from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "wuye.reports"
    label = "reports"
    verbose_name = _("Report centre")

    def ready(self):
        from wuye.core.views.pages import register_dashboard_panel

        from .dashboard import PANELS

        for panel in PANELS:
            register_dashboard_panel(panel)
