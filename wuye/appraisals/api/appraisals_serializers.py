"""Serializers of the appraisals and cycles API. Writes go through ``appraisals.services``; these only shape input
and output."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wuye.core.api.fields import CodeField, RestrictedPrimaryKeyRelatedField
from wuye.core.api.serializers import BaseModelSerializer
from wuye.org.models import Department, Post, Staff

from .. import scoring
from ..choices import AppraisalState, CycleStatus, PeriodKind
from ..models import Appraisal, AppraisalCycle, FormVersion


class ScoreOutSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    number = serializers.IntegerField()
    text = serializers.CharField()
    score = serializers.IntegerField(allow_null=True)
    comment = serializers.CharField()
    self_score = serializers.IntegerField(allow_null=True)
    self_comment = serializers.CharField()


class SectionOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    # get_sections() below returns the computed figures as they are: numbers in the JSON, not decimal strings
    weight = serializers.FloatField()
    average = serializers.FloatField(allow_null=True)
    scored = serializers.IntegerField()
    count = serializers.IntegerField()
    scores = ScoreOutSerializer(many=True)


class AppraisalSerializer(BaseModelSerializer):
    """An appraisal: 被测评人 ``appraisee``, 测评人 ``appraiser``, 测评日期 ``appraised_on``, 测评时段 ``period_*``;
    ``sections``: each section of the form version with its weight, average (subtotal) and the items' scores and
    comments (and the appraisee's own); ``total`` and ``grade`` as kept (the running figure while scoring)."""

    state = CodeField(AppraisalState.choices, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    period_kind = CodeField(PeriodKind.choices, read_only=True)
    appraisee_name = serializers.CharField(source="appraisee.name", read_only=True)
    appraiser_name = serializers.CharField(source="appraiser.name", read_only=True)
    form = serializers.IntegerField(source="form_version.form_id", read_only=True)
    form_name = serializers.CharField(source="form_version.form.name", read_only=True)
    scale = serializers.JSONField(source="form_version.scale", read_only=True)
    sections = serializers.SerializerMethodField()

    class Meta:
        model = Appraisal
        fields = (*BaseModelSerializer.base_fields, "appraisee", "appraisee_name", "appraiser", "appraiser_name",
                  "form", "form_name", "form_version", "cycle", "appraised_on", "period_kind", "period_start",
                  "period_end", "state", "state_label", "scale", "sections", "total", "grade", "appraiser_comment",
                  "acknowledged_at", "disagreement", "finalised_at", "revision", "revises", "revision_reason",
                  "created_at", "updated_at")
        read_only_fields = fields

    @extend_schema_field(SectionOutSerializer(many=True))
    def get_sections(self, appraisal) -> list[dict]:
        rows = {row.item_id: row for row in appraisal.scores.all()}
        result = scoring.compute(appraisal.form_version, {pk: row.score for pk, row in rows.items()})
        return [{"id": s.section_id, "title": s.title, "weight": s.weight, "average": s.average, "scored": s.scored,
                 "count": s.count, "scores": [
                     {"item": line.item_id, "number": line.number, "text": line.text, "score": rows[line.item_id].score,
                      "comment": rows[line.item_id].comment, "self_score": rows[line.item_id].self_score,
                      "self_comment": rows[line.item_id].self_comment}
                     for line in s.items if line.item_id in rows]}
                for s in result.sections]


class AppraisalCreateSerializer(serializers.Serializer):
    appraisee = RestrictedPrimaryKeyRelatedField(queryset=Staff.objects.all())
    appraiser = RestrictedPrimaryKeyRelatedField(queryset=Staff.objects.all())
    form_version = RestrictedPrimaryKeyRelatedField(queryset=FormVersion.objects.all())
    period_kind = serializers.ChoiceField(choices=PeriodKind.choices)
    period_start = serializers.DateField()
    period_end = serializers.DateField(required=False, allow_null=True,
                                       help_text=_("Omitted: the end of the month, quarter, half-year or year."))
    cycle = RestrictedPrimaryKeyRelatedField(queryset=AppraisalCycle.objects.all(), required=False, allow_null=True)


class ScoreInSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    score = serializers.IntegerField(allow_null=True, help_text=_("A value of the form's scale; null clears it."))
    comment = serializers.CharField(required=False, allow_blank=True, max_length=300,
                                    help_text=_("Omitted: the comment stays as it is."))


class ScoresSerializer(serializers.Serializer):
    scores = ScoreInSerializer(many=True, required=False, default=list)
    comment = serializers.CharField(required=False, allow_blank=True, help_text=_("The appraiser's comment."))
    appraised_on = serializers.DateField(required=False, allow_null=True)

    def as_dict(self) -> dict:
        return {row["item"]: (row["score"], row.get("comment")) for row in self.validated_data.get("scores", [])}


class SelfAssessmentSerializer(serializers.Serializer):
    scores = ScoreInSerializer(many=True, required=False, default=list)
    submit = serializers.BooleanField(required=False, default=False,
                                      help_text=_("Hand the appraisal to the appraiser (every item scored)."))


class AcknowledgeSerializer(serializers.Serializer):
    disagreement = serializers.CharField(required=False, allow_blank=True, default="")


class ReviseSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class EmptySerializer(serializers.Serializer):
    pass


class AppraisalCycleSerializer(BaseModelSerializer):
    """A cycle: a period, a form version and the staff (posts, departments) appraised; ``progress``: how many
    appraisals are at each step."""

    status = CodeField(CycleStatus.choices, read_only=True)
    period_kind = CodeField(PeriodKind.choices, read_only=True)
    form_name = serializers.CharField(source="form_version.form.name", read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = AppraisalCycle
        fields = (*BaseModelSerializer.base_fields, "name", "form_version", "form_name", "period_kind",
                  "period_start", "period_end", "posts", "departments", "self_assessment", "due_on", "status",
                  "progress", "created_at")
        read_only_fields = fields

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "integer"}})
    def get_progress(self, cycle) -> dict:
        counts = dict.fromkeys(AppraisalState.values, 0)
        for appraisal in cycle.appraisals.all():
            counts[appraisal.state] += 1
        return counts


