"""Appraisal-form API: ``/api/v1/appraisal-forms/`` (list, retrieve with the version in use nested, create, change
the name and posts) with the actions ``new-version`` (a draft copying the version in use) and ``publish-version``
(the draft comes into use, the one before is retired). Every queryset goes through ``restrict()``; every write is a
service call; nothing is deleted."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action

from wuye.core.api.schema import step_responses
from wuye.core.api.viewsets import ServiceModelViewSet

from ..choices import FormStatus
from ..filtersets.forms import AppraisalFormFilterSet
from ..models import AppraisalForm, FormVersion
from ..services import forms as services
from .forms_serializers import AppraisalFormSerializer, NewVersionSerializer, PublishVersionSerializer


class AppraisalFormViewSet(ServiceModelViewSet):
    """Appraisal forms (测评表), each with its version in use (``active_version``: scale, grade bands, sections
    with weights, items in order), the draft under way (``draft_version``) and its versions. Filters: ``q`` (name
    or code), ``post``, ``is_builtin``, ``has`` (a version status). A version in use is never changed: a change is
    a new version (``new-version``), edited on the pages and published (``publish-version``)."""

    queryset = AppraisalForm.objects.prefetch_related(
        "posts", Prefetch("versions", queryset=FormVersion.objects.prefetch_related("sections__items")))
    serializer_class = AppraisalFormSerializer
    filterset_class = AppraisalFormFilterSet
    action_permissions = {"new_version": services.ADD_VERSION, "publish_version": services.CHANGE_VERSION}

    def get_queryset(self):
        return super().get_queryset().order_by("name", "pk")

    @extend_schema(responses={201: AppraisalFormSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        form = services.appraisal_form_create(actor=request.user, code=data["code"], name=data["name"],
                                              posts=data.get("posts", ()), title=data.get("title"))
        return self._answer(form, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        form = self.get_object()
        serializer = self.get_serializer(form, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        fields = {name: data[name] for name in ("name", "posts") if name in data}
        return self._answer(services.appraisal_form_update(actor=request.user, form=form, **fields))

    @extend_schema(request=NewVersionSerializer, responses={201: AppraisalFormSerializer,
                                                            **step_responses(AppraisalFormSerializer)},
                   description=gettext_lazy("A new draft version copying the version in use (one draft at a "
                                            "time); it is answered as ``draft_version``."))
    @action(detail=True, methods=["post"], url_path="new-version", url_name="new-version")
    def new_version(self, request, pk=None):
        form = self.get_object()
        params = self._params(NewVersionSerializer)
        services.form_version_draft(actor=request.user, form=form, change_note=params.get("change_note", ""))
        return self._answer(form, status.HTTP_201_CREATED)

    @extend_schema(request=PublishVersionSerializer, responses=step_responses(AppraisalFormSerializer),
                   description=gettext_lazy("The draft version comes into use; the version in use before it is "
                                            "retired. Appraisals keep the version they were made with."))
    @action(detail=True, methods=["post"], url_path="publish-version", url_name="publish-version")
    def publish_version(self, request, pk=None):
        form = self.get_object()
        params = self._params(PublishVersionSerializer)
        drafts = form.versions.filter(status=FormStatus.DRAFT)
        version = (drafts.filter(pk=params["version"]).first() if params.get("version")
                   else drafts.order_by("-number").first())
        if version is None:
            raise ValidationError({"version": _("This form has no such draft version to publish.")})
        services.form_version_publish(actor=request.user, version=version)
        return self._answer(form)


ROUTES = [("appraisal-forms", AppraisalFormViewSet)]
