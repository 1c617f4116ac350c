"""Forms of the estates app. Related choices are restricted to what the user may see (BaseModelForm)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuye.core.forms import BaseForm, BaseModelForm, DateInput
from wuye.core.personal import mask

from .choices import EstateStatus, OccupancyRole
from .hooks import status_blockers
from .models import Building, CommitteeMember, Customer, Estate, Occupancy, OwnersCommittee, Unit
from .services import unit_by_code


class EstateForm(BaseModelForm):
    class Meta:
        model = Estate
        fields = ["company", "name", "code", "kind", "status", "province", "city", "district", "address",
                  "floor_area", "site_area", "service_phone", "managed_since", "notes"]
        widgets = {"managed_since": DateInput()}

    def __init__(self, *args, **kwargs):
        asked = kwargs.get("initial") or {}
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and "status" not in asked:
            self.initial["status"] = EstateStatus.PREPARING  # a new estate is managed once its takeover is recorded

    def clean_status(self):
        status = self.cleaned_data.get("status")
        for message in status_blockers(self.instance, status):
            self.add_error("status", message)
        return status


class BuildingForm(BaseModelForm):
    class Meta:
        model = Building
        fields = ["estate", "number", "name", "kind", "floors", "entrances", "completed_year", "notes"]


class UnitForm(BaseModelForm):
    class Meta:
        model = Unit
        fields = ["building", "entrance", "floor", "number", "usage", "status", "floor_area", "delivered_on",
                  "notes"]
        widgets = {"delivered_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = self.fields["building"].queryset.select_related("estate")


class CustomerForm(BaseModelForm):
    """The customer's record. Personal values are never put into the page: on edit the fields start empty,
    showing the masked value, and an empty field keeps what is stored."""

    PERSONAL = ("mobile", "phone", "id_number", "emergency_phone")

    class Meta:
        model = Customer
        fields = ["estate", "kind", "name", "mobile", "phone", "id_type", "id_number", "email",
                  "emergency_contact", "emergency_phone", "notes"]
        widgets = {"mobile": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
                   "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
                   "emergency_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
                   "id_number": forms.TextInput(attrs={"autocomplete": "off"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored = {}
        if self.instance.pk:
            del self.fields["estate"]
            for name in self.PERSONAL:
                stored = getattr(self.instance, name) or ""
                self.stored[name] = stored
                self.initial[name] = ""
                if stored:
                    field = self.fields[name]
                    field.widget.attrs["placeholder"] = mask(stored)
                    field.help_text = _("Leave empty to keep the current value.")

    def _clean_personal(self, name):
        value = self.cleaned_data.get(name, "")
        return value if value or not self.instance.pk else self.stored.get(name, "")

    def clean_mobile(self):
        return self._clean_personal("mobile")

    def clean_phone(self):
        return self._clean_personal("phone")

    def clean_id_number(self):
        return self._clean_personal("id_number")

    def clean_emergency_phone(self):
        return self._clean_personal("emergency_phone")

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("estate",) and k in self.Meta.fields}


class CustomerCreateForm(CustomerForm):
    """A new customer, optionally moving into a unit of the estate at once (the occupancy starts too)."""

    unit_code = forms.CharField(label=_("unit number"), required=False, max_length=50,
                                help_text=_("e.g. 3-2-1201; leave empty if the customer has no unit yet."))
    occupancy_role = forms.ChoiceField(label=_("role"), choices=OccupancyRole.choices, initial=OccupancyRole.OWNER)
    moved_in_on = forms.DateField(label=_("from"), required=False, widget=DateInput(),
                                  help_text=_("Empty means today."))

    def clean(self):
        cleaned = super().clean()
        code = (cleaned.get("unit_code") or "").strip()
        cleaned["unit"] = None
        if code and cleaned.get("estate") is not None:
            unit = unit_by_code(user=self.user, estate=cleaned["estate"], code=code)
            if unit is None:
                self.add_error("unit_code", _("There is no unit %(code)s in %(estate)s.")
                               % {"code": code, "estate": cleaned["estate"]})
            cleaned["unit"] = unit
        return cleaned


class OccupancyStartForm(BaseModelForm):
    """Start an occupancy for a known customer; the unit is typed as its number (e.g. 3-2-1201)."""

    unit_code = forms.CharField(label=_("unit number"), max_length=50, help_text=_("e.g. 3-2-1201"))

    class Meta:
        model = Occupancy
        fields = ["customer", "role", "start_date", "is_primary_contact", "notes"]
        widgets = {"customer": forms.HiddenInput(), "start_date": DateInput()}

    field_order = ["customer", "unit_code", "role", "start_date", "is_primary_contact", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_date"].initial = timezone.localdate()

    def _post_clean(self):  # the service validates the occupancy as a whole
        pass

    def clean(self):
        cleaned = super().clean()
        customer = cleaned.get("customer")
        code = cleaned.get("unit_code")
        if customer is not None and code:
            unit = unit_by_code(user=self.user, estate=customer.estate, code=code)
            if unit is None:
                self.add_error("unit_code", _("There is no unit %(code)s in %(estate)s.")
                               % {"code": code, "estate": customer.estate})
            cleaned["unit"] = unit
        return cleaned


class OccupancyForm(BaseModelForm):
    """Correct an occupancy's details (the unit and the customer stay)."""

    class Meta:
        model = Occupancy
        fields = ["role", "start_date", "end_date", "is_primary_contact", "notes"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class EndDateForm(BaseForm):
    end_date = forms.DateField(label=_("to"), widget=DateInput())

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].initial = timezone.localdate()
        if label:
            self.fields["end_date"].label = label


class ArchiveForm(BaseForm):
    on = forms.DateField(label=_("Archived on"), widget=DateInput(), required=False,
                         help_text=_("Current occupancies and committee seats end on this date. Empty means today."))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class OwnersCommitteeForm(BaseModelForm):
    class Meta:
        model = OwnersCommittee
        fields = ["estate", "term_number", "established_on", "term_start", "term_end", "filing_number",
                  "contact_phone", "notes"]
        widgets = {"established_on": DateInput(), "term_start": DateInput(), "term_end": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["estate"]
        else:
            self.fields["term_number"].required = False
            self.fields["term_number"].help_text = _("Empty: the next term of this estate.")

    def _post_clean(self):
        if self.instance.pk:
            super()._post_clean()


class CommitteeMemberForm(BaseModelForm):
    class Meta:
        model = CommitteeMember
        fields = ["committee", "customer", "position", "joined_on", "left_on"]
        widgets = {"committee": forms.HiddenInput(), "customer": forms.HiddenInput(),
                   "joined_on": DateInput(), "left_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["committee"]
            del self.fields["customer"]
        else:
            del self.fields["left_on"]

    def _post_clean(self):
        if self.instance.pk:
            super()._post_clean()
