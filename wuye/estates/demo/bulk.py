"""Bulk data for benchmarks (``manage.py generate_data --customers N --units N --estates N``).

Every run adds new estates (codes ``gen00001``…), their buildings (18 floors, 2 entrances, 2 flats per floor
and entrance), units, customers (owners, some tenants, co-owners when there are more customers than units)
and one occupancy per customer, then fills the search index.

Fast and bounded in memory: rows are built in batches and written without a ``save()`` per row, by
``core.management.bulk.insert_rows`` (one ``executemany`` per batch; ``bulk_create`` is used only for the few
buildings and estates). Derived values are computed here as ``save()`` would: ``Unit.estate`` and
``Unit.code``, the keyed ``Customer.id_number_digest``; ``id_number`` and ``mobile`` themselves are encrypted by
the field's ``get_prep_value`` (``insert_rows`` prepares every value through its field, as ``bulk_create`` does)
and ``insert_rows`` derives ``mobile_tail``/``mobile_digest`` from the mobile number.
Ids are read back per batch (streamed).
The search index is filled afterwards by ``core.search.index_objects``, which streams (``iterator``) and
writes in batches; the querysets given to it load only the columns the search registrations use.

Generated rows skip the per-row change history (no "created" history rows) and signals: they are
benchmark data, otherwise valid (mobile numbers, ID check digits, unique unit numbers per estate).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from array import array

from django.db.models import Prefetch

from wuye.core import search
from wuye.core.management.bulk import insert_rows
from wuye.core.management.fakedata import birth_date, mobile, person, resident_id
from wuye.core.personal import digest
from wuye.estates.choices import (
    BuildingKind,
    CustomerKind,
    CustomerStatus,
    EstateKind,
    IdType,
    OccupancyRole,
    UnitStatus,
)
from wuye.estates.models import Building, Customer, Estate, Occupancy, Unit, unit_code
from wuye.org.models import Company

FLOORS, ENTRANCES, PER_FLOOR = 18, 2, 2
PER_BUILDING = FLOORS * ENTRANCES * PER_FLOOR
FLOOR_AREAS = ("89.50", "98.60", "118.30", "128.75", "143.60")
LAST_START, LAST_END = dt.date(2026, 10, 31), dt.date(2026, 11, 26)
UNIT_COLUMNS = ("estate", "building", "entrance", "floor", "number", "code", "status", "floor_area", "delivered_on")
CUSTOMER_COLUMNS = ("estate", "kind", "name", "mobile", "id_type", "id_number", "id_number_digest", "status")
OCCUPANCY_COLUMNS = ("unit", "customer", "role", "start_date", "end_date", "is_primary_contact")
NAME_HEADS = ["金色", "阳光", "翠湖", "锦绣", "名仕", "春江", "西溪", "桂语", "滨江", "绿城",
              "云栖", "紫金", "丽景", "和园", "星河", "半岛", "湖畔", "天元", "望江", "晓风"]
NAME_TAILS = ["花园", "家园", "府", "苑", "公寓", "名邸", "华庭", "雅居", "新城", "小区"]
DISTRICTS = ["上城区", "拱墅区", "西湖区", "滨江区", "萧山区", "余杭区", "临平区", "钱塘区"]
ROADS = ["文三路", "天目山路", "莫干山路", "江南大道", "滨盛路", "市心路", "文一西路", "丰潭路", "建国北路", "庆春路"]


def add_arguments(parser) -> None:
    group = parser.add_argument_group("estates")
    group.add_argument("--customers", type=int, default=0, help="customers to generate (default 0)")
    group.add_argument("--units", type=int, default=None, help="units to generate (default: as many as customers)")
    group.add_argument("--estates", type=int, default=10, help="estates to spread them over (default 10)")


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _company() -> Company:
    company = Company.objects.order_by("pk").first()
    if company is None:
        company = Company.objects.create(name="基准测试物业服务有限公司", short_name="基准物业")
    return company


def _estates(rng, company, count: int) -> list[Estate]:
    last = 0
    for code in Estate.objects.filter(code__regex=r"^gen[0-9]+$").values_list("code", flat=True):
        last = max(last, int(code[3:]))
    estates = []
    for n in range(last + 1, last + count + 1):
        district = rng.choice(DISTRICTS)
        estates.append(Estate(
            company=company, code=f"gen{n:05d}", name=f"{rng.choice(NAME_HEADS)}{rng.choice(NAME_TAILS)}{n}期",
            kind=EstateKind.EXISTING if rng.random() < 0.6 else EstateKind.NEW_BUILD, province="浙江省",
            city="杭州市", district=district, address=f"杭州市{district}{rng.choice(ROADS)}{rng.randint(1, 999)}号",
            floor_area=f"{rng.randint(30000, 400000)}.00", managed_since=dt.date(rng.randint(2008, 2025), 1, 1),
        ))
    return Estate.objects.bulk_create(estates)


def _ids(model, estate: Estate, after: int = 0) -> array:
    """Ids of ``model`` rows of ``estate`` above ``after``, in insertion order (streamed)."""
    qs = model.objects.filter(estate_id=estate.pk, pk__gt=after).order_by("pk").values_list("pk", flat=True)
    return array("q", qs.iterator(chunk_size=5000))


def _units(rng, estate: Estate, count: int, batch: int) -> array:
    """Create ``count`` units in new buildings of ``estate``; return their ids in order."""
    buildings = Building.objects.bulk_create([
        Building(estate=estate, number=str(b), name=f"{b}号楼", kind=BuildingKind.HIGH_RISE, floors=FLOORS,
                 entrances=ENTRANCES, completed_year=estate.managed_since.year)
        for b in range(1, math.ceil(count / PER_BUILDING) + 1)
    ])

    def rows():
        for n in range(count):
            building = buildings[n // PER_BUILDING]
            k = n % PER_BUILDING
            entrance = str(k // (FLOORS * PER_FLOOR) + 1)
            floor, pos = k % (FLOORS * PER_FLOOR) // PER_FLOOR + 1, k % PER_FLOOR + 1
            room = f"{floor}{pos:02d}"
            yield (estate.pk, building.pk, entrance, floor, room, unit_code(building.number, entrance, room),
                   UnitStatus.OCCUPIED if rng.random() < 0.85 else UnitStatus.LET,
                   rng.choice(FLOOR_AREAS), estate.managed_since)

    insert_rows(Unit, UNIT_COLUMNS, rows(), batch_size=batch)
    return _ids(Unit, estate)


def _customers(rng, estate: Estate, count: int, unit_ids: array, batch: int) -> None:
    """Create ``count`` customers of ``estate``, each with an occupancy of one of ``unit_ids``."""
    seen_ids: set[str] = set()
    first_day, last_day = estate.managed_since.toordinal(), LAST_START.toordinal()
    units = len(unit_ids)
    last_pk = 0
    for offset in range(0, count, batch):
        customers, occupancies = [], []
        for n in range(offset, min(offset + batch, count)):
            name, sex = person(rng)
            id_number = ""
            while not id_number or id_number in seen_ids:
                id_number = resident_id(rng, sex=sex, birth=birth_date(rng, oldest=1945, youngest=2002))
            seen_ids.add(id_number)
            if n < units:
                role = OccupancyRole.TENANT if rng.random() < 0.12 else OccupancyRole.OWNER
            else:
                role = rng.choice((OccupancyRole.CO_OWNER, OccupancyRole.TENANT))
            start = dt.date.fromordinal(rng.randint(first_day, last_day))
            end = min(start + dt.timedelta(days=rng.randint(30, 700)), LAST_END) if rng.random() < 0.05 else None
            customers.append((estate.pk, CustomerKind.TENANT if role == OccupancyRole.TENANT else CustomerKind.OWNER,
                              name, mobile(rng), IdType.RESIDENT_ID, id_number, digest(id_number),
                              CustomerStatus.ARCHIVED if end else CustomerStatus.ACTIVE))
            occupancies.append((unit_ids[n % units], role, start, end, role == OccupancyRole.OWNER))
        insert_rows(Customer, CUSTOMER_COLUMNS, customers)
        ids = _ids(Customer, estate, after=last_pk)
        last_pk = ids[-1]
        insert_rows(Occupancy, OCCUPANCY_COLUMNS,
                    ((o[0], pk, *o[1:]) for pk, o in zip(ids, occupancies, strict=True)))


def generate(*, options, stdout) -> None:
    customers, estates_n = options["customers"], max(1, options["estates"])
    units = options["units"] if options["units"] is not None else customers
    if customers and not units:
        units = 1
    if not customers and not units:
        stdout.write("estates: nothing to generate (give --customers and/or --units)")
        return
    rng = random.Random(f"estates-{options['seed']}")
    batch = options["batch_size"]
    started = time.perf_counter()
    estates = _estates(rng, _company(), estates_n)
    unit_counts, customer_counts = _split(units, estates_n), _split(customers, estates_n)
    t_units = t_customers = 0.0
    for estate, n_units, n_customers in zip(estates, unit_counts, customer_counts, strict=True):
        t0 = time.perf_counter()
        unit_ids = _units(rng, estate, max(n_units, 1 if n_customers else 0), batch)
        t1 = time.perf_counter()
        if n_customers:
            _customers(rng, estate, n_customers, unit_ids, batch)
        t_customers += time.perf_counter() - t1
        t_units += t1 - t0
    stdout.write(f"estates: {len(estates)} estates, {units} units in {t_units:.1f} s, "
                 f"{customers} customers with their occupancies in {t_customers:.1f} s")
    t0 = time.perf_counter()
    indexed, timings = 0, []
    for model, qs in _index_querysets([e.pk for e in estates]):
        t1 = time.perf_counter()
        indexed += search.index_objects(model, queryset=qs, batch_size=batch)
        timings.append(f"{model.__name__} {time.perf_counter() - t1:.1f} s")
    stdout.write(f"estates: search index, {indexed} entries in {time.perf_counter() - t0:.1f} s "
                 f"({', '.join(timings)}); estates total {time.perf_counter() - started:.1f} s")


def _index_querysets(estate_ids):
    """What ``index_objects`` reads back, loading only the columns the search registrations
    (``estates.search_index``) use: no decryption of ID numbers, no full occupancy and unit rows."""
    occupancies = Occupancy.objects.select_related("unit").only("id", "customer", "unit", "unit__code")
    return [
        (Estate, Estate.objects.filter(pk__in=estate_ids)),
        (Building, Building.objects.filter(estate__in=estate_ids).select_related("estate")),
        (Unit, Unit.objects.filter(estate__in=estate_ids).select_related("estate")
         .only("id", "code", "estate", "estate__name")),
        (Customer, Customer.objects.filter(estate__in=estate_ids).only("id", "name", "kind", "estate_id")
         .prefetch_related(Prefetch("occupancies", queryset=occupancies))),
    ]
