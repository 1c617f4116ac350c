"""The fast select widgets render what Django's templates render; the table signature cache answers alike."""

import django_tables2 as tables
import pytest
from django import forms
from django.test.html import parse_html

from wuye.core import tables as core_tables
from wuye.core.widgets import FastSelect, FastSelectMultiple, speed_up

CHOICES = [("", "---------"), ("a", "甲 & <乙>"), ("Group", [("b", "丙"), ("c", "丁")]), (3, "three"),
           (None, "none"), ("b", "丙 again"), ('q"v', '<b>"x"</b>')]


def test_fast_select_renders_like_django():
    cases = ((forms.Select, FastSelect, "b"), (forms.Select, FastSelect, None), (forms.Select, FastSelect, 'q"v'),
             (forms.SelectMultiple, FastSelectMultiple, ["a", "3", "b"]))
    for slow, fast, value in cases:
        attrs = {"class": "form-select", "id": "id_x", "data-x": 'q"uote'}
        expected = slow(choices=CHOICES, attrs=attrs).render("x", value)
        got = fast(choices=CHOICES, attrs=attrs).render("x", value)
        assert parse_html(got) == parse_html(expected)  # the same elements, attributes and text
        assert "&lt;乙&gt;" in got and got.count("selected") == expected.count("selected") >= 1


def test_speed_up_swaps_only_plain_selects():
    plain, radio = forms.Select(), forms.RadioSelect()
    speed_up(plain)
    speed_up(radio)
    assert type(plain) is FastSelect and type(radio) is forms.RadioSelect


def test_table_signature_cache_answers_like_django_tables2():
    class T:
        def render(self, value, record):
            return value

    assert tables.utils.signature(T().render) == (("value", "record"), None)
    assert tables.utils.signature(T.render) == (("self", "value", "record"), None)
    assert tables.utils.signature(lambda **kw: 1) == ((), "kw")
    assert core_tables._signatures  # remembered


@pytest.mark.django_db
def test_styled_model_selects_read_their_choices_in_one_plain_query():
    import django_filters
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wuye.core.forms import _style

    plain = forms.ModelChoiceField(queryset=Group.objects.order_by("name"))
    styled = forms.ModelChoiceField(queryset=Group.objects.order_by("name"))
    _style(styled)
    with CaptureQueriesContext(connection) as queries:
        choices = [(str(v), str(label)) for v, label in styled.choices]
        html = styled.widget.render("g", None)  # what the page renders: the widget's own copy of the choices
    assert choices == [(str(v), str(label)) for v, label in plain.choices]
    assert len(choices) == Group.objects.count() + 1 and len(queries) == 2
    assert html.count("<option") == len(choices)
    assert not any("CURSOR" in q["sql"].upper() for q in queries)  # no server-side cursor on PostgreSQL
    with_none = django_filters.fields.ModelChoiceField(queryset=Group.objects.all(), null_label="(none)")
    _style(with_none)
    assert [str(label) for _v, label in with_none.choices][:2] == ["---------", "(none)"]
