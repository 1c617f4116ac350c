"""What the contracts services share: the permissions they check, the fields a contract takes, the alert
thresholds, the actor's checks."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from wuye.core.scope import user_scope

from ..models import Contract

CHANGE = "contracts.change_contract"
REVIEW = "contracts.review_contract"
SIGN = "contracts.sign_contract"
TAKEOVER = "contracts.record_takeover"

# What may be set on a contract (by the create and edit services, the forms and the API).
CONTRACT_FIELDS = ("number", "title", "kind", "estate", "party_kind", "party_name", "party_committee",
                   "party_customer", "valid_from", "valid_to", "amount", "payment_terms", "owner", "renews", "notes")
# What may still change once the contract has left the draft.
LATE_FIELDS = ("owner", "notes", "payment_terms")


def alert_days() -> tuple[int, ...]:
    """The expiry alert thresholds, largest first (``WUYE_CONTRACT_ALERT_DAYS``, default 90, 60, 30)."""
    days = sorted({int(d) for d in getattr(settings, "WUYE_CONTRACT_ALERT_DAYS", (90, 60, 30)) if int(d) > 0},
                  reverse=True)
    return tuple(days) or (30,)


def _require(actor, permission: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(_("You may not do this."))


def _in_scope(actor, estate_id: int | None) -> None:
    if estate_id is not None and not user_scope(actor).covers_estate(estate_id):
        raise PermissionDenied(_("You may not do this."))


def _locked(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract.pk)


def _status_error(contract: Contract):
    return ValidationError(_("A contract that is %(status)s cannot take this step.")
                           % {"status": contract.get_status_display()})


