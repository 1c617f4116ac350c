"""Survey campaigns API (``/api/v1/survey-campaigns/``): list, read, create and change a draft; the steps
``launch``, ``remind``, ``close`` and ``cancel`` as POST actions; the response rate per estate (the caller's
estates) in the detail; ``results`` from ``ResultsMixin``. Every queryset goes through ``restrict()``; every write is
a service call; nothing is deleted."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from wuye.core.api.fields import CodeField
from wuye.core.api.schema import step_responses
from wuye.core.api.serializers import BaseModelSerializer
from wuye.core.api.viewsets import ServiceModelViewSet
from wuye.estates.models import Estate

from .. import services
from ..choices import CampaignStatus, Target
from ..filtersets.campaigns import CampaignFilterSet
from ..models import Campaign
from ..selectors.campaigns import response_rates
from .results import ResultsMixin

CHANGE = "surveys.change_campaign"


class CampaignRateSerializer(serializers.Serializer):
    estate = serializers.IntegerField(source="estate.pk")
    estate_name = serializers.CharField(source="estate.name")
    households = serializers.IntegerField(allow_null=True)
    invited = serializers.IntegerField()
    answered = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True,
                                    help_text=_("Answered of invited, per cent."))


class CampaignRatesSerializer(serializers.Serializer):
    rows = CampaignRateSerializer(many=True)
    total = serializers.DictField()


class CampaignSerializer(BaseModelSerializer):
    """A survey campaign. Created as a draft through ``campaign_create()`` (numbered SV-<year>-NN; every estate must
    be one the caller serves; the version must be in use); a draft is changed through ``campaign_update()``. Status
    changes only through the actions."""

    target = CodeField(Target.choices, required=False)
    # plain ids (not restricted): an estate the caller does not serve is refused by the service with its name
    estates = serializers.PrimaryKeyRelatedField(many=True, queryset=Estate.objects.all(), allow_empty=False)
    status = CodeField(CampaignStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    response_rates = serializers.SerializerMethodField(help_text=_(
        "Per estate the caller serves: households, invited, answered, rate (detail only)."))

    class Meta:
        model = Campaign
        fields = (*BaseModelSerializer.base_fields, "number", *services.CAMPAIGN_FIELDS, "status", "status_label",
                  "sample_seed", "opened_at", "closed_at", "cancel_reason", "response_rates", "created_at",
                  "updated_at")
        read_only_fields = ("number", "sample_seed", "opened_at", "closed_at", "cancel_reason")
        extra_kwargs = {"low_score_threshold": {"required": False}}

    @extend_schema_field(CampaignRatesSerializer(allow_null=True))
    def get_response_rates(self, obj) -> dict | None:
        view = self.context.get("view")
        request = self.context.get("request")
        if view is None or request is None or getattr(view, "action", None) == "list":
            return None
        return CampaignRatesSerializer(response_rates(obj, request.user)).data

    def validate(self, attrs):
        if self.instance is not None and self.instance.status != CampaignStatus.DRAFT:
            return attrs  # the service refuses the change with its own message
        return super().validate(attrs)


class CampaignCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class CampaignRemindedSerializer(serializers.Serializer):
    reminded = serializers.IntegerField(help_text=_("Households reminded now."))


class CampaignViewSet(ResultsMixin, ServiceModelViewSet):
    """Survey campaigns. Filters: ``status`` (repeatable), ``estate`` (campaigns covering it), ``year``, ``q``. A
    campaign is created as a draft, launched (one invitation with a one-time personal link per household, all of
    them or a stratified random sample), households that have not answered are reminded, then it is closed; a draft
    or a campaign without answers may be cancelled with a reason."""

    queryset = Campaign.objects.select_related("version__questionnaire").prefetch_related("estates")
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilterSet
    action_permissions = {**getattr(ResultsMixin, "action_permissions", {}),
                          "launch": CHANGE, "remind": CHANGE, "close": CHANGE, "cancel": CHANGE}

    @extend_schema(responses={201: CampaignSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        campaign = services.campaign_create(actor=request.user, **dict(serializer.validated_data))
        return self._answer(campaign, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        campaign = self.get_object()
        serializer = self.get_serializer(campaign, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        campaign = services.campaign_update(actor=request.user, campaign=campaign, **dict(serializer.validated_data))
        return self._answer(campaign)

    @extend_schema(request=None, responses=step_responses(CampaignSerializer),
                   description=_("Draft → open: invite every household, or a stratified random sample."))
    @action(detail=True, methods=["post"])
    def launch(self, request, pk=None):
        return self._answer(services.campaign_launch(actor=request.user, campaign=self.get_object()))

    @extend_schema(request=None, responses=step_responses(CampaignRemindedSerializer),
                   description=_("Remind the households that have not answered (once a day at most)."))
    @action(detail=True, methods=["post"])
    def remind(self, request, pk=None):
        count = services.campaign_remind(actor=request.user, campaign=self.get_object())
        return Response({"reminded": count}, status=status.HTTP_200_OK)

    @extend_schema(request=None, responses=step_responses(CampaignSerializer),
                   description=_("Open → closed: the links stop working; the results stay."))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._answer(services.campaign_close(actor=request.user, campaign=self.get_object()))

    @extend_schema(request=CampaignCancelSerializer, responses=step_responses(CampaignSerializer),
                   description=_("Cancel a draft, or an open campaign nobody has answered, with a reason."))
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        campaign = self.get_object()
        params = self._params(CampaignCancelSerializer)
        return self._answer(services.campaign_cancel(actor=request.user, campaign=campaign, reason=params["reason"]))


ROUTES = [("survey-campaigns", CampaignViewSet)]
