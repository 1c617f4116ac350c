"""Demo data of the estates app.

``load()`` (``manage.py load_demo``): three estates in Hangzhou (one new-build, two existing), buildings with
entrances, a few hundred units numbered like ``3-2-1201``, a few hundred customers (owners, co-owners,
tenants, one developer; some archived after a resale) with valid mobile and ID numbers, current and ended
occupancies, an owners' committee per estate; the estates each staff member serves, and the resident's login
linked to their customer record. Everything is found by a natural key and written only when it differs, so
a second run changes nothing. Random choices come from a fixed seed.

``generate()`` / ``add_arguments()`` (``manage.py generate_data``): the bulk generator, see ``.bulk``.
"""

from __future__ import annotations

import datetime as dt
import random

from wuye.core.context import acting_as
from wuye.core.demo import DemoLogin, demo_user, ensure
from wuye.core.management.fakedata import birth_date, demo_mobile, person, resident_id
from wuye.core.personal import phone_digest
from wuye.estates import services
from wuye.estates.choices import (
    BuildingKind,
    CommitteePosition,
    CommitteeStatus,
    CustomerKind,
    CustomerStatus,
    EstateKind,
    IdType,
    OccupancyRole,
    UnitStatus,
    UnitUsage,
)
from wuye.estates.models import (
    Building,
    Customer,
    Estate,
    Occupancy,
    OwnersCommittee,
    Unit,
    unit_code,
)
from wuye.org import services as org_services
from wuye.org.demo import COMPANY_NAME
from wuye.org.models import Company, Staff

from .bulk import add_arguments, generate
from .data import DEVELOPER, ESTATES, NOTES, RESIDENT_UNIT, STAFF_ESTATES

__all__ = ["add_arguments", "generate", "load"]

SEED = 20261127


def _day(rng, start: dt.date, end: dt.date) -> dt.date:
    return dt.date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))


class _Archive:
    """Makes one estate's customers; remembers mobiles and ID numbers so they stay unique. New records go
    through ``estates.services`` (audited, with history), acting as ``actor``; existing ones are kept in step
    with ``ensure``. All random draws happen whether or not the record exists, so every run draws the same."""

    def __init__(self, rng: random.Random, estate: Estate, actor):
        self.rng, self.estate, self.actor = rng, estate, actor
        self.mobiles: set[str] = set()
        self.ids: set[str] = set()
        self.owners: list[Customer] = []
        self.count = 0

    def customer(self, kind: str, *, who: tuple[str, str] | None = None) -> Customer:
        rng = self.rng
        name, sex = who or person(rng)
        id_number = ""
        while not id_number or id_number in self.ids:
            id_number = resident_id(rng, sex=sex, birth=birth_date(rng, oldest=1948, youngest=2000))
        self.ids.add(id_number)
        fields = {"kind": kind, "name": name, "id_type": IdType.RESIDENT_ID, "id_number": id_number}
        if rng.random() < 0.5:
            fields["emergency_contact"] = person(rng)[0]
            fields["emergency_phone"] = demo_mobile(rng, self.mobiles)
        if rng.random() < 0.06:
            fields["notes"] = rng.choice(NOTES)
        self.count += 1
        return self.record(demo_mobile(rng, self.mobiles), fields)

    def record(self, mobile: str, fields: dict) -> Customer:
        customer = Customer.objects.filter(estate=self.estate, mobile_digest=phone_digest(mobile)).first()
        if customer is None:
            return services.customer_create(actor=self.actor, estate=self.estate, mobile=mobile, **fields)
        return ensure(Customer, {"pk": customer.pk}, fields)[0]

    def occupy(self, unit, customer, role, start, *, primary=False) -> None:
        if not Occupancy.objects.filter(unit=unit, customer=customer, role=role, start_date=start).exists():
            services.occupancy_start(actor=self.actor, unit=unit, customer=customer, role=role, start_date=start,
                                     is_primary_contact=primary)

    def archive(self, customer, on: dt.date, reason: str) -> None:
        """The customer sold or moved out on ``on``: their occupancies end, the record is kept, archived."""
        if customer.status != CustomerStatus.ARCHIVED:
            services.customer_archive(actor=self.actor, customer=customer, on=on, reason=reason)


def _estate(company, spec) -> Estate:
    fields = {k: v for k, v in spec.items() if k not in ("buildings", "delivered", "areas", "committees")}
    code = fields.pop("code")
    estate, _ = ensure(Estate, {"code": code}, {"company": company, **fields})
    return estate


