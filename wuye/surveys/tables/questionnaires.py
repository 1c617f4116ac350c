"""Tables of the questionnaire list, a questionnaire's versions and the service dimensions (pages and Excel)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wuye.core.tables import BaseTable, ChoiceBadgeColumn

from ..models import Dimension, Questionnaire, QuestionnaireVersion

VERSION_COLORS = {"draft": "secondary", "active": "success", "retired": "light"}


class QuestionnaireTable(BaseTable):
    name = tables.Column(linkify=True)
    active_number = tables.Column(verbose_name=_("version in use"), default="—")
    active_title = tables.Column(verbose_name=_("title on the questionnaire"), default="—")
    question_count = tables.Column(verbose_name=_("questions"), default="—")
    is_builtin = tables.BooleanColumn(verbose_name=_("built in"))

    class Meta(BaseTable.Meta):
        model = Questionnaire
        fields = ("name", "code", "active_number", "active_title", "question_count", "is_builtin", "updated_at")
        sequence = fields


class QuestionnaireVersionTable(BaseTable):
    number = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    status = ChoiceBadgeColumn(colors=VERSION_COLORS)
    published_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta(BaseTable.Meta):
        model = QuestionnaireVersion
        fields = ("number", "title", "status", "published_at", "change_note")


class DimensionTable(BaseTable):
    """The service dimensions as a settings list: each row links to its edit page for those who may change it."""

    sort_order = tables.Column()
    name = tables.Column()
    code = tables.Column()
    is_active = tables.BooleanColumn(verbose_name=_("in use"))
    question_count = tables.Column(verbose_name=_("questions in use"), default=0)
    actions = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = Dimension
        fields = ("sort_order", "name", "code", "is_active", "question_count", "actions")
        sequence = fields
        exclude_from_export = ("actions",)

    def render_actions(self, record):
        user = getattr(self.request, "user", None)
        if user is None or not user.has_perm("surveys.change_dimension"):
            return ""
        return format_html('<a class="btn btn-sm btn-link dimension-edit" href="{}">'
                           '<i class="bi bi-pencil"></i> {}</a>',
                           reverse("surveys:dimension_edit", args=[record.pk]), _("Edit"))
