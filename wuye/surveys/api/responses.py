"""``/api/v1/survey-responses/``: the responses the caller may see (estates they serve), each with its answers; staff
enter a phone call or a paper form with POST (through ``services.response_submit``). No update, no DELETE.

Anonymity: ``unit`` is given only for a named campaign to holders of ``surveys.view_household_answers``; an anonymous
response has no unit, no time of day (``submitted_at`` null) and no ``entered_by``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status

from wuye.core.api.fields import CodeField
from wuye.core.api.serializers import BaseModelSerializer
from wuye.core.api.viewsets import ServiceModelViewSet
from wuye.core.querysets import restrict

from .. import services
from ..choices import STAFF_CHANNELS, Channel
from ..filtersets.responses import ResponseFilterSet
from ..models import Answer, Invitation, Response
from ..selectors.responses import shows_household


class AnswerSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="question.kind", read_only=True)
    dimension = serializers.CharField(source="question.dimension.code", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Answer
        fields = ("question", "kind", "dimension", "value", "text")
        read_only_fields = fields


class ResponseSerializer(BaseModelSerializer):
    """One household's answers. ``value`` is the satisfaction level (1–5), the recommendation (0–10) or a choice's
    option index (from 0; a multiple choice has one row per option); ``text`` a free-text answer."""

    campaign_number = serializers.CharField(source="campaign.number", read_only=True)
    estate_name = serializers.CharField(source="estate.name", read_only=True)
    channel = CodeField(Channel.choices, read_only=True)
    anonymous = serializers.BooleanField(source="campaign.anonymous", read_only=True)
    unit = serializers.SerializerMethodField(help_text=_("The household: only for a named campaign, to holders of "
                                                         "the permission to see households; otherwise null."))
    unit_code = serializers.SerializerMethodField()
    submitted_at = serializers.SerializerMethodField(help_text=_("Null for an anonymous campaign."))
    entered_by = serializers.SerializerMethodField()
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Response
        fields = (*BaseModelSerializer.base_fields, "campaign", "campaign_number", "estate", "estate_name",
                  "anonymous", "unit", "unit_code", "channel", "entered_by", "submitted_on", "submitted_at", "answers")
        read_only_fields = fields

    def _shown(self, obj) -> bool:
        request = self.context.get("request")
        return request is not None and shows_household(obj, request.user)

    def get_unit(self, obj) -> int | None:
        return obj.unit_id if self._shown(obj) else None

    def get_unit_code(self, obj) -> str | None:
        return obj.unit.code if self._shown(obj) else None

    def get_submitted_at(self, obj) -> str | None:
        if obj.campaign.anonymous or obj.submitted_at is None:
            return None
        return serializers.DateTimeField().to_representation(obj.submitted_at)

    def get_entered_by(self, obj) -> int | None:
        return None if obj.campaign.anonymous else obj.entered_by_id


class ResponseEnterSerializer(serializers.Serializer):
    invitation = serializers.IntegerField(help_text=_("The household's invitation in the campaign."))
    channel = serializers.ChoiceField(choices=[(c.value, c.label) for c in STAFF_CHANNELS])
    answers = serializers.DictField(child=serializers.JSONField(), help_text=_(
        '{"<question id>": value}: 1–5, 0–10, an option index, a list of option indexes, or text.'))


class ResponseViewSet(ServiceModelViewSet):
    """Survey responses (客户意见调查的答卷) of the estates the caller serves. Filters: ``campaign``, ``estate``,
    ``channel``, ``answered_after``, ``answered_before``. POST enters the answers of a household taken by phone or
    on a paper form (``invitation``, ``channel`` phone|paper, ``answers``); refused with 400 and field keys
    (``q<question id>``, ``channel``, ``invitation``) when already answered, closed, missing or out of range."""

    queryset = Response.objects.select_related("campaign", "estate", "unit").prefetch_related(
        "answers__question__dimension")
    serializer_class = ResponseSerializer
    filterset_class = ResponseFilterSet
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=ResponseEnterSerializer, responses={201: ResponseSerializer})
    def create(self, request, *args, **kwargs):
        params = self._params(ResponseEnterSerializer)
        invitation = (restrict(Invitation.objects.all(), request.user, "view")
                      .filter(pk=params["invitation"]).first())
        if invitation is None:
            raise serializers.ValidationError({"invitation": [_("No such invitation in the estates you serve.")]})
        response = services.response_submit(invitation=invitation, answers=params["answers"],
                                            channel=params["channel"], actor=request.user)
        return self._answer(response, status.HTTP_201_CREATED)


ROUTES = [("survey-responses", ResponseViewSet)]