def _slots(rng, estate, spec):
    """Yield ``(unit_fields, code, r)`` for every unit of the estate's buildings (created as needed); ``r`` is a
    random number the caller turns into the unit's status and occupants."""
    for number, name, kind, floors, entrances, per_floor, year in spec["buildings"]:
        building, _ = ensure(Building, {"estate": estate, "number": number}, {
            "name": name, "kind": kind, "floors": floors, "entrances": entrances or None, "completed_year": year})
        shop = kind == BuildingKind.COMMERCIAL
        for entrance in [str(n) for n in range(1, entrances + 1)] or [""]:
            for floor in range(1, floors + 1):
                for pos in range(1, per_floor + 1):
                    room = f"{floor}{pos:02d}"
                    area = f"{rng.randint(40, 120)}.{rng.randint(0, 99):02d}" if shop else rng.choice(spec["areas"])
                    fields = {"building": building, "entrance": entrance, "number": room, "floor": floor,
                              "floor_area": area, "usage": UnitUsage.SHOP if shop else UnitUsage.RESIDENTIAL,
                              "delivered_on": spec["delivered"]}
                    yield fields, unit_code(number, entrance, room), rng.random()


def _unit(fields, status, actor) -> Unit:
    lookup = {k: fields[k] for k in ("building", "entrance", "number")}
    unit = Unit.objects.filter(**lookup).first()
    rest = {**{k: v for k, v in fields.items() if k not in lookup}, "status": status}
    if unit is None:
        return services.unit_create(actor=actor, **lookup, **rest)
    return ensure(Unit, {"pk": unit.pk}, rest)[0]


def _new_build(rng, archive, estate, spec, resident, admin):
    """Developer-held unsold units, owners since handover (some renovating or not moved in), few tenants."""
    developer = archive.record(DEVELOPER["mobile"], {k: v for k, v in DEVELOPER.items() if k != "mobile"})
    handover = spec["delivered"]
    for fields, code, r in _slots(rng, estate, spec):
        if code == RESIDENT_UNIT:
            r = 0.9
        if r < 0.12:
            unit = _unit({**fields, "delivered_on": None}, UnitStatus.UNSOLD, admin)
            archive.occupy(unit, developer, OccupancyRole.OWNER, handover)
            continue
        status = (UnitStatus.RENOVATING if r < 0.27 else UnitStatus.VACANT if r < 0.35
                  else UnitStatus.LET if r < 0.40 else UnitStatus.OCCUPIED)
        unit = _unit(fields, status, admin)
        start = _day(rng, handover, dt.date(2026, 6, 30))
        if code == RESIDENT_UNIT:
            owner = archive.customer(CustomerKind.OWNER, who=(resident.first_name, "F"))
            ensure(Customer, {"pk": owner.pk}, {"user": resident})  # the portal account is linked
        elif archive.owners and rng.random() < 0.03:
            owner = rng.choice(archive.owners)  # an investor with a second flat
        else:
            owner = archive.customer(CustomerKind.OWNER)
        archive.owners.append(owner)
        archive.occupy(unit, owner, OccupancyRole.OWNER, start, primary=status != UnitStatus.LET)
        if rng.random() < 0.2:
            archive.occupy(unit, archive.customer(CustomerKind.OWNER), OccupancyRole.CO_OWNER, start)
        if status == UnitStatus.LET:
            archive.occupy(unit, archive.customer(CustomerKind.TENANT), OccupancyRole.TENANT,
                           _day(rng, start, dt.date(2026, 10, 31)), primary=True)


def _existing(rng, archive, estate, spec, admin):
    """Owners since long ago; some units resold (the previous owner archived), tenants current and past."""
    since = spec["delivered"]
    for fields, _code, r in _slots(rng, estate, spec):
        status = UnitStatus.LET if r < 0.2 else UnitStatus.VACANT if r > 0.97 else UnitStatus.OCCUPIED
        unit = _unit(fields, status, admin)
        start = _day(rng, since, dt.date(2020, 12, 31))
        if rng.random() < 0.12:
            previous = archive.customer(CustomerKind.OWNER)
            sold = _day(rng, start + dt.timedelta(days=400), dt.date(2025, 12, 31))
            archive.occupy(unit, previous, OccupancyRole.OWNER, start)
            archive.archive(previous, sold, "房屋已出售")
            start = sold + dt.timedelta(days=1)
        owner = (rng.choice(archive.owners) if archive.owners and rng.random() < 0.03
                 else archive.customer(CustomerKind.OWNER))
        archive.owners.append(owner)
        archive.occupy(unit, owner, OccupancyRole.OWNER, start, primary=status != UnitStatus.LET)
        if rng.random() < 0.08:
            old_start = _day(rng, dt.date(2019, 1, 1), dt.date(2022, 12, 31))
            tenant = archive.customer(CustomerKind.TENANT)
            archive.occupy(unit, tenant, OccupancyRole.TENANT, old_start)
            archive.archive(tenant, old_start + dt.timedelta(days=rng.choice((364, 729))), "租约到期，已搬离")
        if status == UnitStatus.LET:
            archive.occupy(unit, archive.customer(CustomerKind.TENANT), OccupancyRole.TENANT,
                           _day(rng, dt.date(2024, 1, 1), dt.date(2026, 10, 31)), primary=True)


