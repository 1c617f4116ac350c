"""A paginator that stops counting at a cap, so the first page of a list of a million rows stays fast.

Counting every matching row is the slowest part of a big list page (SQLite and PostgreSQL both read every
row to count them). Nobody pages through more than a few thousand rows: past the cap the list says
"5,000+ records" and asks for a narrower filter. The count runs as ``COUNT(*)`` over ``LIMIT cap + 1``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    def __init__(self, *args, count_cap: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_cap = count_cap if count_cap is not None else getattr(settings, "WUYE_LIST_COUNT_CAP", 5000)

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        # a django-tables2 table paginates its rows (BoundRows → TableQuerysetData → the queryset): counting
        # those with len() would count every row, so the queryset underneath is counted instead
        for _level in range(2):
            if hasattr(queryset, "query"):
                break
            queryset = getattr(queryset, "data", queryset)
        if hasattr(queryset, "query"):  # a queryset: count at most cap + 1 rows
            return queryset.order_by()[: self.count_cap + 1].count()
        return min(len(self.object_list), self.count_cap + 1)

    @property
    def capped(self) -> bool:
        """True when there are more rows than were counted (``count`` is then cap + 1)."""
        return self.count > self.count_cap

    @property
    def shown_count(self) -> int:
        return min(self.count, self.count_cap)
