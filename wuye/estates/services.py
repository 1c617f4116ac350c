"""Workflow writes of the estates app: the customer archive, occupancies, units and owners' committees.

Every function is keyword-only, runs in one transaction, validates with ``full_clean()``, writes an audit
event and raises ``ValidationError`` (field-level where a field is to blame) on bad input. Records are never
deleted: a customer is archived, an occupancy or a committee term is ended.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wuye.core.audit import audit
from wuye.core.context import acting_as

from .choices import CommitteeStatus, CustomerStatus, OccupancyRole
from .hooks import committee_recorded
from .models import (
    Building,
    CommitteeMember,
    Customer,
    Estate,
    Occupancy,
    OwnersCommittee,
    Unit,
    _current_occupancy_q,
)

CUSTOMER_FIELDS = ("kind", "name", "mobile", "phone", "id_type", "id_number", "email", "emergency_contact",
                   "emergency_phone", "notes")
UNIT_FIELDS = ("entrance", "floor", "number", "usage", "status", "floor_area", "delivered_on", "notes")


def normalize_unit_code(value: str) -> str:
    """``'3栋2单元1201室'``, ``'3－2－1201'``, ``' 3-2-1201 '`` -> ``'3-2-1201'``."""
    value = (value or "").strip().upper()
    for sep in ("－", "—", "–", "/", "#", "栋", "幢", "座", "号楼", "单元"):
        value = value.replace(sep, "-")
    for suffix in ("室", "号"):
        value = value.removesuffix(suffix)
    parts = [p for p in value.replace(" ", "").split("-") if p]
    return "-".join(parts)


def unit_by_code(*, user, estate: Estate, code: str) -> Unit | None:
    """The unit of ``estate`` with the unit number ``code`` (as the user may see it), or None."""
    code = normalize_unit_code(code)
    if not code:
        return None
    return Unit.objects.restrict(user, "view").filter(estate=estate, code=code).first()


def _save(obj, *, exclude=None):
    obj.full_clean(exclude=exclude)
    obj.save()
    return obj


# --- estates and buildings ----------------------------------------------------------------------------------


@transaction.atomic
def building_get_or_create(*, actor, estate: Estate, number: str) -> tuple[Building, bool]:
    """The building of ``estate`` numbered ``number``; created (audited) when missing."""
    number = (number or "").strip()
    with acting_as(actor):
        building = Building.objects.filter(estate=estate, number=number).first()
        if building is not None:
            return building, False
        if not actor.has_perm("estates.add_building"):
            raise ValidationError({"building": _("Building %(number)s does not exist and you may not add "
                                                 "buildings.") % {"number": number}})
        name = _("Building %(number)s") % {"number": number} if number.isdigit() else ""
        building = _save(Building(estate=estate, number=number, name=name))
        audit("building.create", actor=actor, obj=building)
        return building, True


# --- units ----------------------------------------------------------------------------------------------------


@transaction.atomic
def unit_create(*, actor, building: Building, number: str, entrance: str = "", floor: int | None = None,
                **fields) -> Unit:
    """A new unit of ``building``; its unit number (``3-2-1201``) and estate are derived. The room number
    must be unique within the building and entrance."""
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unit_create() got unexpected fields: {', '.join(sorted(unknown))}")
    with acting_as(actor):
        unit = Unit(building=building, entrance=(entrance or "").strip(), floor=floor,
                    number=(number or "").strip(), **fields)
        _save(unit)
        audit("unit.create", actor=actor, obj=unit, code=unit.code)
        return unit


# --- customers ----------------------------------------------------------------------------------------------


@transaction.atomic
def customer_create(*, actor, estate: Estate, name: str, unit: Unit | None = None,
                    occupancy_role: str = OccupancyRole.OWNER, moved_in_on: dt.date | None = None,
                    **fields) -> Customer:
    """A new record in the estate's customer archive; with ``unit``, their occupancy of it starts too."""
    unknown = set(fields) - set(CUSTOMER_FIELDS)
    if unknown:
        raise TypeError(f"customer_create() got unexpected fields: {', '.join(sorted(unknown))}")
    with acting_as(actor):
        customer = Customer(estate=estate, name=(name or "").strip(), **fields)
        _save(customer)
        audit("customer.create", actor=actor, obj=customer)
        if unit is not None:
            occupancy_start(actor=actor, unit=unit, customer=customer, role=occupancy_role,
                            start_date=moved_in_on or timezone.localdate())
        return customer


