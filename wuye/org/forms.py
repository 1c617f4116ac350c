from django import forms
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _

from wuye.core.forms import BaseForm, BaseModelForm, DateInput
from wuye.core.roles import Role

from .choices import StaffStatus
from .hooks import leave_blockers
from .models import Company, Department, DepartmentInterface, JobStandard, Post, Staff


class CompanyForm(BaseModelForm):
    class Meta:
        model = Company
        fields = ["name", "short_name", "credit_code", "address", "phone", "notes"]


class DepartmentForm(BaseModelForm):
    class Meta:
        model = Department
        fields = ["company", "name", "code", "parent", "responsibilities", "phone", "is_active"]
        widgets = {"responsibilities": forms.Textarea(attrs={"rows": 8})}


class DepartmentInterfaceForm(BaseModelForm):
    class Meta:
        model = DepartmentInterface
        fields = ["department", "counterpart", "subject", "description"]


class PostForm(BaseModelForm):
    class Meta:
        model = Post
        fields = ["department", "name", "code", "reports_to", "headcount", "is_active"]


class JobStandardForm(BaseModelForm):
    class Meta:
        model = JobStandard
        fields = ["duties", "work_standard", "qualifications", "assessment_method", "change_note"]
        widgets = {f: forms.Textarea(attrs={"rows": 8}) for f in
                   ("duties", "work_standard", "qualifications", "assessment_method")}


class StaffForm(BaseModelForm):
    """A staff member, the estates they serve and the roles of their login."""

    estates = forms.ModelMultipleChoiceField(label=_("Estates served"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    roles = forms.MultipleChoiceField(label=_("Roles"), required=False, widget=forms.CheckboxSelectMultiple,
                                      choices=[(r.value, r.label) for r in Role if r != Role.RESIDENT])

    class Meta:
        model = Staff
        fields = ["employee_no", "name", "department", "post", "mobile", "email", "user", "status", "joined_on",
                  "left_on"]
        widgets = {"joined_on": DateInput(), "left_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        estate_model = Staff._meta.get_field("estates").related_model
        self.fields["estates"].queryset = estate_model.objects.restrict(self.user, "view") if self.user \
            else estate_model.objects.none()
        self.fields["estates"].widget.attrs.pop("class", None)
        self.fields["roles"].widget.attrs.pop("class", None)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")
        if self.instance.pk:
            self.fields["estates"].initial = list(self.instance.estates.values_list("pk", flat=True))
            if self.instance.user_id:
                self.fields["roles"].initial = list(self.instance.user.groups.values_list("name", flat=True))
        can_assign_roles = self.user is not None and self.user.has_perm("auth.change_user")
        if not can_assign_roles:
            del self.fields["roles"]

    def clean(self):
        cleaned = super().clean()
        leaving = cleaned.get("status") == StaffStatus.LEFT and (
            self.instance.pk is None or Staff.objects.filter(pk=self.instance.pk).exclude(
                status=StaffStatus.LEFT).exists())
        if leaving and self.instance.pk:
            for message in leave_blockers(self.instance):
                self.add_error("status", message)
        return cleaned

    def save_roles(self, staff: Staff) -> None:
        if "roles" in self.fields and staff.user_id:
            keep = staff.user.groups.exclude(name__in=[r.value for r in Role])
            chosen = Group.objects.filter(name__in=self.cleaned_data["roles"])
            staff.user.groups.set(list(keep) + list(chosen))


class LeaveForm(BaseForm):
    left_on = forms.DateField(label=_("Left on"), widget=DateInput())
