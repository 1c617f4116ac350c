"""Faster renderings of the widgets big pages repeat.

Django renders every ``<option>`` of a select through the template engine (an include per option), which made
the filter form of a list page (handlers, estates, categories: a few hundred options) cost more than the list's
SQL. ``FastSelect`` and ``FastSelectMultiple`` produce the same HTML as Django's templates with plain string
building (every value escaped); everything else about the widgets (choices, value handling) is Django's.
"""

from __future__ import annotations

import django_filters.fields
from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe


class FastSelectMixin:
    """Django's ``optgroups``/``create_option`` build a dict per option and the templates render each; here each
    option is one f-string. Same rules: a ``None`` value is "", a single select marks only its first match."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        multiple = self.allow_multiple_selected
        if multiple:
            final_attrs["multiple"] = True
        wanted = set(self.format_value(value))
        has_selected = False

        def option(option_value, label):
            nonlocal has_selected
            text = "" if option_value is None else str(option_value)
            selected = (not has_selected or multiple) and text in wanted
            has_selected |= selected
            return (f'<option value="{escape(text)}"{" selected" if selected else ""}>'
                    f"{conditional_escape(label)}</option>")

        parts = []
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                inner = "".join(option(v, sub) for v, sub in label)
                parts.append(f'<optgroup label="{escape("" if option_value is None else option_value)}">'
                             f"{inner}</optgroup>")
            else:
                parts.append(option(option_value, label))
        return mark_safe(f'<select name="{escape(name)}"{flatatt(final_attrs)}>{"".join(parts)}</select>')  # noqa: S308  # nosec  # escaped parts


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


class _ListedChoices:
    """A model select's choices read with one plain query. Django's ``ModelChoiceIterator`` reads them through
    ``QuerySet.iterator()``, which on PostgreSQL opens a server-side cursor (DECLARE, FETCH, CLOSE: three round
    trips) to save memory that a select's few hundred rows do not need."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if getattr(self.field, "null_label", None) is not None:  # django-filter's "none" choice
            yield (self.field.null_value, self.field.null_label)
        for obj in list(self.queryset.all()):  # a fresh read each time, like Django's
            yield self.choice(obj)


class ListedModelChoiceIterator(_ListedChoices, forms.models.ModelChoiceIterator):
    pass


class ListedFilterChoiceIterator(_ListedChoices, django_filters.fields.ModelChoiceIterator):
    pass


def speed_up_choices(field: forms.Field) -> None:
    """Give a model choice field (forms or django-filter) the listed iterator, unless it has its own."""
    iterator = getattr(field, "iterator", None)
    if iterator is forms.models.ModelChoiceIterator:
        field.iterator = ListedModelChoiceIterator
    elif iterator is django_filters.fields.ModelChoiceIterator:
        field.iterator = ListedFilterChoiceIterator
    else:
        return
    field.widget.choices = field.choices  # the widget took an iterator of the old class when the field was made
