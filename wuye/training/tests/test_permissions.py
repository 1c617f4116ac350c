"""Permission matrix of the training app: every page and endpoint as every role.

Who may do what comes from ``training/roles.py``: the customer-service manager and the administrator do
everything; top management reads, approves plans and sees everyone's records; agents read plans and sessions and
their own record; the quality auditor reads everything; the document controller sees only their own record (the
records list and "my training record"); residents nothing. Training rows belong to no estate, so there is no
out-of-scope case; the personal rule (one's own attendance rows only) is tested in ``test_views.py``.
"""

from __future__ import annotations

from django.urls import reverse

from wuye.core.roles import Role
from wuye.core.testing.matrix import Route, matrix_tests
from wuye.org.tests.factories import UserFactory
from wuye.training import services

from .factories import adhoc, plan, session, today, yesterday

R = Role
VIEW = {R.CS_MANAGER, R.EXECUTIVE, R.AGENT, R.QUALITY_AUDITOR, R.ADMIN}
OWN = VIEW | {R.DOCUMENT_CONTROLLER}
MANAGE = {R.CS_MANAGER, R.ADMIN}
APPROVE = {R.CS_MANAGER, R.EXECUTIVE, R.ADMIN}
DEPARTMENT = {R.CS_MANAGER, R.EXECUTIVE, R.QUALITY_AUDITOR, R.ADMIN}


# --- objects ----------------------------------------------------------------------------------------------------------


def draft_by_another(w):
    """A draft plan drafted by a second manager, so every approver of the test world may approve it."""
    drafter = UserFactory(username="t_cs_manager_2", roles=[Role.CS_MANAGER])
    made = services.plan_create(actor=drafter, department=w.department, year=yesterday().year, title="年度培训计划")
    services.item_add(actor=drafter, plan=made, topic="投诉处理", hours=2, month=3, target_posts=[w.post])
    return made


def _plan(state):
    return lambda w: plan(w, state)


def _session(state="planned", **kwargs):
    return lambda w: session(w, state, **kwargs)


def material(w):
    from wuye.documents.tests.factories import text_file

    return services.session_add_material(actor=w.users["cs_manager"], session=session(w, "held"),
                                         upload=text_file("讲义", "讲义.txt"))


def item(w):
    return plan(w).items.order_by("month").first()


# --- request bodies ---------------------------------------------------------------------------------------------------


def plan_form(w, **changes):
    data = {"department": w.department.pk, "year": str(yesterday().year), "title": "客服部年度培训计划", "notes": ""}
    data.update(changes)
    return data


def item_form(w):
    return {"topic": "服务礼仪", "target_posts": [w.post.pk], "hours": "2", "month": "4", "trainer": "陈静",
            "trainer_staff": "", "notes": ""}


def session_form(w):
    return {"plan_item": "", "department": w.department.pk, "topic": "消防演练", "date": today().isoformat(),
            "start_time": "09:00", "end_time": "10:30", "hours": "", "trainer": "", "trainer_staff": "",
            "place": "会议室", "notes": ""}


def record_form(w):
    agent = w.staff["agent"].pk
    return {f"attended_{agent}": "on", f"score_{agent}": "90", f"comment_{agent}": ""}


def record_body(w):
    return {"attendance": [{"staff": w.staff["agent"].pk, "attended": True, "score": "90"}]}


# --- routes -----------------------------------------------------------------------------------------------------------


def _url(name, *args):
    return lambda w: reverse(name, args=args)


def _on(name, make, *extra):
    return lambda w: reverse(name, args=[make(w).pk, *extra])


def _export(name, make):
    def url(w):
        make(w)
        return f"{reverse(name)}?export=xlsx"
    return url


def _staff_record(w):
    session(w, "held")
    return reverse("training:staff_record", args=[w.staff["cs_manager"].pk])


