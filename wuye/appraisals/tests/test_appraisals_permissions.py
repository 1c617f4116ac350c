"""Permission matrix of appraisals and cycles: every page and endpoint as every role (``appraisals/roles.py`` and
``Appraisal.restrict_queryset``).

- Lists: every staff role (each sees only what the privacy rule lets them); residents 403.
- An appraisal of the agent being scored by the customer-service manager: seen by the manager (its appraiser) and by
  holders of ``view_department_appraisals`` of the department (top management, the administrator); the agent (not
  before the acknowledgement), the document controller and the quality auditor get 404; residents 403.
- Steps: only the right person: the appraiser scores and submits (others who see it: 403), the appraisee
  self-assesses and acknowledges, the holders of ``manage_appraisal_cycles`` finalise, revise and reassign.
- Cycles: the customer-service manager, top management and the administrator.

The lead collects ``CASES`` into ``appraisals/tests/test_permissions.py`` (``core/tests/test_coverage.py`` reads
that module only)."""

from __future__ import annotations

from django.urls import reverse

from wuye.appraisals.choices import AppraisalState, PeriodKind
from wuye.appraisals.services import appraisals as services
from wuye.core.roles import Role
from wuye.core.testing.matrix import Route, matrix_tests

from .factories_appraisals import Q1, Q2, all_scores, items, make_appraisal, make_version

R = Role
S = AppraisalState
STAFF = {R.AGENT, R.CS_MANAGER, R.DOCUMENT_CONTROLLER, R.QUALITY_AUDITOR, R.EXECUTIVE, R.ADMIN}
MANAGERS = {R.CS_MANAGER, R.EXECUTIVE, R.ADMIN}
SEEN = (403, 404)


def _on(name, make, *extra):
    return lambda w: reverse(name, args=[make(w).pk, *extra])


def _url(name, query=""):
    return lambda w: reverse(name) + query


def scoring(w):
    return make_appraisal(w, state=S.SCORING)


def scored(w):
    appraisal = scoring(w)
    services.appraisal_score(actor=w.users["cs_manager"], appraisal=appraisal, scores=all_scores(appraisal))
    return appraisal


def draft(w):
    return make_appraisal(w)


def to_acknowledge(w):
    return make_appraisal(w, state=S.ACKNOWLEDGEMENT, acknowledged=False)


def acknowledged(w):
    return make_appraisal(w, state=S.ACKNOWLEDGEMENT)


def final(w):
    return make_appraisal(w, state=S.FINAL)


def self_assessing(w):
    run = services.cycle_open(actor=w.users["cs_manager"], name="自评", form_version=make_version(),
                              period_kind=PeriodKind.QUARTER, period_start=Q1[0], posts=[w.post],
                              self_assessment=True)
    return next(a for a in run.created if a.appraisee_id == w.staff["agent"].pk)


def cycle(w):
    return services.cycle_open(actor=w.users["cs_manager"], name="2026年第一季度", form_version=make_version(),
                               period_kind=PeriodKind.QUARTER, period_start=Q1[0], posts=[w.post]).cycle


def sheet(appraisal_of):
    def data(w):
        appraisal = appraisal_of(w)
        values = {"do": "save", "comment": "", "appraised_on": ""}
        for item in items(appraisal):
            values[f"score_{item.pk}"] = "4"
            values[f"comment_{item.pk}"] = ""
        return values
    return data


def _latest(w):
    from wuye.appraisals.models import Appraisal

    return Appraisal.objects.order_by("-pk").first()


def appraisal_form(w):
    return {"appraisee": w.staff["agent"].pk, "appraiser": w.staff["cs_manager"].pk,
            "form_version": make_version().pk, "period_kind": PeriodKind.QUARTER, "period_start": Q2[0].isoformat()}


def cycle_form(w):
    return {"name": "第二季度", "form_version": make_version().pk, "period_kind": PeriodKind.QUARTER,
            "period_start": Q2[0].isoformat(), "posts": [w.post.pk]}


