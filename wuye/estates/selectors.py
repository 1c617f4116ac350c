"""Reads of the estates app: the quick lookup for a phone call, the customer's 360° overview, estate figures.

The lookup understands what an agent types while the phone rings:

- a full phone number (mobile or other phone, exact; ``+86``, spaces and dashes ignored): the numbers are stored
  encrypted, so through the keyed digests ``mobile_digest`` / ``phone_digest``,
- the last 4 digits of a phone number (through the indexed ``mobile_tail`` / ``phone_tail`` columns),
- a unit number like ``3-2-1201`` (also ``3栋2单元1201``): the unit's current occupants,
- a name or part of one (the bigram full-text index of ``core.search``; one character: a name prefix).

Everything goes through ``Customer.objects.restrict(user, "view")``: nobody finds a customer outside their
estates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from wuye.core import search
from wuye.core.personal import phone_digest

from .choices import CommitteeStatus, CustomerStatus
from .models import CommitteeMember, Customer, Estate, Occupancy, OwnersCommittee, Unit, _current_occupancy_q
from .services import normalize_unit_code  # noqa: F401  (re-exported for filtersets and views)

current_q = _current_occupancy_q

PHONE, TAIL, UNIT, NAME = "phone", "tail", "unit", "name"

_DIGITS_RE = re.compile(r"^\+?[\d\s\-－()（）]+$")
_UNIT_RE = re.compile(r"^[0-9A-Za-z]{1,10}(-[0-9A-Za-z]{1,10}){1,3}$")


@dataclass
class LookupResult:
    q: str
    kind: str | None
    customers: list = field(default_factory=list)
    truncated: bool = False

    @property
    def single(self):
        return self.customers[0] if len(self.customers) == 1 and not self.truncated else None


def _digits(value: str) -> str:
    value = value.strip()
    if value.startswith("+86"):
        value = value[3:]
    return re.sub(r"\D", "", value)


def classify(q: str) -> tuple[str | None, str]:
    """What the agent typed, and the normalized value to look for."""
    q = (q or "").strip()
    if not q:
        return None, ""
    if _DIGITS_RE.match(q):
        digits = _digits(q)
        if len(digits) == 4:
            return TAIL, digits
        if len(digits) >= 7:
            code = normalize_unit_code(q)
            if "-" in q and _UNIT_RE.match(code) and not digits.startswith("0"):
                return UNIT, code
            return PHONE, digits
    code = normalize_unit_code(q)
    if _UNIT_RE.match(code):
        return UNIT, code
    return NAME, q


def current_occupancies_prefetch(to_attr: str = "current_occupancies") -> Prefetch:
    return Prefetch("occupancies", queryset=Occupancy.objects.filter(_current_occupancy_q())
                    .select_related("unit").order_by("unit__code"), to_attr=to_attr)


def occupants_prefetch(to_attr: str = "current_occupancies") -> Prefetch:
    return Prefetch("occupancies", queryset=Occupancy.objects.filter(_current_occupancy_q())
                    .select_related("customer").order_by("customer__name"), to_attr=to_attr)


def filter_customers(queryset: QuerySet, q: str) -> QuerySet:
    """Narrow a customer queryset by what was typed (phone, tail, unit number or name). No limit, no order."""
    kind, value = classify(q)
    if kind is None:
        return queryset
    if kind == TAIL:
        return queryset.filter(Q(mobile_tail=value) | Q(phone_tail=value))
    if kind == PHONE:  # the numbers are encrypted: compare keyed digests of the digits
        wanted = phone_digest(value)
        return queryset.filter(Q(mobile_digest=wanted) | Q(phone_digest=wanted))
    if kind == UNIT:
        occupants = Occupancy.objects.filter(_current_occupancy_q(), unit__code=value).values("customer_id")
        return queryset.filter(pk__in=occupants)
    if len(value) == 1:
        return queryset.filter(name__startswith=value)
    return search.filter_queryset(queryset, value)


def customer_lookup(*, user, q: str, limit: int = 20) -> LookupResult:
    """The customers a phone call is about, best first (active before archived), at most ``limit``."""
    kind, _value = classify(q)
    result = LookupResult(q=(q or "").strip(), kind=kind)
    if kind is None:
        return result
    qs = filter_customers(Customer.objects.restrict(user, "view"), q)
    qs = (qs.select_related("estate").prefetch_related(current_occupancies_prefetch())
          .order_by("status", "name", "pk"))
    customers = list(qs[: limit + 1])
    result.truncated = len(customers) > limit
    result.customers = customers[:limit]
    return result


def customer_overview(*, user, customer: Customer) -> dict:
    """Everything the customer page shows besides the record itself, each part restricted for ``user``."""
    occupancies = list(Occupancy.objects.restrict(user).filter(customer=customer)
                       .select_related("unit", "unit__building", "unit__estate")
                       .order_by("-start_date", "-pk"))
    current = [o for o in occupancies if o.is_current]
    seats = list(CommitteeMember.objects.restrict(user).filter(customer=customer)
                 .select_related("committee", "committee__estate").order_by("-committee__term_number"))
    co_occupants = []
    if current:
        co_occupants = list(Occupancy.objects.restrict(user)
                            .filter(_current_occupancy_q(), unit__in=[o.unit_id for o in current])
                            .exclude(customer=customer).select_related("customer", "unit")
                            .order_by("unit__code", "customer__name"))
    return {
        "occupancies": occupancies,
        "current_occupancies": current,
        "past_occupancies": [o for o in occupancies if not o.is_current],
        "committee_seats": seats,
        "co_occupants": co_occupants,
    }


def estate_figures(*, user, estate: Estate) -> dict:
    """Counts for the estate page, in a few aggregate queries."""
    units = Unit.objects.restrict(user).filter(estate=estate)
    customers = Customer.objects.restrict(user).filter(estate=estate)
    occupied = Occupancy.objects.restrict(user).filter(_current_occupancy_q(), unit__estate=estate)
    customer_counts = customers.aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(status=CustomerStatus.ACTIVE)))
    return {
        "buildings": estate.buildings.restrict(user).count(),
        "units": units.count(),
        "occupied_units": occupied.values("unit").distinct().count(),
        "customers": customer_counts["active"] or 0,
        "archived_customers": (customer_counts["total"] or 0) - (customer_counts["active"] or 0),
    }


def estate_buildings(*, user, estate: Estate):
    return (estate.buildings.restrict(user).annotate(unit_count=Count("units", distinct=True))
            .order_by("number"))


def committee_in_office(*, user, estate: Estate) -> OwnersCommittee | None:
    return (OwnersCommittee.objects.restrict(user).filter(estate=estate, status=CommitteeStatus.ACTIVE)
            .prefetch_related(Prefetch("members", queryset=CommitteeMember.objects.filter(left_on__isnull=True)
                                       .select_related("customer").order_by("position", "customer__name")))
            .first())


def unit_occupancies(*, user, unit: Unit) -> tuple[list, list]:
    occupancies = list(Occupancy.objects.restrict(user).filter(unit=unit).select_related("customer")
                       .order_by("-start_date", "-pk"))
    return [o for o in occupancies if o.is_current], [o for o in occupancies if not o.is_current]