class SkippedSerializer(serializers.Serializer):
    staff = serializers.IntegerField()
    name = serializers.CharField()
    reason = serializers.CharField()


class CycleRunSerializer(AppraisalCycleSerializer):
    """The cycle, the appraisals made now and the staff skipped, with the reason."""

    created = serializers.SerializerMethodField()
    skipped = serializers.SerializerMethodField()

    class Meta(AppraisalCycleSerializer.Meta):
        fields = (*AppraisalCycleSerializer.Meta.fields, "created", "skipped")
        read_only_fields = fields

    def get_created(self, cycle) -> list[int]:
        return [a.pk for a in getattr(cycle, "run_created", [])]

    @extend_schema_field(SkippedSerializer(many=True))
    def get_skipped(self, cycle) -> list[dict]:
        return [{"staff": staff.pk, "name": staff.name, "reason": str(reason)}
                for staff, reason in getattr(cycle, "run_skipped", [])]


class CycleOpenSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    form_version = RestrictedPrimaryKeyRelatedField(queryset=FormVersion.objects.all())
    period_kind = serializers.ChoiceField(choices=PeriodKind.choices)
    period_start = serializers.DateField()
    period_end = serializers.DateField(required=False, allow_null=True,
                                       help_text=_("Omitted: the end of the month, quarter, half-year or year."))
    posts = RestrictedPrimaryKeyRelatedField(many=True, queryset=Post.objects.all(), required=False)
    departments = RestrictedPrimaryKeyRelatedField(many=True, queryset=Department.objects.all(), required=False)
    self_assessment = serializers.BooleanField(required=False, default=False)
    due_on = serializers.DateField(required=False, allow_null=True)


class CycleAddStaffSerializer(serializers.Serializer):
    staff = RestrictedPrimaryKeyRelatedField(many=True, queryset=Staff.objects.all(), required=False,
                                             help_text=_("Omitted: everyone the cycle covers who has no appraisal "
                                                         "in it yet."))


class RemindAnswerSerializer(serializers.Serializer):
    sent = serializers.IntegerField()