@transaction.atomic
def customer_update(*, actor, customer: Customer, **changes) -> Customer:
    """Change a customer's details. Personal values are never written to the audit log, only which fields
    changed (the change history keeps them masked)."""
    unknown = set(changes) - set(CUSTOMER_FIELDS)
    if unknown:
        raise TypeError(f"customer_update() got unexpected fields: {', '.join(sorted(unknown))}")
    with acting_as(actor):
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        before = {f: getattr(customer, f) for f in changes}
        for field, value in changes.items():
            setattr(customer, field, value)
        _save(customer)
        changed = sorted(f for f in changes if getattr(customer, f) != before[f])
        if changed:
            audit("customer.update", actor=actor, obj=customer, fields=changed)
        return customer


@transaction.atomic
def customer_archive(*, actor, customer: Customer, on: dt.date | None = None, reason: str = "") -> Customer:
    """Archive a customer (never deleted): their current occupancies and committee seats end on ``on``."""
    on = on or timezone.localdate()
    with acting_as(actor):
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        if customer.status == CustomerStatus.ARCHIVED:
            raise ValidationError(_("This customer is already archived."))
        ended = []
        for occupancy in customer.occupancies.filter(_current_occupancy_q()).select_related("unit"):
            if occupancy.start_date > on:
                raise ValidationError(_("An occupancy of %(unit)s starts after %(date)s; end it first.")
                                      % {"unit": occupancy.unit.code, "date": on})
            occupancy.end_date = on
            _save(occupancy)
            ended.append(occupancy.pk)
        customer.committee_seats.filter(left_on__isnull=True).update(left_on=on)
        customer.status = CustomerStatus.ARCHIVED
        customer.save()
        audit("customer.archive", actor=actor, obj=customer, on=str(on), reason=reason[:500],
              occupancies_ended=ended)
        return customer


@transaction.atomic
def customer_reactivate(*, actor, customer: Customer) -> Customer:
    with acting_as(actor):
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        if customer.status != CustomerStatus.ARCHIVED:
            raise ValidationError(_("Only an archived customer can be made active again."))
        customer.status = CustomerStatus.ACTIVE
        _save(customer)
        audit("customer.reactivate", actor=actor, obj=customer)
        return customer


# --- occupancies ----------------------------------------------------------------------------------------------


@transaction.atomic
def occupancy_start(*, actor, unit: Unit, customer: Customer, start_date: dt.date,
                    role: str = OccupancyRole.OWNER, is_primary_contact: bool = False, notes: str = "") -> Occupancy:
    """The customer starts living in / owning / renting the unit."""
    with acting_as(actor):
        if customer.status == CustomerStatus.ARCHIVED:
            raise ValidationError({"customer": _("This customer is archived; make them active first.")})
        occupancy = Occupancy(unit=unit, customer=customer, role=role, start_date=start_date,
                              is_primary_contact=is_primary_contact, notes=notes)
        occupancy.full_clean()
        if Occupancy.objects.filter(_current_occupancy_q(), unit=unit, customer=customer, role=role).exists():
            raise ValidationError({"unit": _("%(customer)s is already recorded for %(unit)s in this role.")
                                   % {"customer": customer, "unit": unit.code}})
        if is_primary_contact:
            Occupancy.objects.filter(_current_occupancy_q(), unit=unit, is_primary_contact=True).update(
                is_primary_contact=False)
        occupancy.save()
        audit("occupancy.start", actor=actor, obj=occupancy, unit=unit.code, customer=customer.pk)
        return occupancy


