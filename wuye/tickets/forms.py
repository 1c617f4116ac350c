"""Forms of the tickets app: intake, the lifecycle steps, notes and files, and the configuration pages.

Forms collect and check input; the services (``services.py``) decide and write. Every step form carries the
ticket ``version`` the user saw, so a concurrent change is reported instead of overwritten.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wuye.core.forms import BaseForm, BaseModelForm
from wuye.core.personal import mask, validate_phone
from wuye.core.querysets import restrict
from wuye.core.scope import user_scope
from wuye.estates.models import Customer, Estate, Occupancy
from wuye.estates.selectors import current_q as current_occupancy_q
from wuye.estates.services import unit_by_code
from wuye.org.choices import StaffStatus
from wuye.org.models import Department, Staff

from .choices import (
    CallbackMethod,
    CallbackOutcome,
    CancelReason,
    Channel,
    LimitUnit,
    NoteVisibility,
    Priority,
    Satisfaction,
    TicketKind,
)
from .filtersets import category_label, tree_ordered
from .models import ServiceLevel, Ticket, TicketCategory, TicketSettings
from .services import validate_upload

# --- widgets and fields -------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos or files at once; each is checked like the services check it (type, size)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in uploads]
        if self.required and not cleaned:
            raise ValidationError(self.error_messages["required"], code="required")
        errors = []
        for upload in cleaned:
            try:
                validate_upload(upload)
            except ValidationError as exc:
                errors.extend(exc.message_dict.get("files", exc.messages) if hasattr(exc, "error_dict")
                              else exc.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class CategoryField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return category_label(obj)


class InlineRadioSelect(forms.RadioSelect):
    """Rendered by ``tickets/includes/field.html`` as Bootstrap inline radios."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attrs["class"] = "form-check-input"


def _radios(form):
    """Undo the ``form-control`` class the base form gives every non-select widget, on radio buttons."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.RadioSelect):
            field.widget.attrs["class"] = "form-check-input"


def active_categories():
    return tree_ordered(TicketCategory.objects.filter(is_active=True))


def assignable_staff(estate):
    """Active staff who serve ``estate`` (the only ones a ticket there may be assigned to)."""
    return Staff.objects.filter(status=StaffStatus.ACTIVE, estates=estate).select_related("department") \
        .order_by("department__name", "name")


class VersionedForm(BaseForm):
    """A step on one ticket: the version the user saw (hidden) and an optional comment."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, ticket=None, **kwargs):
        self.ticket = ticket
        super().__init__(*args, **kwargs)
        if ticket is not None and not self.is_bound:
            self.initial.setdefault("version", ticket.version)
        _radios(self)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"version": data["version"], "comment": data.get("comment") or ""}


# --- the lifecycle steps ------------------------------------------------------------------------------------