def api_cycle(w):
    return {"name": "第二季度", "form_version": make_version().pk, "period_kind": PeriodKind.QUARTER,
            "period_start": Q2[0].isoformat(), "posts": [w.post.pk]}


def _score_step_url(w):
    # the sheet's data reads the appraisal made last: make it first, then post to it
    return reverse("appraisals:appraisal_step", args=[scoring(w).pk, "score"])


def _self_step_url(w):
    return reverse("appraisals:appraisal_step", args=[self_assessing(w).pk, "self_assess"])


PAGE_CASES = [
    Route("appraisals:appraisal_list", _url("appraisals:appraisal_list"), STAFF),
    Route("appraisals:appraisal_list", lambda w: (scoring(w), reverse("appraisals:appraisal_list") + "?export=xlsx")[1],
          STAFF),
    Route("appraisals:appraisal", _on("appraisals:appraisal", scoring), MANAGERS, denied_status=SEEN),
    Route("appraisals:appraisal", _on("appraisals:appraisal", to_acknowledge), MANAGERS | {R.AGENT},
          denied_status=SEEN),
    Route("appraisals:appraisal_history", _on("appraisals:appraisal_history", scoring), MANAGERS,
          denied_status=SEEN),
    Route("appraisals:appraisal_add", _url("appraisals:appraisal_add"), MANAGERS),
    Route("appraisals:appraisal_add", _url("appraisals:appraisal_add"), MANAGERS, method="post",
          data=appraisal_form, ok=(302,)),
    Route("appraisals:appraisal_step", _on("appraisals:appraisal_step", draft, "start"), MANAGERS,
          method="post", data=lambda w: {}, ok=(302,), denied_status=SEEN),
    Route("appraisals:appraisal_step", _score_step_url, {R.CS_MANAGER}, denied_status=SEEN),
    Route("appraisals:appraisal_step", _score_step_url, {R.CS_MANAGER}, method="post",
          data=sheet(_latest), ok=(302,), denied_status=SEEN),
    Route("appraisals:appraisal_step", _self_step_url, {R.AGENT}, denied_status=SEEN),
    Route("appraisals:appraisal_step", _self_step_url, {R.AGENT}, method="post", data=sheet(_latest), ok=(302,),
          denied_status=SEEN),
    Route("appraisals:appraisal_step", _on("appraisals:appraisal_step", scored, "submit"), {R.CS_MANAGER},
          method="post", data=lambda w: {}, ok=(302,), denied_status=SEEN),
    Route("appraisals:appraisal_step", _on("appraisals:appraisal_step", to_acknowledge, "acknowledge"), {R.AGENT},
          denied_status=SEEN),
    Route("appraisals:appraisal_step", _on("appraisals:appraisal_step", to_acknowledge, "acknowledge"), {R.AGENT},
          method="post", data=lambda w: {"disagreement": ""}, ok=(302,), denied_status=SEEN),
    Route("appraisals:appraisal_step", _on("appraisals:appraisal_step", acknowledged, "finalise"), MANAGERS,
          method="post", data=lambda w: {}, ok=(302,), denied_status=SEEN),
    Route("appraisals:appraisal_step", _on("appraisals:appraisal_step", final, "revise"), MANAGERS,
          method="post", data=lambda w: {"reason": "更正"}, ok=(302,), denied_status=SEEN),
    Route("appraisals:appraisal_step", _on("appraisals:appraisal_step", scoring, "reassign"), MANAGERS,
          method="post", data=lambda w: {"appraiser": w.staff["executive"].pk}, ok=(302,), denied_status=SEEN),
    Route("appraisals:appraisalcycle_list", _url("appraisals:appraisalcycle_list"), MANAGERS),
    Route("appraisals:appraisalcycle", _on("appraisals:appraisalcycle", cycle), MANAGERS),
    Route("appraisals:appraisalcycle_add", _url("appraisals:appraisalcycle_add"), MANAGERS),
    Route("appraisals:appraisalcycle_add", _url("appraisals:appraisalcycle_add"), MANAGERS, method="post",
          data=cycle_form, ok=(302,)),
    Route("appraisals:appraisalcycle_step", _on("appraisals:appraisalcycle_step", cycle, "remind"), MANAGERS,
          method="post", data=lambda w: {}, ok=(302,)),
    Route("appraisals:appraisalcycle_step", _on("appraisals:appraisalcycle_step", cycle, "add_staff"), MANAGERS,
          method="post", data=lambda w: {}, ok=(302,)),
    Route("appraisals:appraisalcycle_step", _on("appraisals:appraisalcycle_step", cycle, "close"), MANAGERS,
          method="post", data=lambda w: {}, ok=(302,)),
]


