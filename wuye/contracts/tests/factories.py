"""Contracts for tests, made through the services (DESIGN.md §10): drafted and submitted by the customer-service
manager, reviewed and signed by top management."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wuye.contracts import services
from wuye.contracts.choices import ContractKind, PartyKind


def today() -> dt.date:
    return timezone.localdate()


def draft(world, *, estate=None, kind=ContractKind.PRELIMINARY, party_kind=None, actor=None, start=None,
          end=None, **fields):
    """A draft contract; a preliminary one with the developer by default, valid from a year ago for three years."""
    estate = world.estate_a if estate is None else estate
    if party_kind is None:
        party_kind = {ContractKind.PRELIMINARY: PartyKind.DEVELOPER, ContractKind.SERVICE: PartyKind.COMMITTEE}.get(
            kind, PartyKind.SUPPLIER)
    if party_kind == PartyKind.COMMITTEE:
        fields.setdefault("party_committee", estate.committees.filter(status="active").first())
    else:
        fields.setdefault("party_name", "测试开发建设有限公司" if party_kind == PartyKind.DEVELOPER else "测试服务公司")
    start = start or today() - dt.timedelta(days=365)
    end = end or start + dt.timedelta(days=3 * 365)
    fields.setdefault("title", f"{estate.name}{dict(ContractKind.choices)[kind]}")
    fields.setdefault("owner", world.staff["cs_manager"])
    return services.contract_create(actor=actor or world.users["cs_manager"], kind=kind, estate=estate,
                                    party_kind=party_kind, valid_from=start, valid_to=end, **fields)


def reviewed(world, contract, *, reviewer=None):
    """Submit ``contract`` and pass its review (every point holds)."""
    review = services.contract_submit_review(actor=world.users["cs_manager"], contract=contract)
    services.contract_pass_review(actor=reviewer or world.users["executive"], contract=contract,
                                  checks={check.pk: True for check in review.checks.all()}, comments="同意")
    contract.refresh_from_db()
    return contract


def signed(world, contract=None, *, signed_on=None, **fields):
    """A signed contract (in force when its period has begun): made, reviewed and signed through the services."""
    contract = contract or draft(world, **fields)
    reviewed(world, contract)
    services.contract_sign(actor=world.users["executive"], contract=contract, signed_on=signed_on)
    contract.refresh_from_db()
    return contract
