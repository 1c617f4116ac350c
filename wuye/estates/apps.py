from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EstatesConfig(AppConfig):
    name = "wuye.estates"
    label = "estates"
    verbose_name = _("Estates and customers")

    def ready(self):
        from wuye.core.views.pages import register_dashboard_panel, register_search_hook

        from . import search_index  # noqa: F401  (registers models with core.search)
        from .views.customers import customer_search_hook, lookup_dashboard_panel

        register_search_hook(customer_search_hook)
        register_dashboard_panel(lookup_dashboard_panel)
