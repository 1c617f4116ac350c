from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EstatesConfig(AppConfig):
    name = "wuye.estates"
    label = "estates"
    verbose_name = _("Estates and customers")

    def ready(self):
        from . import search_index  # noqa: F401  (registers models with core.search)
