from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wuye.core.api.fields import MaskedField
from wuye.core.api.serializers import BaseModelSerializer

from ..hooks import status_blockers
from ..models import Building, CommitteeMember, Customer, Estate, Occupancy, OwnersCommittee, Unit
from ..models import _current_occupancy_q as current_q


class EstateSerializer(BaseModelSerializer):
    class Meta:
        model = Estate
        fields = (*BaseModelSerializer.base_fields, "company", "name", "code", "kind", "status", "province", "city",
                  "district", "address", "floor_area", "site_area", "service_phone", "managed_since", "notes",
                  "created_at", "updated_at")
        validators = []  # the model's constraints answer with field-level messages (BaseModelSerializer.validate)

    def validate_status(self, value):
        blockers = status_blockers(self.instance or Estate(), value)
        if blockers:
            raise serializers.ValidationError(blockers)
        return value


class BuildingSerializer(BaseModelSerializer):
    class Meta:
        model = Building
        fields = (*BaseModelSerializer.base_fields, "estate", "number", "name", "kind", "floors", "entrances",
                  "completed_year", "notes", "created_at", "updated_at")
        validators = []


class UnitSerializer(BaseModelSerializer):
    class Meta:
        model = Unit
        fields = (*BaseModelSerializer.base_fields, "estate", "building", "code", "entrance", "floor", "number",
                  "usage", "status", "floor_area", "delivered_on", "notes", "created_at", "updated_at")
        read_only_fields = ("estate", "code")
        validators = []


class CurrentUnitSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    code = serializers.CharField()
    role = serializers.CharField()


class CustomerSerializer(BaseModelSerializer):
    """Phone and ID numbers are masked unless ``?unmasked=true`` is asked by a user who may see them
    (each object shown unmasked is then recorded in the audit log)."""

    mobile = MaskedField(max_length=20)
    phone = MaskedField(max_length=30)
    id_number = MaskedField(max_length=40)
    emergency_phone = MaskedField(max_length=30)
    current_units = serializers.SerializerMethodField()

    class Meta:
        model = Customer
        fields = (*BaseModelSerializer.base_fields, "estate", "kind", "name", "mobile", "phone", "id_type",
                  "id_number", "email", "emergency_contact", "emergency_phone", "status", "notes", "current_units",
                  "created_at", "updated_at")
        read_only_fields = ("status",)
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        if getattr(self.instance, "pk", None):
            fields["estate"].read_only = True  # a customer does not move to another estate's archive
        return fields

    @extend_schema_field(CurrentUnitSerializer(many=True))
    def get_current_units(self, obj):
        occupancies = getattr(obj, "current_occupancies", None)
        if occupancies is None:
            occupancies = obj.occupancies.filter(current_q()).select_related("unit")
        return [{"unit": o.unit_id, "code": o.unit.code, "role": o.role} for o in occupancies]


class OccupancySerializer(BaseModelSerializer):
    is_current = serializers.BooleanField(read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = Occupancy
        fields = (*BaseModelSerializer.base_fields, "unit", "unit_code", "customer", "role", "start_date",
                  "end_date", "is_current", "is_primary_contact", "notes", "created_at", "updated_at")
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        if getattr(self.instance, "pk", None):
            fields["unit"].read_only = True
            fields["customer"].read_only = True
        else:
            fields["end_date"].read_only = True  # an occupancy starts open; POST .../end/ ends it
        return fields


class EndSerializer(serializers.Serializer):
    end_date = serializers.DateField()


class OwnersCommitteeSerializer(BaseModelSerializer):
    class Meta:
        model = OwnersCommittee
        fields = (*BaseModelSerializer.base_fields, "estate", "term_number", "established_on", "term_start",
                  "term_end", "filing_number", "status", "contact_phone", "notes", "created_at", "updated_at")
        read_only_fields = ("status",)
        extra_kwargs = {"term_number": {"required": False}}
        validators = []

    def validate(self, attrs):
        if self.instance is None:
            return attrs  # committee_create() validates the whole committee (term number, one in office)
        return super().validate(attrs)


class CommitteeMemberSerializer(BaseModelSerializer):
    class Meta:
        model = CommitteeMember
        fields = (*BaseModelSerializer.base_fields, "committee", "customer", "position", "joined_on", "left_on",
                  "created_at", "updated_at")
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        if getattr(self.instance, "pk", None):
            fields["committee"].read_only = True
            fields["customer"].read_only = True
        else:
            fields["left_on"].read_only = True
        return fields
