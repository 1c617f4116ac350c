"""Forms of the training pages. They only collect input; the services decide (and refuse in the user's language)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wuye.core.forms import BaseModelForm, DateInput
from wuye.documents.forms import StepForm
from wuye.org.choices import StaffStatus
from wuye.org.models import Staff

from .models import PlanItem, TrainingPlan, TrainingSession


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class PlanForm(BaseModelForm):
    class Meta:
        model = TrainingPlan
        fields = ["department", "year", "title", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class PlanItemForm(BaseModelForm):
    class Meta:
        model = PlanItem
        fields = ["topic", "target_posts", "hours", "month", "trainer", "trainer_staff", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2}), "target_posts": forms.CheckboxSelectMultiple()}

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        plan = plan or (self.instance.plan if self.instance.plan_id else None)
        self.plan = plan
        if plan is not None:
            self.fields["target_posts"].queryset = self.fields["target_posts"].queryset.filter(
                department_id=plan.department_id, is_active=True)
        self.fields["target_posts"].widget.attrs["class"] = "form-check-input"
        self.fields["trainer_staff"].queryset = self.fields["trainer_staff"].queryset.filter(
            status=StaffStatus.ACTIVE)

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class SessionForm(BaseModelForm):
    class Meta:
        model = TrainingSession
        fields = ["plan_item", "department", "topic", "date", "start_time", "end_time", "hours", "trainer",
                  "trainer_staff", "place", "notes"]
        widgets = {"date": DateInput(), "start_time": TimeInput(), "end_time": TimeInput(),
                   "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_item"].queryset = self.fields["plan_item"].queryset.filter(
            plan__status="approved").select_related("plan")
        self.fields["department"].required = False
        self.fields["department"].help_text = _("Empty: the plan item's department.")
        self.fields["topic"].required = False
        self.fields["topic"].help_text = _("Empty: the plan item's topic.")
        self.fields["trainer_staff"].queryset = self.fields["trainer_staff"].queryset.filter(
            status=StaffStatus.ACTIVE)
        if self.instance.pk and self.instance.status != "planned":
            for name, field in self.fields.items():
                if name not in ("notes", "place"):
                    field.disabled = True

    def _post_clean(self):
        # the services validate the whole session (they fill the department and topic from the plan item)
        pass

    def service_fields(self) -> dict:
        fields = {name: value for name, value in self.cleaned_data.items() if not self.fields[name].disabled}
        if self.instance.pk:  # empty department or topic: keep the session's own
            if fields.get("department") is None:
                fields.pop("department", None)
            if not fields.get("topic"):
                fields.pop("topic", None)
        return fields


class ReasonForm(StepForm):
    reason = forms.CharField(label=_("reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(StepForm):
    reason = forms.CharField(label=_("closing note"), max_length=200, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class MaterialForm(StepForm):
    file = forms.FileField(label=_("file"), help_text=_("Slides, handouts or the signed sign-in sheet; PDF, Office "
                                                        "files, text or photos, checked by their content."))


def record_candidates(session: TrainingSession):
    """Who may be on the record: the department's staff who had not left before the session, and anyone already
    on it."""
    from django.db.models import Q

    return (Staff.objects.filter(Q(department_id=session.department_id)
                                 & (Q(status=StaffStatus.ACTIVE) | Q(left_on__gte=session.date)))
            | Staff.objects.filter(training_attendances__session=session)).distinct().select_related("post") \
        .order_by("post__name", "name")


class RecordForm(StepForm):
    """The attendance record: per staff member attended, score (0–100) and a comment."""

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        existing = {a.staff_id: a for a in obj.attendances.all()} if obj is not None else {}
        self.staff = list(record_candidates(obj)) if obj is not None else []
        targets = set()
        if obj is not None and obj.plan_item_id:
            targets = set(obj.plan_item.target_posts.values_list("pk", flat=True))
        self.rows = []
        for staff in self.staff:
            row = existing.get(staff.pk)
            initial = row.attended if row is not None else (not existing and staff.post_id in targets)
            self.fields[f"attended_{staff.pk}"] = forms.BooleanField(
                label=staff.name, required=False, initial=initial,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
            self.fields[f"score_{staff.pk}"] = forms.DecimalField(
                label=_("assessment score"), required=False, max_digits=5, decimal_places=1,
                initial=row.score if row is not None else None,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.5",
                                                "min": "0", "max": "100"}))
            self.fields[f"comment_{staff.pk}"] = forms.CharField(
                label=_("comment"), required=False, max_length=200, initial=row.comment if row is not None else "",
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
            self.rows.append(staff)

    def attendance(self) -> list[dict]:
        """The record for ``session_record``: everyone ticked, and anyone unticked who has a score or was on the
        record (so the service refuses a score for an absentee instead of dropping it)."""
        data, rows = self.cleaned_data, []
        for staff in self.rows:
            attended = data.get(f"attended_{staff.pk}", False)
            score = data.get(f"score_{staff.pk}")
            comment = data.get(f"comment_{staff.pk}", "")
            if attended or score is not None or comment:
                rows.append({"staff": staff, "attended": attended, "score": score, "comment": comment})
        return rows

