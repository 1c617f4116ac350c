from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from wuye.core.api.viewsets import BaseModelViewSet

from .. import selectors, services
from ..filtersets import (
    BuildingFilterSet,
    CommitteeMemberFilterSet,
    CustomerFilterSet,
    EstateFilterSet,
    OccupancyFilterSet,
    OwnersCommitteeFilterSet,
    UnitFilterSet,
)
from ..models import Building, CommitteeMember, Customer, Estate, Occupancy, OwnersCommittee, Unit
from .serializers import (
    BuildingSerializer,
    CommitteeMemberSerializer,
    CustomerSerializer,
    EndSerializer,
    EstateSerializer,
    OccupancySerializer,
    OwnersCommitteeSerializer,
    UnitSerializer,
)


class ArchiveSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class EstateViewSet(BaseModelViewSet):
    """Managed estates (管理项目): the ones the caller serves, or all for roles that see every estate."""

    queryset = Estate.objects.select_related("company").order_by("pk")
    serializer_class = EstateSerializer
    filterset_class = EstateFilterSet


class BuildingViewSet(BaseModelViewSet):
    """Buildings of an estate, numbered uniquely within it."""

    queryset = Building.objects.select_related("estate").order_by("pk")
    serializer_class = BuildingSerializer
    filterset_class = BuildingFilterSet


class UnitViewSet(BaseModelViewSet):
    """Units; the unit number (``code``, e.g. ``3-2-1201``) and the estate are derived from the building."""

    queryset = Unit.objects.select_related("estate", "building").order_by("pk")
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet

    def perform_create(self, serializer):
        serializer.instance = services.unit_create(actor=self.request.user, **serializer.validated_data)


class CustomerViewSet(BaseModelViewSet):
    """The customer archive. ``q`` finds by phone number, its last 4 digits, unit number or name.
    Records are archived (``POST .../archive/``), never deleted."""

    queryset = (Customer.objects.select_related("estate").prefetch_related(selectors.current_occupancies_prefetch())
                .order_by("pk"))
    serializer_class = CustomerSerializer
    filterset_class = CustomerFilterSet
    action_permissions = {"archive": "estates.change_customer"}

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.customer_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = services.customer_update(actor=self.request.user, customer=serializer.instance,
                                                       **serializer.validated_data)

    @extend_schema(request=ArchiveSerializer, responses=CustomerSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        params = ArchiveSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        customer = services.customer_archive(actor=request.user, customer=self.get_object(),
                                             on=params.validated_data.get("on"),
                                             reason=params.validated_data.get("reason", ""))
        return Response(self.get_serializer(customer).data)


class OccupancyViewSet(BaseModelViewSet):
    """Occupancies: POST starts one (through the service), ``POST .../end/`` ends it."""

    queryset = Occupancy.objects.select_related("unit", "unit__estate", "customer").order_by("pk")
    serializer_class = OccupancySerializer
    filterset_class = OccupancyFilterSet
    action_permissions = {"end": "estates.change_occupancy"}

    def perform_create(self, serializer):
        serializer.instance = services.occupancy_start(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=EndSerializer, responses=OccupancySerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        params = EndSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        occupancy = services.occupancy_end(actor=request.user, occupancy=self.get_object(),
                                           end_date=params.validated_data["end_date"])
        return Response(self.get_serializer(occupancy).data)


class OwnersCommitteeViewSet(BaseModelViewSet):
    """Owners' committees, one per term; ``POST .../end/`` ends the term (members' seats end too)."""

    queryset = OwnersCommittee.objects.select_related("estate").order_by("pk")
    serializer_class = OwnersCommitteeSerializer
    filterset_class = OwnersCommitteeFilterSet
    action_permissions = {"end": "estates.change_ownerscommittee"}

    def perform_create(self, serializer):
        serializer.instance = services.committee_create(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=EndSerializer, responses=OwnersCommitteeSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        params = EndSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        committee = services.committee_end(actor=request.user, committee=self.get_object(),
                                           ended_on=params.validated_data["end_date"])
        return Response(self.get_serializer(committee).data)


class CommitteeMemberViewSet(BaseModelViewSet):
    """Members of owners' committees, with their position and dates."""

    queryset = CommitteeMember.objects.select_related("committee", "customer").order_by("pk")
    serializer_class = CommitteeMemberSerializer
    filterset_class = CommitteeMemberFilterSet

    def perform_create(self, serializer):
        serializer.instance = services.committee_member_add(actor=self.request.user, **serializer.validated_data)
