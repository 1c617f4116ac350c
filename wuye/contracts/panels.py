"""What the contracts app shows on other pages: the estate's contracts, takeover and open renewal task on the
estate page, and the manager's panel on the home page (renewal tasks, contracts ending soon). Registered in
``ContractsConfig.ready``."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from wuye.core.querysets import restrict
from wuye.estates.choices import EstateStatus

from . import selectors
from .models import Contract, RenewalTask, Takeover
from .services import takeover_basis


def estate_contracts_panel(request, estate):
    user = request.user
    if not user.has_perm("contracts.view_contract"):
        return None
    contracts = list(restrict(Contract.objects.filter(estate=estate), user, "view")
                     .order_by("-valid_from", "-pk")[:20])
    renewal = restrict(RenewalTask.objects.filter(estate=estate, state="open"), user, "view").select_related(
        "committee", "contract").first()
    takeover = (restrict(Takeover.objects.filter(estate=estate), user, "view").select_related("contract")
                .order_by("-taken_over_on", "-pk").first())
    basis, rule = takeover_basis(estate)
    # a managed estate without a takeover on record (managed since before the system) may record it afterwards
    may_take_over = user.has_perm("contracts.record_takeover") and (
        estate.status != EstateStatus.MANAGED or takeover is None)
    add_url = None
    if user.has_perm("contracts.add_contract"):
        add_url = f"{reverse('contracts:contract_add')}?{urlencode({'estate': estate.pk})}"
    return {"title": _("Contracts and takeover"), "icon": "file-earmark-text", "order": 30,
            "count": len(contracts), "template": "contracts/panels/estate.html", "contracts": contracts,
            "renewal": renewal, "takeover": takeover, "basis": basis, "rule": rule, "may_take_over": may_take_over,
            "takeover_url": reverse("contracts:estate_takeover", args=[estate.pk]), "add_url": add_url}


def contracts_dashboard_panel(request):
    """The manager's contracts: open renewal tasks and contracts ending within 30/60/90 days."""
    user = request.user
    if not user.has_perm("contracts.view_contract") or not user.has_perm("contracts.receive_contract_alerts"):
        return None
    contracts = selectors.register(user)
    register = reverse("contracts:contract_list")
    renewals = list(selectors.open_renewals(user)[:10])
    parts = [{"name": f"within_{days}", "label": _("Ending within %(days)s days") % {"days": days},
              "color": "danger" if days == 30 else "warning",
              "count": selectors.expiring_within(contracts, days).count(),
              "url": f"{register}?{urlencode({'expiring_within': days})}"} for days in (30, 60, 90)]
    return {"template": "contracts/panels/dashboard.html", "css": "col-12 col-xl-6", "parts": parts,
            "renewals": renewals}