PAGE_CASES = [
    # plans
    Route("training:trainingplan_list", _url("training:trainingplan_list"), VIEW),
    Route("training:trainingplan_list", _export("training:trainingplan_list", _plan("approved")), VIEW),
    Route("training:trainingplan", _on("training:trainingplan", _plan("draft")), VIEW),
    Route("training:trainingplan", _on("training:trainingplan", lambda w: session(w, "held").plan_item.plan), VIEW),
    Route("training:trainingplan_history", _on("training:trainingplan_history", _plan("draft")), VIEW),
    Route("training:trainingplan_add", _url("training:trainingplan_add"), MANAGE),
    Route("training:trainingplan_add", _url("training:trainingplan_add"), MANAGE, method="post", data=plan_form,
          ok=(302,)),
    Route("training:trainingplan_edit", _on("training:trainingplan_edit", _plan("draft")), MANAGE),
    Route("training:trainingplan_edit", _on("training:trainingplan_edit", _plan("draft")), MANAGE, method="post",
          data=lambda w: plan_form(w, title="客服部年度培训计划（修订）"), ok=(302,)),
    Route("training:trainingplan_step", _on("training:trainingplan_step", draft_by_another, "approve"), APPROVE),
    Route("training:trainingplan_step", _on("training:trainingplan_step", draft_by_another, "approve"), APPROVE,
          method="post", ok=(302,)),
    Route("training:trainingplan_step", _on("training:trainingplan_step", _plan("approved"), "close"), MANAGE),
    Route("training:trainingplan_step", _on("training:trainingplan_step", _plan("approved"), "close"), MANAGE,
          method="post", data=lambda w: {"reason": "年度结束"}, ok=(302,)),
    # items
    Route("training:planitem_add", _on("training:planitem_add", _plan("draft")), MANAGE),
    Route("training:planitem_add", _on("training:planitem_add", _plan("draft")), MANAGE, method="post",
          data=item_form, ok=(302,)),
    Route("training:planitem_edit", _on("training:planitem_edit", item), MANAGE),
    Route("training:planitem_edit", _on("training:planitem_edit", item), MANAGE, method="post", data=item_form,
          ok=(302,)),
    # sessions
    Route("training:trainingsession_list", _url("training:trainingsession_list"), VIEW),
    Route("training:trainingsession_list", _export("training:trainingsession_list", _session("held")), VIEW),
    Route("training:trainingsession", _on("training:trainingsession", _session("held")), VIEW),
    Route("training:trainingsession", _on("training:trainingsession", _session("planned")), VIEW),
    Route("training:trainingsession_history", _on("training:trainingsession_history", _session()), VIEW),
    Route("training:trainingsession_add", _url("training:trainingsession_add"), MANAGE),
    Route("training:trainingsession_add", _url("training:trainingsession_add"), MANAGE, method="post",
          data=session_form, ok=(302,)),
    Route("training:trainingsession_edit", _on("training:trainingsession_edit", _session()), MANAGE),
    Route("training:trainingsession_edit", _on("training:trainingsession_edit", lambda w: adhoc(w)), MANAGE,
          method="post", data=session_form, ok=(302,)),
    Route("training:trainingsession_step", _on("training:trainingsession_step", _session(), "record"), MANAGE),
    Route("training:trainingsession_step", _on("training:trainingsession_step", _session(), "record"), MANAGE,
          method="post", data=record_form, ok=(302,)),
    Route("training:trainingsession_step", _on("training:trainingsession_step", _session(), "cancel"), MANAGE),
    Route("training:trainingsession_step", _on("training:trainingsession_step", _session(), "cancel"), MANAGE,
          method="post", data=lambda w: {"reason": "讲师临时有事"}, ok=(302,)),
    Route("training:trainingsession_step", _on("training:trainingsession_step", _session(), "material"), MANAGE),
    Route("training:trainingsession_signin", _on("training:trainingsession_signin", _session()), DEPARTMENT),
    Route("training:material", _on("training:material", material), VIEW),
    # records
    Route("training:attendance_list", _url("training:attendance_list"), OWN),
    Route("training:attendance_list", _export("training:attendance_list", _session("held")), OWN),
    Route("training:my_record", _url("training:my_record"), OWN),
    Route("training:staff_record", _staff_record, DEPARTMENT),
]

API_CASES = [
    Route("api:training-trainingplan-list", _url("api:training-trainingplan-list"), VIEW, api=True),
    Route("api:training-trainingplan-list", _url("api:training-trainingplan-list"), MANAGE, api=True,
          method="post", data=lambda w: {"department": w.department.pk, "year": 2031, "title": "2031年培训计划"},
          ok=(201,)),
    Route("api:training-trainingplan-detail", _on("api:training-trainingplan-detail", _plan("draft")), VIEW,
          api=True),
    Route("api:training-trainingplan-detail", _on("api:training-trainingplan-detail", _plan("draft")), MANAGE,
          api=True, method="patch", data=lambda w: {"notes": "补充说明"}),
    Route("api:training-trainingplan-approve", _on("api:training-trainingplan-approve", draft_by_another),
          APPROVE, api=True, method="post"),
    Route("api:training-trainingplan-close", _on("api:training-trainingplan-close", _plan("approved")), MANAGE,
          api=True, method="post", data=lambda w: {"reason": "年度结束"}),
    Route("api:training-trainingplan-items", _on("api:training-trainingplan-items", _plan("draft")), MANAGE,
          api=True, method="post", ok=(201,),
          data=lambda w: {"topic": "服务礼仪", "hours": "2", "month": 5, "target_posts": [w.post.pk]}),
    Route("api:training-trainingsession-list", _url("api:training-trainingsession-list"), VIEW, api=True),
    Route("api:training-trainingsession-list", _url("api:training-trainingsession-list"), MANAGE, api=True,
          method="post", ok=(201,),
          data=lambda w: {"department": w.department.pk, "topic": "消防演练", "date": today().isoformat(),
                          "hours": "1.5"}),
    Route("api:training-trainingsession-detail", _on("api:training-trainingsession-detail", _session("held")),
          VIEW, api=True),
    Route("api:training-trainingsession-detail", _on("api:training-trainingsession-detail", _session()), MANAGE,
          api=True, method="patch", data=lambda w: {"place": "二楼培训室"}),
    Route("api:training-trainingsession-record", _on("api:training-trainingsession-record", _session()), MANAGE,
          api=True, method="post", data=record_body),
    Route("api:training-trainingsession-cancel", _on("api:training-trainingsession-cancel", _session()), MANAGE,
          api=True, method="post", data=lambda w: {"reason": "停电"}),
]

CASES = PAGE_CASES + API_CASES

test_matrix = matrix_tests(CASES)