def _committees(rng, archive, estate, spec):
    """Each term through the services: elected, members seated, and (for a past term) ended."""
    owners = list(dict.fromkeys(archive.owners))
    positions = [CommitteePosition.DIRECTOR, CommitteePosition.DEPUTY] + [CommitteePosition.MEMBER] * 4 + [
        CommitteePosition.ALTERNATE]
    actor = archive.actor
    for term in spec["committees"]:
        members = rng.sample(owners, term["size"])
        if OwnersCommittee.objects.filter(estate=estate, term_number=term["term_number"]).exists():
            continue
        committee = services.committee_create(
            actor=actor, estate=estate, term_number=term["term_number"], established_on=term["established_on"],
            term_start=term["term_start"], term_end=term["term_end"], filing_number=term["filing_number"],
            contact_phone=members[0].mobile, notes=term["notes"])
        for customer, position in zip(members, positions, strict=False):
            services.committee_member_add(actor=actor, committee=committee, customer=customer, position=position,
                                          joined_on=term["term_start"])
        if term["status"] == CommitteeStatus.ENDED:
            services.committee_end(actor=actor, committee=committee, ended_on=term["term_end"])


def _staff_estates(admin, estates):
    for number, codes in STAFF_ESTATES.items():
        staff = Staff.objects.filter(employee_no=number).first()
        if staff is None:
            continue
        wanted = [estates[c] for c in codes]
        if set(staff.estates.values_list("pk", flat=True)) != {e.pk for e in wanted}:
            org_services.staff_set_estates(actor=admin, staff=staff, estates=wanted)


def load(*, stdout, style):
    rng = random.Random(SEED)
    admin, manager, resident = demo_user("admin"), demo_user("cs_manager"), demo_user("resident")
    company = Company.objects.get(name=COMPANY_NAME)  # made by org.demo
    estates, customers = {}, 0
    with acting_as(admin):
        for spec in ESTATES:
            estates[spec["code"]] = _estate(company, spec)
    with acting_as(manager):
        for spec in ESTATES:
            estate = estates[spec["code"]]
            archive = _Archive(rng, estate, manager)
            if spec["kind"] == EstateKind.NEW_BUILD:
                _new_build(rng, archive, estate, spec, resident, admin)
            else:
                _existing(rng, archive, estate, spec, admin)
            _committees(rng, archive, estate, spec)
            customers += archive.count
    _staff_estates(admin, estates)
    units = Unit.objects.filter(estate__in=estates.values()).count()
    stdout.write(f"estates: {len(estates)} estates, {units} units, {customers} customers (+1 developer)")
    return _logins(estates, resident)


def _logins(estates, resident) -> list[DemoLogin]:
    def names(codes):
        return "、".join(estates[c].name for c in codes)

    others = [c for c in estates if c not in STAFF_ESTATES["KF003"]]
    mine = Customer.objects.filter(user=resident).select_related("estate").first()
    unit = mine.occupancies.select_related("unit").first().unit.code if mine else ""
    return [
        DemoLogin("agent", sees=f"只服务 {names(STAFF_ESTATES['KF003'])}：客户档案、快速查询（如 {RESIDENT_UNIT}、"
                                f"尾号 {mine.mobile[-4:] if mine else ''}）；{names(others)} 的客户打开是 404"),
        DemoLogin("agent2", sees=f"只服务 {names(STAFF_ESTATES['KF004'])}（与 agent 对比数据范围）"),
        DemoLogin("resident", sees=f"业主 {resident.first_name}（{mine.estate if mine else ''} {unit}）："
                                   "只看到本人的房屋和档案"),
    ]