class AssignForm(VersionedForm):
    assignee = forms.ModelChoiceField(queryset=Staff.objects.none(), label=_("handler"), required=False)
    department = forms.ModelChoiceField(queryset=Department.objects.none(), label=_("handling department"),
                                        required=False,
                                        help_text=_("Empty: the handler's own department."))

    field_order = ["assignee", "department", "comment", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user, ticket = self.user, self.ticket
        self.fields["assignee"].queryset = restrict(assignable_staff(ticket.estate), user, "view")
        self.fields["assignee"].label_from_instance = lambda s: f"{s.name}（{s.department.name}）"
        self.fields["department"].queryset = restrict(Department.objects.order_by("name"), user, "view")
        if not self.is_bound:
            self.initial.setdefault("assignee", ticket.assignee_id)
            department = ticket.department_id or (ticket.category.department_id if ticket.category_id else None)
            self.initial.setdefault("department", department)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("assignee") and not cleaned.get("department"):
            self.add_error("assignee", _("Choose a handler or a department."))
        return cleaned

    def service_kwargs(self):
        return {**super().service_kwargs(), "assignee": self.cleaned_data.get("assignee"),
                "department": self.cleaned_data.get("department")}


class AnalysisFieldsMixin:
    """The complaint analysis (有效投诉, responsible department, cause, measures)."""

    def add_analysis_fields(self, ticket, *, initial: bool):
        self.fields["is_valid_complaint"] = forms.NullBooleanField(
            label=_("valid complaint"), required=False, widget=forms.NullBooleanSelect)
        self.fields["responsible_department"] = forms.ModelChoiceField(
            queryset=restrict(Department.objects.order_by("name"), self.user, "view"),
            label=_("responsible department"), required=False)
        self.fields["cause"] = forms.CharField(label=_("cause"), required=False, widget=forms.Textarea(
            attrs={"rows": 2}))
        self.fields["measures"] = forms.CharField(label=_("corrective measures"), required=False,
                                                  widget=forms.Textarea(attrs={"rows": 2}))
        for name in ("is_valid_complaint", "responsible_department", "cause", "measures"):
            field = self.fields[name]
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
            if initial and not self.is_bound:
                value = getattr(ticket, f"{name}_id" if name == "responsible_department" else name)
                self.initial.setdefault(name, value)

    def analysis(self) -> dict:
        names = ("is_valid_complaint", "responsible_department", "cause", "measures")
        return {n: self.cleaned_data.get(n) if n in ("is_valid_complaint", "responsible_department")
                else (self.cleaned_data.get(n) or "") for n in names if n in self.fields}


class ResolveForm(AnalysisFieldsMixin, VersionedForm):
    resolution = forms.CharField(label=_("result"), widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("What was done, as the customer will be told."))

    field_order = ["resolution"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["comment"]
        if self.ticket.is_complaint:
            self.add_analysis_fields(self.ticket, initial=True)

    def service_kwargs(self):
        return {"version": self.cleaned_data["version"], "resolution": self.cleaned_data["resolution"],
                **self.analysis()}


class CallbackForm(VersionedForm):
    outcome = forms.ChoiceField(label=_("outcome"), choices=CallbackOutcome.choices, initial=CallbackOutcome.REACHED,
                                widget=InlineRadioSelect)
    satisfaction = forms.TypedChoiceField(label=_("satisfaction"), choices=Satisfaction.choices, coerce=int,
                                          required=False, empty_value=None, widget=InlineRadioSelect)
    method = forms.ChoiceField(label=_("method"), initial=CallbackMethod.PHONE,
                               choices=[c for c in CallbackMethod.choices if c[0] != CallbackMethod.PORTAL])

    field_order = ["outcome", "satisfaction", "method", "comment"]

    def clean(self):
        cleaned = super().clean()
        outcome, satisfaction = cleaned.get("outcome"), cleaned.get("satisfaction")
        if outcome == CallbackOutcome.REACHED and satisfaction is None:
            self.add_error("satisfaction", _("Record how satisfied the customer is."))
        if outcome == CallbackOutcome.NOT_REACHED and satisfaction is not None:
            self.add_error("satisfaction", _("A customer who was not reached gave no rating."))
        return cleaned

    def service_kwargs(self):
        data = self.cleaned_data
        return {**super().service_kwargs(), "outcome": data["outcome"], "satisfaction": data.get("satisfaction"),
                "method": data["method"]}


class ReopenForm(VersionedForm):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["comment"]

    def service_kwargs(self):
        return {"version": self.cleaned_data["version"], "reason": self.cleaned_data["reason"]}


class CancelForm(VersionedForm):
    reason = forms.ChoiceField(label=_("reason"), choices=[("", "---------"), *CancelReason.choices])

    field_order = ["reason", "comment"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == CancelReason.OTHER and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("Explain the reason."))
        return cleaned

    def service_kwargs(self):
        return {**super().service_kwargs(), "reason": self.cleaned_data["reason"]}


STEP_FORMS = {"assign": AssignForm, "resolve": ResolveForm, "callback": CallbackForm, "reopen": ReopenForm,
              "cancel": CancelForm}


def step_form_class(step: str):
    return STEP_FORMS.get(step, VersionedForm)


class ComplaintAnalysisForm(AnalysisFieldsMixin, VersionedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["comment"]
        self.add_analysis_fields(self.ticket, initial=True)


# --- notes and files ----------------------------------------------------------------------------------------


class NoteForm(BaseForm):
    body = forms.CharField(label=_("progress"), widget=forms.Textarea(attrs={"rows": 3}))
    visibility = forms.ChoiceField(label=_("visibility"), choices=NoteVisibility.choices,
                                   initial=NoteVisibility.INTERNAL, widget=InlineRadioSelect)
    files = MultipleFileField(label=_("photos and files"))

    def __init__(self, *args, **kwargs):
        kwargs.pop("ticket", None)
        super().__init__(*args, **kwargs)
        _radios(self)


class AttachForm(BaseForm):
    files = MultipleFileField(label=_("photos and files"), required=True)
    visibility = forms.ChoiceField(label=_("visibility"), choices=NoteVisibility.choices,
                                   initial=NoteVisibility.PUBLIC, widget=InlineRadioSelect)

    def __init__(self, *args, **kwargs):
        kwargs.pop("ticket", None)
        super().__init__(*args, **kwargs)
        _radios(self)


class NonconformityForm(BaseForm):
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


# --- intake and details -------------------------------------------------------------------------------------


class PlaceMixin:
    """Estate, unit (typed as its number, e.g. 3-2-1201) and customer, checked against each other."""

    require_place = True

    def clean_place(self, cleaned, estate):
        code = (cleaned.get("unit_code") or "").strip()
        unit = None
        if code and estate is not None:
            unit = unit_by_code(user=self.user, estate=estate, code=code)
            if unit is None:
                self.add_error("unit_code", _("There is no unit %(code)s in %(estate)s.")
                               % {"code": code, "estate": estate})
        cleaned["unit"] = unit
        customer = cleaned.get("customer")
        if customer is not None and estate is not None and customer.estate_id != estate.pk:
            self.add_error("customer", _("This customer is not in the ticket's estate."))
        if self.require_place and not code and not (cleaned.get("location") or "").strip() and not self.errors:
            self.add_error("unit_code", _("Give the unit or, for common areas, the location."))
        return cleaned


class TicketIntakeForm(PlaceMixin, BaseForm):
    """One page for a phone call: the caller (picked from the lookup), the place, the request, optional
    assignment and photos."""

    customer = forms.ModelChoiceField(queryset=Customer.objects.none(), required=False, widget=forms.HiddenInput)
    estate = forms.ModelChoiceField(queryset=Estate.objects.none(), label=_("estate"))
    unit_code = forms.CharField(label=_("unit number"), required=False, max_length=50,
                                help_text=_("e.g. 3-2-1201; empty for common areas."))
    location = forms.CharField(label=_("location"), required=False, max_length=200,
                               help_text=_("Where exactly, e.g. the lift lobby of building 3 or the east gate."))
    kind = forms.ChoiceField(label=_("kind"), choices=TicketKind.choices, initial=TicketKind.REPAIR,
                             widget=InlineRadioSelect)
    priority = forms.ChoiceField(label=_("priority"), choices=Priority.choices, initial=Priority.NORMAL,
                                 widget=InlineRadioSelect)
    category = CategoryField(queryset=TicketCategory.objects.none(), label=_("category"), required=False)
    channel = forms.ChoiceField(label=_("channel"), choices=[c for c in Channel.choices if c[0] != Channel.PORTAL],
                                initial=Channel.PHONE)
    title = forms.CharField(label=_("summary"), max_length=200)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    contact_name = forms.CharField(label=_("contact name"), required=False, max_length=50)
    contact_phone = forms.CharField(label=_("contact phone"), required=False, max_length=30,
                                    validators=[validate_phone],
                                    widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    assignee = forms.ModelChoiceField(queryset=Staff.objects.none(), label=_("assign to"), required=False)
    department = forms.ModelChoiceField(queryset=Department.objects.none(), label=_("handling department"),
                                        required=False)
    files = MultipleFileField(label=_("photos and files"))
    allow_duplicate = forms.BooleanField(label=_("This is a new request, not a repeat of an open ticket"),
                                         required=False)

    def __init__(self, *args, customer=None, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user
        self.fields["customer"].queryset = restrict(Customer.objects.all(), user, "view")
        self.fields["estate"].queryset = restrict(Estate.objects.order_by("name"), user, "view")
        self.fields["category"].queryset = active_categories()
        scope = user_scope(user)
        staff = Staff.objects.filter(status=StaffStatus.ACTIVE)
        if not scope.all_estates:
            staff = staff.filter(estates__in=scope.estate_ids)
        self.fields["assignee"].queryset = restrict(
            staff.select_related("department").distinct().order_by("department__name", "name"), user, "view")
        self.fields["assignee"].label_from_instance = lambda s: f"{s.name}（{s.department.name}）"
        self.fields["department"].queryset = restrict(Department.objects.order_by("name"), user, "view")
        if customer is not None and (customer.mobile or customer.phone):
            self.fields["contact_phone"].widget.attrs["placeholder"] = mask(customer.mobile or customer.phone)
            self.fields["contact_phone"].help_text = _("Empty: the customer's number on file.")
        _radios(self)

    def clean(self):
        cleaned = super().clean()
        estate = cleaned.get("estate")
        customer = cleaned.get("customer")
        if estate is None and customer is not None and "estate" not in self.errors:
            estate = cleaned["estate"] = customer.estate
        return self.clean_place(cleaned, estate)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"estate": data["estate"], "unit": data.get("unit"), "customer": data.get("customer"),
                "kind": data["kind"], "priority": data["priority"], "channel": data["channel"],
                "category": data.get("category"), "title": data["title"], "description": data.get("description", ""),
                "location": data.get("location", ""), "contact_name": data.get("contact_name", ""),
                "contact_phone": data.get("contact_phone", ""), "files": data.get("files") or [],
                "assignee": data.get("assignee"), "department": data.get("department")}


class TicketEditForm(PlaceMixin, BaseModelForm):
    """Correct a ticket's details (service ``ticket_update``). The contact phone is never put into the page:
    the field starts empty, showing the masked value, and an empty field keeps what is stored."""

    require_place = False  # imported tickets may have neither

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    unit_code = forms.CharField(label=_("unit number"), required=False, max_length=50,
                                help_text=_("e.g. 3-2-1201; empty for common areas."))
    category = CategoryField(queryset=TicketCategory.objects.none(), label=_("category"), required=False)

    class Meta:
        model = Ticket
        fields = ["kind", "priority", "channel", "unit_code", "customer", "contact_name", "contact_phone",
                  "location", "category", "title", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ticket = self.instance
        self.fields["category"].queryset = tree_ordered(TicketCategory.objects.filter(
            Q(is_active=True) | Q(pk=ticket.category_id)))
        # the unit's current occupants (and the customer already on the ticket), not the whole estate
        occupants = Occupancy.objects.filter(current_occupancy_q(), unit=ticket.unit_id).values("customer_id")
        self.fields["customer"].queryset = restrict(
            Customer.objects.filter(Q(pk=ticket.customer_id) | Q(pk__in=occupants), estate=ticket.estate_id),
            self.user, "view").order_by("name")
        self.fields["customer"].help_text = _("The unit's current occupants; to choose another, change the unit "
                                              "and save first.")
        self.stored_phone = ticket.contact_phone or ""
        if not self.is_bound:
            self.initial["version"] = ticket.version
            self.initial["unit_code"] = ticket.unit.code if ticket.unit_id else ""
            self.initial["contact_phone"] = ""
        if self.stored_phone:
            self.fields["contact_phone"].widget.attrs["placeholder"] = mask(self.stored_phone)
            self.fields["contact_phone"].help_text = _("Leave empty to keep the current value.")

    def clean_contact_phone(self):
        return self.cleaned_data.get("contact_phone") or self.stored_phone

    def clean(self):
        cleaned = super().clean()
        return self.clean_place(cleaned, self.instance.estate)

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data.get(name) for name in ("kind", "priority", "channel", "customer", "contact_name",
                                                    "contact_phone", "location", "category", "title",
                                                    "description")}
        fields["unit"] = data.get("unit")
        for name in ("contact_name", "contact_phone", "location", "description"):
            fields[name] = fields[name] or ""
        return fields

    def _post_clean(self):
        # The service validates and saves; the form does not write to the instance.
        pass


# --- configuration ------------------------------------------------------------------------------------------


class TicketCategoryForm(BaseModelForm):
    kinds = forms.MultipleChoiceField(label=_("ticket kinds"), choices=TicketKind.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text=_("The kinds this category is offered for; none ticked: all."))
    parent = CategoryField(queryset=TicketCategory.objects.none(), label=_("parent category"), required=False)

    class Meta:
        model = TicketCategory
        fields = ["name", "parent", "kinds", "department", "sort_order", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = tree_ordered(TicketCategory.objects.all())
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk).exclude(path__startswith=f"{self.instance.path}/")
        self.fields["parent"].queryset = parents
        self.fields["kinds"].widget.attrs["class"] = "form-check-input"
        self.fields["is_active"].help_text = _("Categories are never deleted: one no longer in use is hidden "
                                               "from new tickets and kept on old ones.")

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk and not cleaned.get("is_active", True) and TicketCategory.objects.filter(
                parent=instance, is_active=True).exists():
            self.add_error("is_active", _("Take its subcategories out of use first."))
        parent = cleaned.get("parent")
        if parent is not None and not parent.is_active and cleaned.get("is_active", True):
            self.add_error("parent", _("This category is no longer in use."))
        name = (cleaned.get("name") or "").strip()
        if name and "/" not in name:
            path = f"{parent.path}/{name}" if parent is not None else name
            if TicketCategory.objects.filter(path=path).exclude(pk=instance.pk).exists():
                self.add_error("name", _("A category with this name already exists here."))
        return cleaned


class ServiceLevelForm(BaseModelForm):
    """The three time limits of one kind × priority, each a value and a unit."""

    class Meta:
        model = ServiceLevel
        fields = ["response_value", "response_unit", "onsite_value", "onsite_unit", "resolution_value",
                  "resolution_unit", "callback_required"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("response", "onsite", "resolution"):
            value = self.fields[f"{name}_value"]
            value.validators.append(_min_one)
            value.widget.attrs["min"] = 1
            value.help_text = _("Empty: no such limit.")

    def clean(self):
        cleaned = super().clean()
        for name in ("response", "onsite", "resolution"):
            value, unit = cleaned.get(f"{name}_value"), cleaned.get(f"{name}_unit")
            if value and unit in (LimitUnit.MINUTES,) and value > 60 * 24 * 30:
                self.add_error(f"{name}_value", _("That is more than 30 days; choose a larger unit."))
        return cleaned


def _min_one(value):
    if value is not None and value < 1:
        raise ValidationError(_("A time limit is at least 1; leave it empty for no limit."), code="min_value")


class TicketSettingsForm(BaseModelForm):
    class Meta:
        model = TicketSettings
        fields = ["callback_within_days", "repair_callback_percent", "unsatisfied_action", "duplicate_window_hours",
                  "notify_by_email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["callback_within_days"].validators.append(_min_one)
        self.fields["duplicate_window_hours"].validators.append(_min_one)
        self.fields["repair_callback_percent"].widget.attrs.update({"min": 0, "max": 100})
