from django.db.models import OuterRef, Subquery
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from wuye.core.api.viewsets import BaseModelViewSet

from .. import services
from ..choices import StandardStatus
from ..filtersets import DepartmentFilterSet, JobStandardFilterSet, PostFilterSet, StaffFilterSet
from ..models import Department, JobStandard, Post, Staff
from .serializers import DepartmentSerializer, JobStandardSerializer, PostSerializer, StaffSerializer


class DepartmentViewSet(BaseModelViewSet):
    """Departments with their written responsibilities (seed 1.1). ``q`` searches name, code and duties."""

    queryset = Department.objects.select_related("company", "parent").order_by("pk")
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilterSet


class PostViewSet(BaseModelViewSet):
    """Posts; ``current_standard`` is the id of the post's current job standard (or null)."""

    queryset = Post.objects.select_related("department").annotate(current_standard_id=Subquery(
        JobStandard.objects.filter(post=OuterRef("pk"), status=StandardStatus.CURRENT).values("pk")[:1]
    )).order_by("pk")
    serializer_class = PostSerializer
    filterset_class = PostFilterSet


class JobStandardViewSet(BaseModelViewSet):
    """Job standards: POST creates a draft (next version); ``publish`` makes it current;
    ``acknowledge`` records that the calling staff member has read it."""

    queryset = JobStandard.objects.select_related("post").order_by("pk")
    serializer_class = JobStandardSerializer
    filterset_class = JobStandardFilterSet
    action_permissions = {"publish": "org.publish_jobstandard", "acknowledge": "org.add_acknowledgement"}
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        post = data.pop("post")
        serializer.instance = services.job_standard_create(actor=self.request.user, post=post, **data)

    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        standard = services.job_standard_publish(actor=request.user, standard=self.get_object())
        return Response(self.get_serializer(standard).data)

    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        ack = services.acknowledgement_confirm(actor=request.user, subject=self.get_object())
        return Response({"acknowledged_at": ack.acknowledged_at}, status=status.HTTP_201_CREATED)


class StaffViewSet(BaseModelViewSet):
    """Staff; ``estates`` are the estates they serve. ``mobile`` is masked unless ``unmasked=true`` and allowed."""

    queryset = Staff.objects.select_related("department", "post__department").prefetch_related("estates").order_by("pk")
    serializer_class = StaffSerializer
    filterset_class = StaffFilterSet
