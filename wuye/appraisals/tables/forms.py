"""Tables of the appraisal-form list and a form's versions (pages and Excel)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from wuye.core.tables import BaseTable, ChoiceBadgeColumn

from ..models import AppraisalForm, FormVersion

VERSION_COLORS = {"draft": "secondary", "active": "success", "retired": "light"}


class AppraisalFormTable(BaseTable):
    name = tables.Column(linkify=True)
    posts = tables.ManyToManyColumn(transform=lambda post: post.name, verbose_name=_("posts it applies to"),
                                    default="—")
    active_number = tables.Column(verbose_name=_("version in use"), default="—")
    active_title = tables.Column(verbose_name=_("title on the form"), default="—")
    is_builtin = tables.BooleanColumn(verbose_name=_("built in"))

    class Meta(BaseTable.Meta):
        model = AppraisalForm
        fields = ("name", "code", "posts", "active_number", "active_title", "is_builtin", "updated_at")
        sequence = ("name", "code", "posts", "active_number", "active_title", "is_builtin", "updated_at")


class FormVersionTable(BaseTable):
    number = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    status = ChoiceBadgeColumn(colors=VERSION_COLORS)
    published_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta(BaseTable.Meta):
        model = FormVersion
        fields = ("number", "title", "status", "published_at", "change_note")
