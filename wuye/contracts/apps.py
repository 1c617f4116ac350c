from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "wuye.contracts"
    label = "contracts"
    verbose_name = _("Contracts and takeovers")

    def ready(self):
        from wuye.core.views.pages import register_dashboard_panel
        from wuye.estates.hooks import register_committee_listener, register_status_check
        from wuye.estates.panels import register_estate_panel

        from . import search_index  # noqa: F401  (registers contracts with core.search)
        from .panels import contracts_dashboard_panel, estate_contracts_panel

        register_committee_listener(committee_recorded)
        register_status_check(managed_only_by_takeover)
        register_estate_panel(estate_contracts_panel)
        register_dashboard_panel(contracts_dashboard_panel)
        post_migrate.connect(ensure_defaults, sender=self, dispatch_uid="wuye.contracts.ensure_defaults")


def committee_recorded(*, actor, committee):
    """Seed 2.10: an owners' committee formed for an estate on a preliminary contract opens a renewal task."""
    from .services import renewal_open

    renewal_open(committee=committee, actor=actor)


def managed_only_by_takeover(estate, status):
    """Seed 2.10/2.11: an estate becomes managed when its takeover is recorded (the contract is checked then), not
    by editing the estate."""
    from django.utils.translation import gettext as _

    from wuye.estates.choices import EstateStatus
    from wuye.estates.models import Estate

    if status != EstateStatus.MANAGED:
        return None
    stored = Estate.objects.filter(pk=estate.pk).values_list("status", flat=True).first() if estate.pk else None
    if stored == EstateStatus.MANAGED:
        return None
    return _("An estate becomes managed when its takeover is recorded (on the estate's page, “Record the "
             "takeover”): the contract the rules require is checked then.")


def ensure_defaults(sender, apps=None, **kwargs):
    """After every ``migrate`` (and a test database flush): the default review checklist exists (idempotent)."""
    import importlib

    from django.apps import apps as global_apps

    defaults = importlib.import_module("wuye.contracts.migrations.0002_defaults")
    defaults.forwards(apps or global_apps, None)