def _api_scores(w):
    appraisal = _latest(w)
    return {"scores": [{"item": item.pk, "score": 4} for item in items(appraisal)]}


def _api_score_url(w):
    return reverse("api:appraisals-appraisal-scores", args=[scoring(w).pk])


API_CASES = [
    Route("api:appraisals-appraisal-list", _url("api:appraisals-appraisal-list"), STAFF, api=True),
    Route("api:appraisals-appraisal-list", _url("api:appraisals-appraisal-list"), MANAGERS, api=True, method="post",
          data=appraisal_form, ok=(201,)),
    Route("api:appraisals-appraisal-detail", _on("api:appraisals-appraisal-detail", scoring), MANAGERS, api=True,
          denied_status=SEEN),
    Route("api:appraisals-appraisal-start", _on("api:appraisals-appraisal-start", draft), MANAGERS, api=True,
          method="post", data=lambda w: {}, denied_status=SEEN),
    Route("api:appraisals-appraisal-self-assessment", lambda w: reverse(
        "api:appraisals-appraisal-self-assessment", args=[self_assessing(w).pk]), {R.AGENT}, api=True,
        method="post", data=_api_scores, denied_status=SEEN),
    Route("api:appraisals-appraisal-scores", _api_score_url, {R.CS_MANAGER}, api=True, method="post",
          data=_api_scores, denied_status=SEEN),
    Route("api:appraisals-appraisal-submit", _on("api:appraisals-appraisal-submit", scored), {R.CS_MANAGER},
          api=True, method="post", data=lambda w: {}, denied_status=SEEN),
    Route("api:appraisals-appraisal-acknowledge", _on("api:appraisals-appraisal-acknowledge", to_acknowledge),
          {R.AGENT}, api=True, method="post", data=lambda w: {"disagreement": ""}, denied_status=SEEN),
    Route("api:appraisals-appraisal-finalise", _on("api:appraisals-appraisal-finalise", acknowledged), MANAGERS,
          api=True, method="post", data=lambda w: {}, denied_status=SEEN),
    Route("api:appraisals-appraisal-revise", _on("api:appraisals-appraisal-revise", final), MANAGERS, api=True,
          method="post", data=lambda w: {"reason": "更正"}, denied_status=SEEN),
    Route("api:appraisals-appraisalcycle-list", _url("api:appraisals-appraisalcycle-list"), MANAGERS, api=True),
    Route("api:appraisals-appraisalcycle-list", _url("api:appraisals-appraisalcycle-list"), MANAGERS, api=True,
          method="post", data=api_cycle, ok=(201,)),
    Route("api:appraisals-appraisalcycle-detail", _on("api:appraisals-appraisalcycle-detail", cycle), MANAGERS,
          api=True),
    Route("api:appraisals-appraisalcycle-add-staff", _on("api:appraisals-appraisalcycle-add-staff", cycle),
          MANAGERS, api=True, method="post", data=lambda w: {}),
    Route("api:appraisals-appraisalcycle-remind", _on("api:appraisals-appraisalcycle-remind", cycle), MANAGERS,
          api=True, method="post", data=lambda w: {}),
    Route("api:appraisals-appraisalcycle-close", _on("api:appraisals-appraisalcycle-close", cycle), MANAGERS,
          api=True, method="post", data=lambda w: {}),
]

CASES = PAGE_CASES + API_CASES

test_matrix = matrix_tests(CASES)
