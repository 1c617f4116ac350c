import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from wuye.core.tables import BaseTable, ChoiceBadgeColumn, MaskedColumn

from .models import Department, JobStandard, Post, Staff


class DepartmentTable(BaseTable):
    name = tables.Column(linkify=True)
    posts = tables.Column(accessor="post_count", verbose_name=_("posts"), orderable=False)

    class Meta(BaseTable.Meta):
        model = Department
        fields = ("name", "code", "company", "parent", "phone", "is_active")
        sequence = ("name", "code", "company", "parent", "posts", "phone", "is_active")
        default_columns = ("name", "code", "parent", "posts", "phone", "is_active")


class PostTable(BaseTable):
    name = tables.Column(linkify=True)
    holders = tables.Column(accessor="holder_count", verbose_name=_("holders"), orderable=False)
    current_version = tables.Column(accessor="current_version", verbose_name=_("current standard"),
                                    orderable=False)

    class Meta(BaseTable.Meta):
        model = Post
        fields = ("name", "code", "department", "reports_to", "headcount", "is_active")
        sequence = ("name", "code", "department", "reports_to", "headcount", "holders", "current_version",
                    "is_active")
        default_columns = ("name", "department", "headcount", "holders", "current_version", "is_active")

    def render_current_version(self, value):
        return f"v{value}"


class JobStandardTable(BaseTable):
    version = tables.Column(linkify=True)
    status = ChoiceBadgeColumn(colors={"current": "success", "draft": "warning", "superseded": "secondary"})

    class Meta(BaseTable.Meta):
        model = JobStandard
        fields = ("post", "version", "status", "effective_from", "approved_by", "change_note")


class StaffTable(BaseTable):
    name = tables.Column(linkify=True)
    mobile = MaskedColumn()
    status = ChoiceBadgeColumn(colors={"active": "success", "left": "secondary"})

    class Meta(BaseTable.Meta):
        model = Staff
        fields = ("employee_no", "name", "department", "post", "mobile", "email", "status", "joined_on", "left_on")
        default_columns = ("employee_no", "name", "department", "post", "mobile", "status")


class PendingAcknowledgementTable(BaseTable):
    name = tables.Column(linkify=True)
    current_version = tables.Column(verbose_name=_("version to confirm"))

    class Meta(BaseTable.Meta):
        model = Staff
        fields = ("employee_no", "name", "department", "post")
        sequence = ("employee_no", "name", "department", "post", "current_version")
        orderable = False

    def render_current_version(self, value):
        return f"v{value}"
