"""Appraisals and cycles API: ``/api/v1/appraisals/`` (list and retrieve with sections, scores, subtotals, total
and grade; create one outside a cycle; actions ``start``, ``self-assessment``, ``scores``, ``submit``,
``acknowledge``, ``finalise``, ``revise``) and ``/api/v1/appraisal-cycles/`` (list, retrieve, create = open, with
its appraisals made at once; actions ``add-staff``, ``remind``, ``close``). Every queryset goes through
``restrict()`` (an appraisal the caller may not see is 404); every write is a service call; nothing is deleted and
nothing is changed but through the steps."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from wuye.core.api.schema import step_responses
from wuye.core.api.viewsets import ServiceModelViewSet

from ..filtersets.appraisals import AppraisalCycleFilterSet, AppraisalFilterSet
from ..models import Appraisal, AppraisalCycle
from ..services import appraisals as services
from ..services.appraisals import CHANGE, MANAGE
from .appraisals_serializers import (
    AcknowledgeSerializer,
    AppraisalCreateSerializer,
    AppraisalCycleSerializer,
    AppraisalSerializer,
    CycleAddStaffSerializer,
    CycleOpenSerializer,
    CycleRunSerializer,
    EmptySerializer,
    RemindAnswerSerializer,
    ReviseSerializer,
    ScoresSerializer,
    SelfAssessmentSerializer,
)

__all__ = ["ROUTES", "AppraisalCycleViewSet", "AppraisalViewSet"]


class AppraisalViewSet(ServiceModelViewSet):
    """Appraisals as the caller may see them: those they appraise, their own (during their self-assessment and
    from the acknowledgement on) and, for department managers, their department's. Filters: ``view``
    (``to_make``, ``mine``, ``department``), ``state`` (repeatable), ``cycle``, ``form``, ``appraisee``,
    ``appraiser``, ``period_kind``, ``period_from``, ``period_to``, ``grade``, ``q``. ``POST`` makes one outside a
    cycle (a draft); the steps move it on: ``start``, ``self-assessment`` (the appraisee), ``scores`` and ``submit``
    (the appraiser), ``acknowledge`` (the appraisee), ``finalise`` and ``revise`` (the appraiser's manager or a cycle
    manager). A final appraisal is read-only."""

    queryset = Appraisal.objects.select_related("appraisee", "appraiser", "form_version__form").prefetch_related(
        "scores", "form_version__sections__items")
    serializer_class = AppraisalSerializer
    filterset_class = AppraisalFilterSet
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"start": CHANGE, "self_assessment": CHANGE, "scores": CHANGE, "submit": CHANGE,
                          "acknowledge": CHANGE, "finalise": CHANGE, "revise": CHANGE}

    def get_queryset(self):
        return super().get_queryset().order_by("-period_start", "appraisee__name", "pk")

    @extend_schema(request=AppraisalCreateSerializer, responses={201: AppraisalSerializer})
    def create(self, request, *args, **kwargs):
        data = self._params(AppraisalCreateSerializer)
        period_end = data.get("period_end") or services.period_end_for(data["period_kind"], data["period_start"])
        appraisal = services.appraisal_create(
            actor=request.user, appraisee=data["appraisee"], appraiser=data["appraiser"],
            form_version=data["form_version"], period_kind=data["period_kind"], period_start=data["period_start"],
            period_end=period_end, cycle=data.get("cycle"))
        return self._answer(appraisal, status.HTTP_201_CREATED)

    @extend_schema(request=EmptySerializer, responses=step_responses(AppraisalSerializer),
                   description=_("Draft → self-assessment (when the cycle asks for one) or the appraiser's scoring."))
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._answer(services.appraisal_start(actor=request.user, appraisal=self.get_object()))

    @extend_schema(request=SelfAssessmentSerializer, responses=step_responses(AppraisalSerializer),
                   description=_("The appraisee's own scores and comments; ``submit`` hands it to the appraiser."))
    @action(detail=True, methods=["post"], url_path="self-assessment")
    def self_assessment(self, request, pk=None):
        appraisal = self.get_object()
        params = SelfAssessmentSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        scores = {row["item"]: (row["score"], row.get("comment")) for row in params.validated_data["scores"]}
        return self._answer(services.appraisal_self_assess(actor=request.user, appraisal=appraisal, scores=scores,
                                                           submit=params.validated_data["submit"]))

    @extend_schema(request=ScoresSerializer, responses=step_responses(AppraisalSerializer),
                   description=_("Save scores and comments (the appraiser, while scoring): every score a value of "
                                 "the form's scale, or nothing is saved."))
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        appraisal = self.get_object()
        params = ScoresSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return self._answer(services.appraisal_score(actor=request.user, appraisal=appraisal, scores=params.as_dict(),
                                                     comment=data.get("comment"),
                                                     appraised_on=data.get("appraised_on")))

    @extend_schema(request=EmptySerializer, responses=step_responses(AppraisalSerializer),
                   description=_("Every item scored: the total and grade are kept and the appraisee is asked to "
                                 "acknowledge."))
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._answer(services.appraisal_submit(actor=request.user, appraisal=self.get_object()))

    @extend_schema(request=AcknowledgeSerializer, responses=step_responses(AppraisalSerializer),
                   description=_("The appraisee acknowledges, with a disagreement if they have one."))
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        appraisal = self.get_object()
        params = self._params(AcknowledgeSerializer)
        return self._answer(services.appraisal_acknowledge(actor=request.user, appraisal=appraisal,
                                                           disagreement=params.get("disagreement", "")))

    @extend_schema(request=EmptySerializer, responses=step_responses(AppraisalSerializer),
                   description=_("Acknowledged → final (read-only from now on)."))
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None):
        return self._answer(services.appraisal_finalise(actor=request.user, appraisal=self.get_object()))

    @extend_schema(request=ReviseSerializer, responses=step_responses(AppraisalSerializer),
                   description=_("Correct a final appraisal: answers the new revision (back with the appraiser); "
                                 "the final one is kept, superseded."))
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        appraisal = self.get_object()
        params = self._params(ReviseSerializer)
        revision = services.appraisal_revise(actor=request.user, appraisal=appraisal, reason=params["reason"])
        fresh = self.queryset.get(pk=revision.pk)
        return Response(AppraisalSerializer(fresh, context=self.get_serializer_context()).data)


class AppraisalCycleViewSet(ServiceModelViewSet):
    """Appraisal cycles. Filters: ``status``, ``period_kind``, ``form_version``, ``q``. ``POST`` opens one and makes
    its appraisals at once (one per active staff member of the posts and departments, their manager as the
    appraiser); the answer lists them (``created``) and the staff skipped with the reason (``skipped``).
    ``add-staff`` runs that again (never a second appraisal for anyone), ``remind`` tells those the open
    appraisals wait for (once a day), ``close`` closes it."""

    queryset = AppraisalCycle.objects.select_related("form_version__form").prefetch_related(
        "posts", "departments", Prefetch("appraisals", queryset=Appraisal.objects.only("pk", "state", "cycle_id")))
    serializer_class = AppraisalCycleSerializer
    filterset_class = AppraisalCycleFilterSet
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"add_staff": MANAGE, "remind": MANAGE, "close": MANAGE}

    def get_queryset(self):
        return super().get_queryset().order_by("-period_start", "name", "pk")

    def _run_answer(self, run, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.queryset.get(pk=run.cycle.pk)
        fresh.run_created, fresh.run_skipped = run.created, run.skipped
        return Response(CycleRunSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=CycleOpenSerializer, responses={201: CycleRunSerializer})
    def create(self, request, *args, **kwargs):
        data = self._params(CycleOpenSerializer)
        run = services.cycle_open(
            actor=request.user, name=data["name"], form_version=data["form_version"],
            period_kind=data["period_kind"], period_start=data["period_start"], period_end=data.get("period_end"),
            posts=data.get("posts", ()), departments=data.get("departments", ()),
            self_assessment=data.get("self_assessment", False), due_on=data.get("due_on"))
        return self._run_answer(run, status.HTTP_201_CREATED)

    @extend_schema(request=CycleAddStaffSerializer, responses=step_responses(CycleRunSerializer),
                   description=_("Make the appraisals of staff the cycle covers who have none yet (or of the staff "
                                 "named)."))
    @action(detail=True, methods=["post"], url_path="add-staff")
    def add_staff(self, request, pk=None):
        cycle = self.get_object()
        params = self._params(CycleAddStaffSerializer)
        return self._run_answer(services.cycle_add_staff(actor=request.user, cycle=cycle,
                                                         staff=params.get("staff") or ()))

    @extend_schema(request=EmptySerializer, responses=step_responses(RemindAnswerSerializer),
                   description=_("Remind those the open appraisals wait for; once a day per person."))
    @action(detail=True, methods=["post"])
    def remind(self, request, pk=None):
        return Response({"sent": services.cycle_remind(actor=request.user, cycle=self.get_object())})

    @extend_schema(request=EmptySerializer, responses=step_responses(AppraisalCycleSerializer),
                   description=_("Close the cycle: no more staff added, no more reminders."))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._answer(services.cycle_close(actor=request.user, cycle=self.get_object()))


ROUTES = [
    ("appraisal-cycles", AppraisalCycleViewSet),
    ("appraisals", AppraisalViewSet),
]