@transaction.atomic
def occupancy_end(*, actor, occupancy: Occupancy, end_date: dt.date) -> Occupancy:
    """The customer moved out / sold / the lease ended on ``end_date`` (not before the start)."""
    with acting_as(actor):
        occupancy = Occupancy.objects.select_for_update().get(pk=occupancy.pk)
        if occupancy.end_date is not None and occupancy.end_date < timezone.localdate():
            raise ValidationError(_("This occupancy has already ended."))
        if end_date is None:
            raise ValidationError({"end_date": _("Give the date it ends.")})
        if end_date < occupancy.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
        occupancy.end_date = end_date
        _save(occupancy)
        audit("occupancy.end", actor=actor, obj=occupancy, end_date=str(end_date))
        return occupancy


# --- owners' committees --------------------------------------------------------------------------------------


@transaction.atomic
def committee_create(*, actor, estate: Estate, established_on: dt.date, term_start: dt.date, term_end: dt.date,
                     term_number: int | None = None, filing_number: str = "", contact_phone: str = "",
                     notes: str = "") -> OwnersCommittee:
    """Record a newly elected owners' committee (the next term unless given). An estate has at most one
    committee in office: end the previous term first."""
    with acting_as(actor):
        Estate.objects.select_for_update().filter(pk=estate.pk).first()
        if term_number is None:
            term_number = (estate.committees.aggregate(m=Max("term_number"))["m"] or 0) + 1
        committee = OwnersCommittee(estate=estate, term_number=term_number, established_on=established_on,
                                    term_start=term_start, term_end=term_end, filing_number=filing_number,
                                    contact_phone=contact_phone, notes=notes)
        try:
            committee.full_clean()
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            if "status" in errors:  # not a field of the forms: say what to do
                errors.pop("status")
                errors.setdefault("estate", []).append(
                    _("This estate already has a committee in office; end its term first."))
            raise ValidationError(errors) from None
        committee.save()
        audit("committee.create", actor=actor, obj=committee, term_number=term_number)
        committee_recorded(actor=actor, committee=committee)
        return committee


@transaction.atomic
def committee_end(*, actor, committee: OwnersCommittee, ended_on: dt.date | None = None) -> OwnersCommittee:
    """The committee's term is over (or it was dissolved): it stays on record, its members' seats end."""
    ended_on = ended_on or timezone.localdate()
    with acting_as(actor):
        committee = OwnersCommittee.objects.select_for_update().get(pk=committee.pk)
        if committee.status == CommitteeStatus.ENDED:
            raise ValidationError(_("This committee's term has already ended."))
        if ended_on < committee.term_start:
            raise ValidationError({"ended_on": _("The committee cannot end before its term starts.")})
        committee.status = CommitteeStatus.ENDED
        _save(committee)
        for member in committee.members.filter(left_on__isnull=True):
            member.left_on = ended_on
            member.save()
        audit("committee.end", actor=actor, obj=committee, ended_on=str(ended_on))
        return committee


@transaction.atomic
def committee_member_add(*, actor, committee: OwnersCommittee, customer: Customer, position: str,
                         joined_on: dt.date | None = None) -> CommitteeMember:
    """Give a customer of the committee's estate a seat on a committee in office."""
    with acting_as(actor):
        if committee.status != CommitteeStatus.ACTIVE:
            raise ValidationError({"committee": _("This committee's term has ended.")})
        if customer.status == CustomerStatus.ARCHIVED:
            raise ValidationError({"customer": _("This customer is archived.")})
        member = CommitteeMember(committee=committee, customer=customer, position=position,
                                 joined_on=joined_on or committee.term_start)
        _save(member)
        audit("committee.member_add", actor=actor, obj=member, committee=committee.pk, customer=customer.pk)
        return member


@transaction.atomic
def committee_member_leave(*, actor, member: CommitteeMember, left_on: dt.date) -> CommitteeMember:
    with acting_as(actor):
        member = CommitteeMember.objects.select_for_update().get(pk=member.pk)
        if member.left_on is not None:
            raise ValidationError(_("This member has already left the committee."))
        if member.joined_on and left_on < member.joined_on:
            raise ValidationError({"left_on": pgettext("committee member",
                                                          "The leaving date is before the joining date.")})
        member.left_on = left_on
        _save(member)
        audit("committee.member_leave", actor=actor, obj=member, left_on=str(left_on))
        return member
