"""Faster renderings of the widgets big pages repeat.

Django renders every ``<option>`` of a select through the template engine (an include per option), which made
the filter form of a list page (handlers, estates, categories: a few hundred options) cost more than the list's
SQL. ``FastSelect`` and ``FastSelectMultiple`` produce the same HTML as Django's templates with
``format_html``; everything else about the widgets (choices, ``optgroups``, value handling) is Django's.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class FastSelectMixin:
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            rendered = format_html_join(
                "", '<option value="{}"{}>{}</option>',
                ((option["value"], flatatt(option["attrs"]), option["label"]) for option in options))
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered)
                         if group_name else rendered)
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]),
                           mark_safe("".join(parts)))  # noqa: S308 - every part is built by format_html


class FastSelect(FastSelectMixin, forms.Select):
    pass


class FastSelectMultiple(FastSelectMixin, forms.SelectMultiple):
    pass


def speed_up(widget: forms.Widget) -> None:
    """Swap a plain Select / SelectMultiple (not a subclass with its own template) for the fast one, in place."""
    if type(widget) is forms.Select:
        widget.__class__ = FastSelect
    elif type(widget) is forms.SelectMultiple:
        widget.__class__ = FastSelectMultiple
