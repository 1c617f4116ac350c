"""Filters of the ticket lists; the same classes drive the pages' filter forms and the API's parameters."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuye.core.filtersets import BaseFilterSet
from wuye.core.forms import DateInput
from wuye.estates.models import Estate
from wuye.org.models import Department, Staff

from .choices import ACTIVE_STATUSES, OPEN_STATUSES, Channel, Priority, TicketKind, TicketStatus
from .models import ServiceLevel, Ticket, TicketCategory

OPEN, ACTIVE = "open", "active"
STATUS_CHOICES = [(OPEN, _("Open (not yet resolved)")), (ACTIVE, _("Not yet closed")), *TicketStatus.choices]
CALLBACK_DUE, CALLBACK_OVERDUE = "due", "overdue"
CALLBACK_CHOICES = [(CALLBACK_DUE, _("Callback due")), (CALLBACK_OVERDUE, _("Callback overdue"))]


def callback_due_condition() -> Q:
    """Resolved and waiting for the callback the ticket requires (recording it moves the ticket to called back)."""
    return Q(status=TicketStatus.RESOLVED, callback_required=True)


def category_label(category: TicketCategory) -> str:
    """The category indented by its depth in the tree, for selects."""
    depth = (category.path or "").count("/")
    return f"{'　' * depth}{'└ ' if depth else ''}{category.name}"


def tree_ordered(queryset):
    """Categories in tree order: each parent followed by its children, siblings by ``sort_order`` then name.

    The category table is small: one query reads its shape, and the order goes back to SQL as a CASE over the
    primary keys, so the result is still a queryset (for forms, filters and paginated tables)."""
    rows = list(TicketCategory.objects.values_list("pk", "parent_id", "sort_order", "name"))
    if not rows:
        return queryset
    ids = {pk for pk, *_ in rows}
    children: dict = {}
    for pk, parent_id, sort_order, name in rows:
        children.setdefault(parent_id if parent_id in ids else None, []).append((sort_order, name, pk))
    position: dict[int, int] = {}

    def walk(parent_id):
        for _order, _name, pk in sorted(children.get(parent_id, [])):
            position[pk] = len(position)
            walk(pk)

    walk(None)
    whens = [When(pk=pk, then=Value(i)) for pk, i in position.items()]
    return queryset.annotate(tree_position=Case(*whens, default=Value(len(position)),
                                                output_field=IntegerField())).order_by("tree_position", "path")


def tree_sorted(categories) -> list:
    """The same order as ``tree_ordered``, in Python, for categories already read (a select's choices)."""
    categories = list(categories)
    ids = {c.pk for c in categories}
    children: dict = {}
    for c in categories:
        children.setdefault(c.parent_id if c.parent_id in ids else None, []).append(c)
    result: list = []

    def walk(parent_id):
        for c in sorted(children.get(parent_id, []), key=lambda c: (c.sort_order, c.name, c.pk)):
            result.append(c)
            walk(c.pk)

    walk(None)
    return result


class TreeChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """Choices in tree order, sorted in Python: one query, no ``CASE`` over every category."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for category in tree_sorted(self.queryset):
            yield self.choice(category)


class CategoryChoiceField(django_filters.fields.ModelChoiceField):
    iterator = TreeChoiceIterator

    def label_from_instance(self, obj):
        return category_label(obj)


class CategoryChoiceFilter(django_filters.ModelChoiceFilter):
    """A category and everything under it."""

    field_class = CategoryChoiceField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(Q(category=value) | Q(category__path__startswith=f"{value.path}/"))


class TicketFilterSet(BaseFilterSet):
    """``q`` searches the full-text index (any 2+ character Chinese substring, Simplified or Traditional, the
    number, the unit, the phone's last 4 digits)."""

    kind = django_filters.ChoiceFilter(choices=TicketKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, method="filter_status", label=_("status"))
    priority = django_filters.ChoiceFilter(choices=Priority.choices, label=_("priority"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("channel"))
    estate = django_filters.ModelChoiceFilter(queryset=Estate.objects.all(), label=_("estate"))
    category = CategoryChoiceFilter(queryset=TicketCategory.objects.all(), label=_("category"))
    assignee = django_filters.ModelChoiceFilter(queryset=Staff.objects.all(), label=_("handler"))
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), label=_("handling department"))
    overdue = django_filters.BooleanFilter(field_name="is_overdue", label=_("overdue"))
    flagged = django_filters.BooleanFilter(field_name="flagged", label=_("flagged for the manager"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("assigned to me"),
                                        widget=forms.CheckboxInput)
    reported_after = django_filters.DateFilter(field_name="reported_at", lookup_expr="date__gte",
                                               label=_("reported from"), widget=DateInput())
    reported_before = django_filters.DateFilter(field_name="reported_at", lookup_expr="date__lte",
                                                label=_("reported until"), widget=DateInput())
    customer = django_filters.NumberFilter(field_name="customer_id", widget=forms.HiddenInput, label=_("customer"))
    unit = django_filters.NumberFilter(field_name="unit_id", widget=forms.HiddenInput, label=_("unit"))
    # the home page's callback figures: resolved tickets waiting for their callback, and those past its due time
    callback = django_filters.ChoiceFilter(choices=CALLBACK_CHOICES, method="filter_callback", label=_("callback"))

    class Meta:
        model = Ticket
        fields = ["q", "status", "mine", "kind", "priority", "estate", "category", "channel", "assignee",
                  "department", "overdue", "flagged", "reported_after", "reported_before", "customer", "unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the selects read only what their labels show (a manager's handler select has a hundred staff or more)
        self.change_choices("category", lambda qs: qs.only("pk", "name", "path", "parent_id", "sort_order"))
        self.change_choices("assignee", lambda qs: qs.only("pk", "name", "employee_no").order_by("name"))
        self.change_choices("estate", lambda qs: qs.only("pk", "name"))
        self.change_choices("department", lambda qs: qs.only("pk", "name"))

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == ACTIVE:
            return queryset.filter(status__in=ACTIVE_STATUSES)
        return queryset.filter(status=value) if value else queryset

    def filter_callback(self, queryset, name, value):
        if value == CALLBACK_DUE:
            return queryset.filter(callback_due_condition())
        if value == CALLBACK_OVERDUE:
            return queryset.filter(callback_due_condition(), callback_due__lt=timezone.now())
        return queryset

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        from wuye.org.selectors import staff_of

        staff = staff_of(getattr(self.request, "user", None))
        return queryset.filter(assignee=staff) if staff is not None else queryset.none()


class TicketCategoryFilterSet(BaseFilterSet):
    is_active = django_filters.BooleanFilter(label=_("in use"))
    search_fields = ("path",)

    class Meta:
        model = TicketCategory
        fields = ["q", "is_active"]


class ServiceLevelFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=TicketKind.choices, label=_("kind"))
    priority = django_filters.ChoiceFilter(choices=Priority.choices, label=_("priority"))

    class Meta:
        model = ServiceLevel
        fields = ["kind", "priority"]
