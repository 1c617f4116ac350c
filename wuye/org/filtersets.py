import django_filters
from django.utils.translation import gettext_lazy as _

from wuye.core.filtersets import BaseFilterSet

from .choices import StaffStatus, StandardStatus
from .models import Department, JobStandard, Post, Staff


class DepartmentFilterSet(BaseFilterSet):
    search_fields = ("name", "code", "responsibilities")

    class Meta:
        model = Department
        fields = ["q", "company", "is_active"]


class PostFilterSet(BaseFilterSet):
    search_fields = ("name", "code")

    class Meta:
        model = Post
        fields = ["q", "department", "is_active"]


class JobStandardFilterSet(BaseFilterSet):
    status = django_filters.ChoiceFilter(choices=StandardStatus.choices, label=_("status"))
    search_fields = ("duties", "post__name")

    class Meta:
        model = JobStandard
        fields = ["q", "post", "status"]


class StaffFilterSet(BaseFilterSet):
    status = django_filters.ChoiceFilter(choices=StaffStatus.choices, label=_("status"))
    estate = django_filters.NumberFilter(field_name="estates", label=_("Estate served"))
    search_fields = ("name", "employee_no", "user__username")

    class Meta:
        model = Staff
        fields = ["q", "department", "post", "status", "estate"]
