"""Every change is kept: who, when, before/after; personal data masked in the history too."""

import pytest

from wuye.core.context import acting_as
from wuye.core.history import history_rows


@pytest.mark.django_db
def test_history_rows_show_before_and_after_and_who(world):
    customer = world.customer_a
    with acting_as(world.users["agent"]):
        customer.name = "王小芳"
        customer.mobile = "13700001111"
        customer.save()
    rows = history_rows(customer)
    latest = rows[0]
    assert latest.kind == "~"
    assert latest.user == world.users["agent"]
    changes = {c.field: (c.old, c.new) for c in latest.changes}
    assert changes["name"] == ("王芳", "王小芳")
    assert changes["mobile"] == ("138****5678", "137****1111")  # masked, never plain
    assert rows[-1].kind == "+"
    customer.refresh_from_db()
    assert customer.updated_by == world.users["agent"]


@pytest.mark.django_db
def test_unchanged_saves_add_no_visible_row(world):
    before = len(history_rows(world.estate_a))
    world.estate_a.save()
    assert len(history_rows(world.estate_a)) == before

