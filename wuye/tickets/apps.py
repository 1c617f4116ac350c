from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "wuye.tickets"
    label = "tickets"
    verbose_name = _("Tickets")

    def ready(self):
        from . import search_index  # noqa: F401  (registers tickets with core.search)
