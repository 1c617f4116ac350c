"""Contracts API (seed 2.10–2.14): the contract register with its actions ``submit-review``, ``pass-review``,
``return-review``, ``sign``, ``terminate``, ``renew`` and ``files``; takeovers; an estate's takeover rule and its
recording at ``/estates/{id}/takeover/``; renewal tasks; the review checklist. Every queryset goes through
``restrict()``; every write is a service call; nothing is deleted."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from wuye.core.api.schema import step_responses
from wuye.core.api.viewsets import BaseModelViewSet, ServiceModelViewSet
from wuye.core.querysets import restrict
from wuye.estates.models import Estate

from .. import services
from ..filtersets import ContractFilterSet, RenewalTaskFilterSet, ReviewChecklistItemFilterSet, TakeoverFilterSet
from ..models import Contract, RenewalTask, ReviewChecklistItem, Takeover
from .serializers import (
    ContractFileSerializer,
    ContractFileUploadSerializer,
    ContractRenewSerializer,
    ContractReturnSerializer,
    ContractReviewDecisionSerializer,
    ContractReviewSerializer,
    ContractSerializer,
    ContractSignSerializer,
    ContractTerminateSerializer,
    EstateTakeoverRecordSerializer,
    EstateTakeoverSerializer,
    RenewalTaskSerializer,
    ReviewChecklistItemSerializer,
    TakeoverSerializer,
)


class ContractViewSet(ServiceModelViewSet):
    """The contract register (合同清单). Filters: ``estate``, ``kind``, ``status`` (repeatable), ``party_kind``,
    ``party`` (name contains), ``expiring_within`` (days), ``valid_on`` (a date), ``q`` (full text). A contract is
    created as a draft, submitted for review, passed (every checklist point holds) or returned by a reviewer who
    did not draft it, signed, and then moves by its dates: in force, expiring, expired. It may be terminated,
    renewed (a new draft for the same estate) and a preliminary contract is superseded when a service contract of
    its estate takes effect."""

    queryset = Contract.objects.select_related("estate", "owner", "renews").prefetch_related(
        "renewals", "reviews__checks", "files")
    serializer_class = ContractSerializer
    filterset_class = ContractFilterSet
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    action_permissions = {
        "submit_review": services.CHANGE,
        "pass_review": services.REVIEW,
        "return_review": services.REVIEW,
        "sign": services.SIGN,
        "terminate": services.SIGN,
        "renew": "contracts.add_contract",
        "files": "contracts.add_contractfile",
    }

    def get_queryset(self):
        return super().get_queryset().order_by("valid_to", "number")

    @extend_schema(responses={201: ContractSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contract = services.contract_create(actor=request.user, **dict(serializer.validated_data))
        return self._answer(contract, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        contract = self.get_object()
        serializer = self.get_serializer(contract, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        contract = services.contract_update(actor=request.user, contract=contract, **dict(serializer.validated_data))
        return self._answer(contract)

    @extend_schema(request=None, responses=step_responses(ContractReviewSerializer),
                   description=_("Send a draft to review, with the company's checklist as it stands today."))
    @action(detail=True, methods=["post"], url_path="submit-review", url_name="submit-review")
    def submit_review(self, request, pk=None):
        review = services.contract_submit_review(actor=request.user, contract=self.get_object())
        return Response(ContractReviewSerializer(review).data, status=status.HTTP_200_OK)

    @extend_schema(request=ContractReviewDecisionSerializer, responses=step_responses(ContractSerializer),
                   description=_("The reviewer confirms every point of the checklist: the review passes."))
    @action(detail=True, methods=["post"], url_path="pass-review", url_name="pass-review")
    def pass_review(self, request, pk=None):
        contract = self.get_object()
        params = self._params(ContractReviewDecisionSerializer)
        services.contract_pass_review(actor=request.user, contract=contract, checks=params.get("checks") or {},
                                      comments=params.get("comments", ""))
        return self._answer(contract)

    @extend_schema(request=ContractReturnSerializer, responses=step_responses(ContractSerializer),
                   description=_("The reviewer returns the contract to draft with comments."))
    @action(detail=True, methods=["post"], url_path="return-review", url_name="return-review")
    def return_review(self, request, pk=None):
        contract = self.get_object()
        params = self._params(ContractReturnSerializer)
        services.contract_return_review(actor=request.user, contract=contract, checks=params.get("checks") or {},
                                        comments=params.get("comments", ""))
        return self._answer(contract)

    @extend_schema(request=ContractSignSerializer, responses=step_responses(ContractSerializer),
                   description=_("Record a contract whose review passed as signed; it comes into force when its "
                                 "period begins."))
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        contract = self.get_object()
        params = self._params(ContractSignSerializer)
        return self._answer(services.contract_sign(actor=request.user, contract=contract,
                                                   signed_on=params.get("signed_on")))

    @extend_schema(request=ContractTerminateSerializer, responses=step_responses(ContractSerializer),
                   description=_("End a signed contract early, with the date and the reason."))
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        contract = self.get_object()
        params = self._params(ContractTerminateSerializer)
        return self._answer(services.contract_terminate(actor=request.user, contract=contract,
                                                        ended_on=params.get("ended_on"), reason=params["reason"]))

    @extend_schema(request=ContractRenewSerializer, responses={201: ContractSerializer, **step_responses(
        ContractSerializer)}, description=_("A new draft that renews this contract (same estate); fields not given "
                                            "are taken from it."))
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        contract = self.get_object()
        serializer = ContractRenewSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        renewal = services.contract_renew(actor=request.user, contract=contract, **dict(serializer.validated_data))
        return self._answer(renewal, status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": ContractFileUploadSerializer},
                   responses={201: ContractFileSerializer}, description=_("Attach a scanned or electronic copy."))
    @action(detail=True, methods=["post"])
    def files(self, request, pk=None):
        contract = self.get_object()
        params = self._params(ContractFileUploadSerializer)
        stored = services.contract_add_file(actor=request.user, contract=contract, upload=params["file"])
        return Response(ContractFileSerializer(stored, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class TakeoverViewSet(BaseModelViewSet):
    """Takeovers (接管) of estates. ``POST`` records one through ``takeover_record()``: a new-build estate needs a
    signed preliminary contract in force with its developer or property owner (seed 2.10), an existing estate a
    signed service contract in force with its owners' committee or property owner (seed 2.11)."""

    queryset = Takeover.objects.select_related("estate", "contract")
    serializer_class = TakeoverSerializer
    filterset_class = TakeoverFilterSet
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"create": services.TAKEOVER}

    @extend_schema(responses={201: TakeoverSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        takeover = services.takeover_record(actor=request.user, estate=data["estate"],
                                            taken_over_on=data.get("taken_over_on"), contract=data.get("contract"),
                                            notes=data.get("notes", ""))
        fresh = self.queryset.get(pk=takeover.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


class _OneObjectSchema(AutoSchema):
    """The router's list route answering one object: documented as that object, not as an array."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class EstateTakeoverViewSet(viewsets.ViewSet):
    """One estate's takeover: ``GET`` says what the rule requires and whether a contract in force satisfies it;
    ``POST`` records the takeover (``contract``, ``taken_over_on``, ``notes`` optional)."""

    queryset = Estate.objects.all()
    schema = _OneObjectSchema()
    action_permissions = {"list": "contracts.view_takeover", "create": services.TAKEOVER}

    def _estate(self, request, estate_pk, action="view"):
        return get_object_or_404(restrict(Estate.objects.all(), request.user, action), pk=estate_pk)

    @staticmethod
    def _state(estate) -> dict:
        basis, _missing = services.takeover_basis(estate)
        takeover = estate.takeovers.order_by("-taken_over_on", "-id").first()
        return {"estate": estate.pk, "estate_kind": estate.kind, "estate_status": estate.status,
                "rule": str(services.takeover_rule(estate)[2]), "allowed": basis is not None,
                "contract": basis.pk if basis else None, "contract_number": basis.number if basis else None,
                "takeover": takeover.pk if takeover else None}

    @extend_schema(responses=EstateTakeoverSerializer)
    def list(self, request, estate_pk=None):
        return Response(EstateTakeoverSerializer(self._state(self._estate(request, estate_pk))).data)

    @extend_schema(request=EstateTakeoverRecordSerializer, responses={201: TakeoverSerializer})
    def create(self, request, estate_pk=None):
        estate = self._estate(request, estate_pk)
        params = EstateTakeoverRecordSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        contract = None
        if data.get("contract"):
            contract = get_object_or_404(restrict(Contract.objects.all(), request.user, "view"), pk=data["contract"])
        takeover = services.takeover_record(actor=request.user, estate=estate, contract=contract,
                                            taken_over_on=data.get("taken_over_on"), notes=data.get("notes", ""))
        return Response(TakeoverSerializer(Takeover.objects.get(pk=takeover.pk), context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class RenewalTaskViewSet(BaseModelViewSet):
    """Renewal tasks (续签): opened when an owners' committee is formed for an estate on a preliminary contract,
    done when a service contract with the committee takes effect."""

    queryset = RenewalTask.objects.select_related("estate", "contract", "committee")
    serializer_class = RenewalTaskSerializer
    filterset_class = RenewalTaskFilterSet
    http_method_names = ["get", "head", "options"]


class ReviewChecklistItemViewSet(BaseModelViewSet):
    """The company's review checklist: the points a reviewer confirms before a contract is signed."""

    queryset = ReviewChecklistItem.objects.all()
    serializer_class = ReviewChecklistItemSerializer
    filterset_class = ReviewChecklistItemFilterSet
