from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "wuye.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self):
        from wuye.core.views.pages import register_dashboard_panel

        from .panels import training_panel

        register_dashboard_panel(training_panel)
