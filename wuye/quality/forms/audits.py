"""Forms of the audits pages. They only collect input; the services decide (and refuse in the user's language)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wuye.core.forms import BaseForm, BaseModelForm, DateInput
from wuye.documents.forms import StepForm

from ..choices import CheckResult
from ..models import (
    Audit,
    AuditProgramme,
    ChecklistTemplate,
    Finding,
    FindingLimit,
    IsoClause,
    TemplateQuestion,
)


class AuditProgrammeForm(BaseModelForm):
    class Meta:
        model = AuditProgramme
        fields = ["year", "title", "objectives"]

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class AuditForm(BaseModelForm):
    """A planned audit (``audit_create`` / ``audit_update``): numbered AU-<year>-NN when saved."""

    class Meta:
        model = Audit
        fields = ["programme", "kind", "certification_body", "title", "scope", "estates", "departments", "clauses",
                  "lead_auditor", "auditors", "external_auditors", "planned_start", "planned_end"]
        widgets = {"planned_start": DateInput(), "planned_end": DateInput(),
                   "scope": forms.Textarea(attrs={"rows": 3}),
                   "estates": forms.SelectMultiple(attrs={"size": 6}),
                   "departments": forms.SelectMultiple(attrs={"size": 6}),
                   "clauses": forms.SelectMultiple(attrs={"size": 10}),
                   "auditors": forms.SelectMultiple(attrs={"size": 6})}
        help_texts = {"certification_body": _("Required for an external audit, e.g. 中国质量认证中心."),
                      "departments": _("An auditor may not audit their own department.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clauses"].queryset = IsoClause.objects.all()
        for name in ("lead_auditor", "auditors"):
            self.fields[name].queryset = self.fields[name].queryset.filter(status="active").select_related(
                "department")

    def service_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if not self.fields[name].disabled}


class FindingForm(BaseModelForm):
    """A finding of one audit: its choices are the audit's estates, departments and checklist points."""

    class Meta:
        model = Finding
        fields = ["grade", "clause", "statement", "evidence", "found_on", "estate", "department", "checklist_item"]
        widgets = {"found_on": DateInput(), "statement": forms.Textarea(attrs={"rows": 3}),
                   "evidence": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"estate": _("Empty: the audit's estate when it has only one.")}

    def __init__(self, *args, audit=None, **kwargs):
        super().__init__(*args, **kwargs)
        audit = audit or (self.instance.audit if self.instance.audit_id else None)
        self.fields["clause"].queryset = IsoClause.objects.all()
        if audit is not None:
            self.fields["estate"].queryset = self.fields["estate"].queryset.filter(quality_audits=audit)
            self.fields["department"].queryset = self.fields["department"].queryset.filter(quality_audits=audit)
            self.fields["checklist_item"].queryset = audit.checklist.all()
        # the service names what is missing (the clause and grade rule)
        self.fields["grade"].required = False
        self.fields["clause"].required = False
        self.fields["found_on"].required = False
        self.fields["found_on"].help_text = _("Empty: today.")

    def _post_clean(self):
        # the service checks the finding as a whole (grade, clause, estate of the audit …)
        pass

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("found_on") is None:
            data.pop("found_on", None)
        return data


class ChecklistTemplateForm(BaseModelForm):
    class Meta:
        model = ChecklistTemplate
        fields = ["name", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class TemplateQuestionForm(BaseModelForm):
    class Meta:
        model = TemplateQuestion
        fields = ["clause", "question", "guidance", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause"].queryset = IsoClause.objects.all()
        self.fields["sort_order"].required = False
        self.fields["sort_order"].help_text = _("Empty: after the last question.")


class FindingLimitForm(BaseModelForm):
    class Meta:
        model = FindingLimit
        fields = ["year", "limit", "note"]
        help_texts = {"limit": _("Observations and minor nonconformities from external audits per managed estate "
                                 "and year; the warning shows when an estate reaches it.")}


# --- steps ----------------------------------------------------------------------------------------------------------


class DateStepForm(StepForm):
    on = forms.DateField(label=_("date"), required=False, widget=DateInput(), help_text=_("Empty: today."))


class ReportForm(StepForm):
    summary = forms.CharField(label=_("summary and conclusion"), widget=forms.Textarea(attrs={"rows": 6}),
                              required=False)
    on = forms.DateField(label=_("reported on"), required=False, widget=DateInput(), help_text=_("Empty: today."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None and not self.is_bound:
            self.fields["summary"].initial = self.obj.summary


class CancelForm(StepForm):
    reason = forms.CharField(label=_("reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class FromTemplateForm(StepForm):
    template = forms.ModelChoiceField(label=_("checklist template"), queryset=ChecklistTemplate.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = ChecklistTemplate.objects.filter(is_active=True)
        self.fields["template"].queryset = queryset.restrict(self.user, "view") if self.user else queryset


class ChecklistItemForm(StepForm):
    clause = forms.ModelChoiceField(label=_("clause"), queryset=IsoClause.objects.all(), required=False)
    question = forms.CharField(label=_("question"), max_length=300)
    guidance = forms.CharField(label=_("what to look at"), max_length=300, required=False)


class FileStepForm(StepForm):
    file = forms.FileField(label=_("file"), help_text=_("A photo or a scanned record; checked by its content."))
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class ChecklistAnswerForm(BaseForm):
    """Every point of an audit's checklist on one page: a result and the evidence seen per point."""

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"result_{item.pk}"] = forms.ChoiceField(
                label=item.question, choices=CheckResult.choices, required=False, initial=item.result)
            self.fields[f"evidence_{item.pk}"] = forms.CharField(
                label=_("evidence seen"), required=False, initial=item.evidence,
                widget=forms.Textarea(attrs={"rows": 2}))
        for field in self.fields.values():
            field.widget.attrs["class"] = field.widget.attrs.get("class", "") + " form-control-sm"

    def rows(self):
        return [(item, self[f"result_{item.pk}"], self[f"evidence_{item.pk}"]) for item in self.items]

    def answers(self) -> dict:
        return {item.pk: {"result": self.cleaned_data.get(f"result_{item.pk}", ""),
                          "evidence": self.cleaned_data.get(f"evidence_{item.pk}", "")} for item in self.items}
