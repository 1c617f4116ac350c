"""List pages count at most a capped number of rows (fast first pages on big tables)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wuye.core.pagination import CappedPaginator
from wuye.estates.models import Customer
from wuye.estates.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_capped_count(world):
    for i in range(5):
        CustomerFactory(estate=world.estate_a, name=f"客户{i}")
    total = Customer.objects.count()
    exact = CappedPaginator(Customer.objects.order_by("pk"), 2, count_cap=100)
    assert exact.count == total and not exact.capped and exact.num_pages == (total + 1) // 2
    capped = CappedPaginator(Customer.objects.order_by("pk"), 2, count_cap=3)
    assert capped.capped and capped.shown_count == 3 and capped.count == 4
    assert [c.pk for c in capped.page(2)] == list(Customer.objects.order_by("pk").values_list("pk", flat=True)[2:4])


def test_list_page_says_more_than_the_cap(world, client_for, settings):
    for i in range(5):
        CustomerFactory(estate=world.estate_a, name=f"客户{i}")
    settings.WUYE_LIST_COUNT_CAP = 3
    with CaptureQueriesContext(connection) as queries:
        response = client_for("cs_manager").get(reverse("estates:customer_list"))
    paginator = response.context["table"].paginator
    assert paginator.capped and paginator.shown_count == 3
    # the table's rows are counted through the queryset, at most cap + 1 of them (not a COUNT of every row)
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and "estates_customer" in q["sql"]]
    assert counts and all("LIMIT 4" in sql for sql in counts)
    settings.WUYE_LIST_COUNT_CAP = 1000
    response = client_for("cs_manager").get(reverse("estates:customer_list"))
    assert response.context["table"].paginator.count == Customer.objects.count()


def test_filter_choices_are_restricted(world, client_for):
    """An agent's estate filter offers (and accepts) only the estates they serve."""
    response = client_for("agent").get(reverse("estates:customer_list"))
    field = response.context["filter_form"].fields["estate"]
    assert list(field.queryset) == [world.estate_a]
    response = client_for("agent").get(reverse("estates:customer_list"), {"estate": world.estate_b.pk})
    assert response.context["filter_form"].errors
