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
    CommitteeMember,
    Customer,
    Estate,
    Occupancy,
    OwnersCommittee,
    Unit,
    unit_code,
)
from wuye.org import services as org_services
from wuye.org.models import Company, Staff

from .bulk import add_arguments, generate
from .data import DEVELOPER, ESTATES, NOTES, RESIDENT_UNIT, STAFF_ESTATES

__all__ = ["add_arguments", "generate", "load"]

SEED = 20261127


def _day(rng, start: dt.date, end: dt.date) -> dt.date:
    return dt.date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))


class _Archive:
    """Makes one estate's customers; remembers mobiles and ID numbers so they stay unique."""

    def __init__(self, rng: random.Random, estate: Estate):
        self.rng, self.estate = rng, estate
        self.mobiles: set[str] = set()
        self.ids: set[str] = set()
        self.owners: list[Customer] = []
        self.count = 0

    def customer(self, kind: str, *, who: tuple[str, str] | None = None, status=CustomerStatus.ACTIVE,
                 user=None) -> Customer:
        rng = self.rng
        name, sex = who or person(rng)
        id_number = ""
        while not id_number or id_number in self.ids:
            id_number = resident_id(rng, sex=sex, birth=birth_date(rng, oldest=1948, youngest=2000))
        self.ids.add(id_number)
        fields = {"kind": kind, "name": name, "id_type": IdType.RESIDENT_ID, "id_number": id_number,
                  "status": status}
        if rng.random() < 0.5:
            fields["emergency_contact"] = person(rng)[0]
            fields["emergency_phone"] = demo_mobile(rng, self.mobiles)
        if rng.random() < 0.06:
            fields["notes"] = rng.choice(NOTES)
        if user is not None:
            fields["user"] = user
        customer, _ = ensure(Customer, {"estate": self.estate, "mobile": demo_mobile(rng, self.mobiles)}, fields)
        self.count += 1
        return customer


def _occupy(unit, customer, role, start, end=None, primary=False):
    ensure(Occupancy, {"unit": unit, "customer": customer, "role": role, "start_date": start},
           {"end_date": end, "is_primary_contact": primary})


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


def _unit(fields, status) -> Unit:
    lookup = {k: fields[k] for k in ("building", "entrance", "number")}
    unit, _ = ensure(Unit, lookup, {**{k: v for k, v in fields.items() if k not in lookup}, "status": status})
    return unit


def _new_build(rng, archive, estate, spec, resident):
    """Developer-held unsold units, owners since handover (some renovating or not moved in), few tenants."""
    developer, _ = ensure(Customer, {"estate": estate, "mobile": DEVELOPER["mobile"]},
                          {k: v for k, v in DEVELOPER.items() if k != "mobile"})
    handover = spec["delivered"]
    for fields, code, r in _slots(rng, estate, spec):
        if code == RESIDENT_UNIT:
            r = 0.9
        if r < 0.12:
            _occupy(_unit({**fields, "delivered_on": None}, UnitStatus.UNSOLD), developer, OccupancyRole.OWNER,
                    handover)
            continue
        status = (UnitStatus.RENOVATING if r < 0.27 else UnitStatus.VACANT if r < 0.35
                  else UnitStatus.LET if r < 0.40 else UnitStatus.OCCUPIED)
        unit = _unit(fields, status)
        start = _day(rng, handover, dt.date(2026, 6, 30))
        if code == RESIDENT_UNIT:
            owner = archive.customer(CustomerKind.OWNER, who=(resident.first_name, "F"), user=resident)
        elif archive.owners and rng.random() < 0.03:
            owner = rng.choice(archive.owners)  # an investor with a second flat
        else:
            owner = archive.customer(CustomerKind.OWNER)
        archive.owners.append(owner)
        _occupy(unit, owner, OccupancyRole.OWNER, start, primary=status != UnitStatus.LET)
        if rng.random() < 0.2:
            _occupy(unit, archive.customer(CustomerKind.OWNER), OccupancyRole.CO_OWNER, start)
        if status == UnitStatus.LET:
            _occupy(unit, archive.customer(CustomerKind.TENANT), OccupancyRole.TENANT,
                    _day(rng, start, dt.date(2026, 10, 31)), primary=True)


def _existing(rng, archive, estate, spec):
    """Owners since long ago; some units resold (the previous owner archived), tenants current and past."""
    since = spec["delivered"]
    for fields, _code, r in _slots(rng, estate, spec):
        status = UnitStatus.LET if r < 0.2 else UnitStatus.VACANT if r > 0.97 else UnitStatus.OCCUPIED
        unit = _unit(fields, status)
        start = _day(rng, since, dt.date(2020, 12, 31))
        if rng.random() < 0.12:
            previous = archive.customer(CustomerKind.OWNER, status=CustomerStatus.ARCHIVED)
            sold = _day(rng, start + dt.timedelta(days=400), dt.date(2025, 12, 31))
            _occupy(unit, previous, OccupancyRole.OWNER, start, end=sold)
            start = sold + dt.timedelta(days=1)
        owner = (rng.choice(archive.owners) if archive.owners and rng.random() < 0.03
                 else archive.customer(CustomerKind.OWNER))
        archive.owners.append(owner)
        _occupy(unit, owner, OccupancyRole.OWNER, start, primary=status != UnitStatus.LET)
        if rng.random() < 0.08:
            old_start = _day(rng, dt.date(2019, 1, 1), dt.date(2022, 12, 31))
            _occupy(unit, archive.customer(CustomerKind.TENANT, status=CustomerStatus.ARCHIVED),
                    OccupancyRole.TENANT, old_start, end=old_start + dt.timedelta(days=rng.choice((364, 729))))
        if status == UnitStatus.LET:
            _occupy(unit, archive.customer(CustomerKind.TENANT), OccupancyRole.TENANT,
                    _day(rng, dt.date(2024, 1, 1), dt.date(2026, 10, 31)), primary=True)


def _committees(rng, archive, estate, spec):
    owners = list(dict.fromkeys(c for c in archive.owners if c.status == CustomerStatus.ACTIVE))
    positions = [CommitteePosition.DIRECTOR, CommitteePosition.DEPUTY] + [CommitteePosition.MEMBER] * 4 + [
        CommitteePosition.ALTERNATE]
    for term in spec["committees"]:
        members = rng.sample(owners, term["size"])
        active = term["status"] == CommitteeStatus.ACTIVE
        committee, _ = ensure(OwnersCommittee, {"estate": estate, "term_number": term["term_number"]}, {
            **{k: v for k, v in term.items() if k not in ("term_number", "size")},
            "contact_phone": members[0].mobile if active else "",
        })
        for customer, position in zip(members, positions, strict=False):
            left_on = None if active else term["term_end"]
            ensure(CommitteeMember, {"committee": committee, "customer": customer},
                   {"position": position, "joined_on": term["term_start"], "left_on": left_on})


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
    company = Company.objects.order_by("pk").first()
    estates, customers = {}, 0
    with acting_as(admin):
        for spec in ESTATES:
            estates[spec["code"]] = _estate(company, spec)
    with acting_as(manager):
        for spec in ESTATES:
            estate = estates[spec["code"]]
            archive = _Archive(rng, estate)
            if spec["kind"] == EstateKind.NEW_BUILD:
                _new_build(rng, archive, estate, spec, resident)
            else:
                _existing(rng, archive, estate, spec)
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
