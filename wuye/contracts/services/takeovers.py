"""Takeovers (接管, seed 2.10, 2.11): the rule an estate's takeover follows, and its recording."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as
from wuye.estates.choices import EstateKind, EstateStatus
from wuye.estates.models import Estate

from ..choices import UNSIGNED_STATUSES, ContractKind, PartyKind
from ..models import Contract, Takeover
from .common import TAKEOVER, _in_scope, _require

# --- takeovers (seed 2.10, 2.11) -------------------------------------------------------------------------------


def takeover_rule(estate: Estate) -> tuple[str, tuple[str, ...], str]:
    """Seed 2.10 / 2.11: the contract kind and counterparties a takeover of ``estate`` needs, and the rule said in
    the user's language."""
    if estate.kind == EstateKind.NEW_BUILD:
        return (ContractKind.PRELIMINARY, (PartyKind.DEVELOPER, PartyKind.PROPERTY_OWNER), _(
            "A new-build estate is taken over only with a signed preliminary property-management contract in force "
            "with its developer or property owner (seed 2.10)."))
    return (ContractKind.SERVICE, (PartyKind.COMMITTEE, PartyKind.PROPERTY_OWNER), _(
        "An existing estate is taken over only with a signed property-management service contract in force with "
        "its owners' committee or property owner (seed 2.11)."))


def takeover_contracts(estate: Estate, *, on: dt.date | None = None):
    """The contracts that allow taking ``estate`` over on the day ``on`` (default today), newest first: of the
    kind and counterparty the rule requires, signed by then, and in force that day (its period covers the day and
    it had not been terminated or superseded before it)."""
    kind, parties, _rule = takeover_rule(estate)
    on = on or timezone.localdate()
    return (Contract.objects.filter(estate=estate, kind=kind, party_kind__in=parties, signed_on__lte=on,
                                    valid_from__lte=on, valid_to__gte=on)
            .exclude(status__in=UNSIGNED_STATUSES).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
            .order_by("-valid_from", "-pk"))


def takeover_basis(estate: Estate, *, on: dt.date | None = None) -> tuple[Contract | None, str]:
    """The contract that allows taking ``estate`` over on ``on`` (today), or None and the rule it fails."""
    contract = takeover_contracts(estate, on=on).first()
    return contract, ("" if contract else str(takeover_rule(estate)[2]))


@transaction.atomic
def takeover_record(*, actor, estate: Estate, taken_over_on: dt.date | None = None, contract: Contract | None = None,
                    notes: str = "") -> Takeover:
    """接管: record that the company took ``estate`` over on ``taken_over_on`` (today); it becomes managed from
    that day. Refused without the contract the rules require, signed and in force on that day (``takeover_rule``);
    ``contract`` names which one when several qualify. An estate managed since before the system has no takeover
    on record: its takeover may be recorded afterwards, on the same rule. An estate is taken over once (again only
    after it has exited)."""
    _require(actor, TAKEOVER)
    _in_scope(actor, estate.pk)
    estate = Estate.objects.select_for_update().get(pk=estate.pk)
    taken_over_on = taken_over_on or timezone.localdate()
    if taken_over_on > timezone.localdate():
        raise ValidationError({"taken_over_on": _("A takeover is recorded once it has happened.")})
    last = estate.takeovers.order_by("-taken_over_on", "-pk").first()
    if estate.status == EstateStatus.MANAGED and last is not None:
        raise ValidationError(_("%(estate)s is already managed: its takeover is on record.") % {"estate": estate})
    if last is not None and taken_over_on <= last.taken_over_on:
        raise ValidationError({"taken_over_on": _("The estate's last takeover was on %(date)s: a new one comes "
                                                  "after it.") % {"date": f"{last.taken_over_on:%Y-%m-%d}"}})
    allowed = takeover_contracts(estate, on=taken_over_on)
    basis = allowed.filter(pk=contract.pk).first() if contract is not None else allowed.first()
    if basis is None:
        rule = str(takeover_rule(estate)[2])
        if taken_over_on != timezone.localdate() and takeover_contracts(estate).exists():
            raise ValidationError({"taken_over_on": _("On %(date)s no such contract was signed and in force yet. "
                                                      "%(rule)s") % {"date": f"{taken_over_on:%Y-%m-%d}",
                                                                     "rule": rule}})
        if contract is not None and allowed.exists():
            raise ValidationError({"contract": _("This contract does not allow the takeover. %(rule)s")
                                   % {"rule": rule}})
        raise ValidationError(rule)
    with acting_as(actor):
        takeover = Takeover(estate=estate, contract=basis, taken_over_on=taken_over_on, notes=notes)
        takeover.full_clean()
        takeover.save()
        estate.status = EstateStatus.MANAGED
        estate.managed_since = taken_over_on
        estate.save()
        audit("estate.takeover", actor=actor, obj=estate, estate_id=estate.pk, contract=basis.number,
              taken_over_on=str(taken_over_on))
        return takeover
