from django.apps import AppConfig
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
