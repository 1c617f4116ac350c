from rest_framework import serializers

from wuye.core.api.fields import MaskedField
from wuye.core.api.serializers import BaseModelSerializer

from ..models import Department, JobStandard, Post, Staff


class DepartmentSerializer(BaseModelSerializer):
    class Meta:
        model = Department
        fields = (*BaseModelSerializer.base_fields, "company", "name", "code", "parent", "responsibilities", "phone",
                  "is_active", "created_at", "updated_at")


class PostSerializer(BaseModelSerializer):
    current_standard = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = (*BaseModelSerializer.base_fields, "department", "name", "code", "reports_to", "headcount",
                  "is_active", "current_standard")

    def get_current_standard(self, obj) -> int | None:
        return getattr(obj, "current_standard_id", None)


class JobStandardSerializer(BaseModelSerializer):
    class Meta:
        model = JobStandard
        fields = (*BaseModelSerializer.base_fields, "post", "version", "status", "duties", "work_standard",
                  "qualifications", "assessment_method", "change_note", "effective_from", "approved_by")
        read_only_fields = ("version", "status", "effective_from", "approved_by")


class StaffSerializer(BaseModelSerializer):
    mobile = MaskedField(max_length=20)
    estates = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Staff
        fields = (*BaseModelSerializer.base_fields, "employee_no", "name", "department", "post", "mobile", "email",
                  "status", "joined_on", "left_on", "user", "estates")
        read_only_fields = ("user",)
