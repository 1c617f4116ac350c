"""Pages of the quality policy and objectives: the versions (list, page with the objectives and their actual
values for a period, add, edit a draft, history) and their steps (approve, publish); the objectives (list, page
with the measurements and their evidence files, add and edit on a draft policy, history) and the step that
records a measurement."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path, re_path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.views import ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView
from wuye.documents.forms import StepForm
from wuye.documents.views.base import StepView, TableStepView

from .. import services
from ..choices import PolicyStatus
from ..filtersets.policy import QualityObjectiveFilterSet, QualityPolicyFilterSet
from ..forms.policy import MeasurementForm, PeriodForm, QualityObjectiveForm, QualityPolicyForm
from ..models import QualityObjective, QualityPolicy
from ..selectors.policy import objective_rows, parse_period
from ..services.files import files_of
from ..services.policy import APPROVE_POLICY, PUBLISH_POLICY
from ..tables.policy import QualityObjectiveTable, QualityPolicyTable


def _period(request):
    start, end = parse_period(request.GET.get("start"), request.GET.get("end"))
    return start, end, PeriodForm(initial={"start": start, "end": end})


# --- policies -------------------------------------------------------------------------------------------------------


class QualityPolicyListView(ObjectListView):
    queryset = QualityPolicy.objects.select_related("approved_by")
    filterset = QualityPolicyFilterSet
    table = QualityPolicyTable


def policy_steps(policy: QualityPolicy, user) -> list[dict]:
    steps = []

    def add(step, label, style="outline-primary"):
        steps.append({"step": step, "label": label, "style": style,
                      "url": reverse("quality:qualitypolicy_step", args=[policy.pk, step])})

    if policy.status == PolicyStatus.DRAFT and user.has_perm(APPROVE_POLICY):
        add("approve", _("Approve"), "success")
    if policy.status == PolicyStatus.APPROVED and user.has_perm(PUBLISH_POLICY):
        add("publish", _("Publish"), "primary")
    return steps


class QualityPolicyView(ObjectDetailView):
    queryset = QualityPolicy.objects.select_related("approved_by", "document")
    template_name = "quality/policy/qualitypolicy.html"

    def get_extra_context(self, policy):
        user = self.request.user
        start, end, period_form = _period(self.request)
        objectives = policy.objectives.select_related("estate", "department", "owner")
        is_draft = policy.status == PolicyStatus.DRAFT
        return {
            "steps": policy_steps(policy, user),
            "edit_url": reverse("quality:qualitypolicy_edit", args=[policy.pk]) if self.can_change and is_draft
            else None,
            "rows": objective_rows(objectives, start, end),
            "start": start, "end": end, "period_form": period_form,
            "add_objective_url": f"{reverse('quality:qualityobjective_add')}?policy={policy.pk}"
            if is_draft and user.has_perm("quality.add_qualityobjective") else None,
            "new_version_url": reverse("quality:qualitypolicy_add")
            if user.has_perm("quality.add_qualitypolicy") and policy.status == PolicyStatus.PUBLISHED else None,
        }


class QualityPolicyAddView(ObjectEditView):
    queryset = QualityPolicy.objects.all()
    form = QualityPolicyForm

    def save(self, form):
        return services.quality_policy_create(actor=self.request.user,
                                              copy_objectives=form.cleaned_data.get("copy_objectives", False),
                                              **form.service_fields())


class QualityPolicyEditView(ObjectEditView):
    queryset = QualityPolicy.objects.all()
    form = QualityPolicyForm

    def get_object(self):
        policy = super().get_object()
        if policy.status != PolicyStatus.DRAFT:
            raise PermissionDenied
        return policy

    def save(self, form):
        policy = QualityPolicy.objects.get(pk=form.instance.pk)
        return services.quality_policy_update(actor=self.request.user, policy=policy, **form.service_fields())


class QualityPolicyHistoryView(ObjectHistoryView):
    queryset = QualityPolicy.objects.all()


POLICY_STEPS = {
    "approve": (gettext_lazy("Approve the policy and its objectives"), "success", APPROVE_POLICY,
                PolicyStatus.DRAFT),
    "publish": (gettext_lazy("Publish the policy"), "primary", PUBLISH_POLICY, PolicyStatus.APPROVED),
}


class QualityPolicyStepView(TableStepView):
    queryset = QualityPolicy.objects.all()
    steps = POLICY_STEPS
    view_permission = "quality.view_qualitypolicy"
    form_class = StepForm

    def make_form(self, obj, data=None, files=None):  # the table's fourth item is the status, not a form
        return StepView.make_form(self, obj, data, files)

    def notice(self, policy):
        if policy.status != POLICY_STEPS[self.step][3]:
            return _("A policy that is %(status)s cannot take this step.") % {"status": policy.get_status_display()}
        return None

    def perform(self, policy, form):
        if self.step == "approve":
            services.quality_policy_approve(actor=self.request.user, policy=policy)
            return _("Version %(version)s of the policy is approved.") % {"version": policy.version}
        services.quality_policy_publish(actor=self.request.user, policy=policy)
        return _("Version %(version)s of the policy is published.") % {"version": policy.version}


# --- objectives -----------------------------------------------------------------------------------------------------


class QualityObjectiveListView(ObjectListView):
    queryset = QualityObjective.objects.select_related("policy", "estate", "department", "owner")
    filterset = QualityObjectiveFilterSet
    table = QualityObjectiveTable


class QualityObjectiveView(ObjectDetailView):
    queryset = QualityObjective.objects.select_related("policy", "estate", "department", "owner")
    template_name = "quality/policy/qualityobjective.html"

    def get_extra_context(self, objective):
        user = self.request.user
        start, end, period_form = _period(self.request)
        row = objective_rows([objective], start, end)[0]
        measurements = [(m, list(files_of(m))) for m in objective.measurements.order_by("-period_end", "-id")]
        may_measure = (not objective.is_computed and objective.policy.status != PolicyStatus.DRAFT
                       and user.has_perm("quality.add_objectivemeasurement"))
        return {
            "row": row, "start": start, "end": end, "period_form": period_form, "measurements": measurements,
            "edit_url": reverse("quality:qualityobjective_edit", args=[objective.pk])
            if self.can_change and objective.policy.status == PolicyStatus.DRAFT else None,
            "measure_url": reverse("quality:qualityobjective_step", args=[objective.pk, "measure"])
            if may_measure else None,
        }


class QualityObjectiveAddView(ObjectEditView):
    """Add an objective to a draft policy (``?policy=<id>``)."""

    queryset = QualityObjective.objects.all()
    form = QualityObjectiveForm

    def policy(self) -> QualityPolicy:
        pk = self.request.GET.get("policy")  # the form posts to the same address
        policy = QualityPolicy.objects.restrict(self.request.user, "change").filter(
            status=PolicyStatus.DRAFT, pk=pk if str(pk or "").isdigit() else None).first()
        if policy is None:
            raise Http404
        return policy

    def get_object(self):
        return QualityObjective(policy=self.policy())

    def render_form(self, obj, form, status=200):
        response = super().render_form(obj, form, status)
        response.context_data["cancel_url"] = obj.policy.get_absolute_url()
        return response

    def save(self, form):
        return services.quality_objective_add(actor=self.request.user, policy=form.instance.policy,
                                              **form.service_fields())


class QualityObjectiveEditView(ObjectEditView):
    queryset = QualityObjective.objects.select_related("policy")
    form = QualityObjectiveForm

    def get_object(self):
        objective = super().get_object()
        if objective.policy.status != PolicyStatus.DRAFT:
            raise PermissionDenied
        return objective

    def save(self, form):
        objective = QualityObjective.objects.get(pk=form.instance.pk)
        return services.quality_objective_update(actor=self.request.user, objective=objective,
                                                 **form.service_fields())


class QualityObjectiveHistoryView(ObjectHistoryView):
    queryset = QualityObjective.objects.all()


class MeasurementStepView(StepView):
    """Record the actual value of a hand-measured objective for a period, with evidence files."""

    queryset = QualityObjective.objects.select_related("policy")
    permission_required = "quality.add_objectivemeasurement"
    form_class = MeasurementForm
    title = gettext_lazy("Record a measurement")
    multipart = True

    def get_object(self):
        if self.kwargs["step"] != "measure":
            raise Http404
        return super().get_object()

    def notice(self, objective):
        if objective.is_computed:
            return _("The actual value of this objective is computed by wuye; it takes no figure entered by hand.")
        if objective.policy.status == PolicyStatus.DRAFT:
            return _("Measure the objectives of an approved or published policy, not of a draft.")
        return None

    def make_form(self, obj, data=None, files=None):
        form = super().make_form(obj, data, files)
        if data is None:
            start, end = parse_period(None, None)
            form.initial.update(period_start=start, period_end=end)
        return form

    def perform(self, objective, form):
        data = form.cleaned_data
        try:
            services.objective_measurement_record(
                actor=self.request.user, objective=objective, period_start=data["period_start"],
                period_end=data["period_end"], value=data["value"], note=data["note"], files=data.get("files") or ())
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "__all__" in exc.error_dict:
                raise ValidationError({"period_end": exc.error_dict["__all__"]}) from exc
            raise
        return _("Measurement recorded: %(objective)s") % {"objective": objective}


_policy_steps = "|".join(map(re.escape, POLICY_STEPS))
urlpatterns = [
    path("policies/", QualityPolicyListView.as_view(), name="qualitypolicy_list"),
    path("policies/add/", QualityPolicyAddView.as_view(), name="qualitypolicy_add"),
    path("policies/<int:pk>/", QualityPolicyView.as_view(), name="qualitypolicy"),
    path("policies/<int:pk>/edit/", QualityPolicyEditView.as_view(), name="qualitypolicy_edit"),
    path("policies/<int:pk>/history/", QualityPolicyHistoryView.as_view(), name="qualitypolicy_history"),
    re_path(rf"^policies/(?P<pk>\d+)/(?P<step>{_policy_steps})/$", QualityPolicyStepView.as_view(),
            name="qualitypolicy_step"),
    path("objectives/", QualityObjectiveListView.as_view(), name="qualityobjective_list"),
    path("objectives/add/", QualityObjectiveAddView.as_view(), name="qualityobjective_add"),
    path("objectives/<int:pk>/", QualityObjectiveView.as_view(), name="qualityobjective"),
    path("objectives/<int:pk>/edit/", QualityObjectiveEditView.as_view(), name="qualityobjective_edit"),
    path("objectives/<int:pk>/history/", QualityObjectiveHistoryView.as_view(), name="qualityobjective_history"),
    re_path(r"^objectives/(?P<pk>\d+)/(?P<step>measure)/$", MeasurementStepView.as_view(),
            name="qualityobjective_step"),
]
