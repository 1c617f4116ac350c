"""The appraisal's steps and the cycles, through the services: the states, who may take each step, the refusals
of bad input (nothing changed), revisions, versioning, cycles without duplicates, reminders once a day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wuye.appraisals.choices import AppraisalState, CycleStatus, FormStatus, PeriodKind
from wuye.appraisals.models import Appraisal, Score
from wuye.appraisals.services import appraisals as services
from wuye.core.models import AuditEvent, Notification
from wuye.org.choices import StaffStatus
from wuye.org.tests.factories import PostFactory, StaffFactory, UserFactory

from .factories_appraisals import Q1, Q2, all_scores, items, make_appraisal, make_version

pytestmark = pytest.mark.django_db
S = AppraisalState


def snapshot(appraisal):
    appraisal.refresh_from_db()
    return (appraisal.state, appraisal.total, appraisal.grade,
            sorted(Score.objects.filter(appraisal=appraisal).values_list("item_id", "score", "comment")))


# --- create -----------------------------------------------------------------------------------------------------


def test_create_makes_one_score_row_per_item(world):
    version = make_version()
    appraisal = make_appraisal(world, version=version)
    assert appraisal.state == S.DRAFT and appraisal.revision == 0
    assert appraisal.scores.count() == 7 and not appraisal.scores.exclude(score=None).exists()
    assert AuditEvent.objects.filter(event_type="appraisal.create", object_id=str(appraisal.pk)).exists()


def test_an_appraiser_never_appraises_themselves(world):
    with pytest.raises(ValidationError) as exc:
        services.appraisal_create(actor=world.users["cs_manager"], appraisee=world.staff["agent"],
                                  appraiser=world.staff["agent"], form_version=make_version(),
                                  period_kind=PeriodKind.QUARTER, period_start=Q1[0], period_end=Q1[1])
    assert "appraiser" in exc.value.message_dict
    assert not Appraisal.objects.exists()


def test_a_period_overlapping_an_appraisal_on_the_same_form_is_refused(world):
    version = make_version()
    make_appraisal(world, version=version)
    newer = make_version(version.sections.first() and (("甲", "1", 2),), form=version.form, status=FormStatus.DRAFT)
    newer.status = FormStatus.ACTIVE
    version.status = FormStatus.RETIRED
    version.save()
    newer.save()
    with pytest.raises(ValidationError) as exc:  # another version of the same form: still the same form
        services.appraisal_create(actor=world.users["cs_manager"], appraisee=world.staff["agent"],
                                  appraiser=world.staff["cs_manager"], form_version=newer,
                                  period_kind=PeriodKind.MONTH, period_start=dt.date(2026, 3, 1),
                                  period_end=dt.date(2026, 3, 31))
    assert "period_start" in exc.value.message_dict and "2026-01-01" in exc.value.messages[0]
    assert Appraisal.objects.count() == 1
    # the next quarter, another person, or another form: fine
    make_appraisal(world, version=newer, period=Q2)
    make_appraisal(world, version=newer, appraisee="document_controller")
    make_appraisal(world, version=make_version())
    assert Appraisal.objects.count() == 4


def test_only_a_version_in_use_makes_new_appraisals(world):
    draft = make_version(status=FormStatus.DRAFT)
    with pytest.raises(ValidationError) as exc:
        make_appraisal(world, version=draft)
    assert "form_version" in exc.value.message_dict


def test_create_needs_the_permission(world):
    with pytest.raises(PermissionDenied):
        make_appraisal(world, creator="agent", appraisee="document_controller")


# --- the steps ----------------------------------------------------------------------------------------------------


def test_the_whole_way_to_final(world):
    appraisal = make_appraisal(world)
    manager, agent = world.users["cs_manager"], world.users["agent"]
    with pytest.raises(PermissionDenied):
        services.appraisal_start(actor=agent, appraisal=appraisal)
    appraisal = services.appraisal_start(actor=manager, appraisal=appraisal)
    assert appraisal.state == S.SCORING  # no cycle asking for a self-assessment
    rows = items(appraisal)
    scores = {item.pk: (5, "很好") for item in rows}
    scores[rows[-1].pk] = (3, "")
    appraisal = services.appraisal_score(actor=manager, appraisal=appraisal, scores=scores, comment="继续保持",
                                         appraised_on=dt.date(2026, 4, 3))
    assert appraisal.appraiser_comment == "继续保持" and appraisal.appraised_on == dt.date(2026, 4, 3)
    # 受命准备 5, 业务活动 5, 成果 (5+3)/2 = 4 → (5 + 5 + 4) / 3 = 4.67
    assert appraisal.total == Decimal("4.67") and appraisal.grade == "优秀"
    appraisal = services.appraisal_submit(actor=manager, appraisal=appraisal)
    assert appraisal.state == S.ACKNOWLEDGEMENT and appraisal.total == Decimal("4.67")
    assert Notification.objects.filter(recipient=agent, key=f"appraisal:{appraisal.pk}:acknowledge").exists()
    with pytest.raises(ValidationError):  # finalised only once acknowledged
        services.appraisal_finalise(actor=manager, appraisal=appraisal)
    with pytest.raises(PermissionDenied):
        services.appraisal_acknowledge(actor=manager, appraisal=appraisal)
    appraisal = services.appraisal_acknowledge(actor=agent, appraisal=appraisal, disagreement="第3项评分偏低")
    assert appraisal.acknowledged_at is not None and appraisal.disagreement == "第3项评分偏低"
    with pytest.raises(PermissionDenied):  # the appraisee never finalises
        services.appraisal_finalise(actor=agent, appraisal=appraisal)
    appraisal = services.appraisal_finalise(actor=manager, appraisal=appraisal)
    assert appraisal.state == S.FINAL and appraisal.finalised_at is not None
    events = set(AuditEvent.objects.filter(object_id=str(appraisal.pk), event_type__startswith="appraisal.")
                 .values_list("event_type", flat=True))
    assert {"appraisal.create", "appraisal.start", "appraisal.score", "appraisal.submit", "appraisal.acknowledge",
            "appraisal.finalise"} <= events


def test_only_the_appraiser_scores(world):
    appraisal = make_appraisal(world, state=S.SCORING)
    with pytest.raises(PermissionDenied):
        services.appraisal_score(actor=world.users["executive"], appraisal=appraisal,
                                 scores=all_scores(appraisal))
    with pytest.raises(PermissionDenied):
        services.appraisal_score(actor=world.users["agent"], appraisal=appraisal, scores=all_scores(appraisal))


def test_a_score_outside_the_scale_names_the_item_and_saves_nothing(world):
    appraisal = make_appraisal(world, state=S.SCORING)
    rows = items(appraisal)
    before = snapshot(appraisal)
    scores = {rows[0].pk: (4, "好"), rows[1].pk: (7, ""), rows[2].pk: ("abc", "")}
    with pytest.raises(ValidationError) as exc:
        services.appraisal_score(actor=world.users["cs_manager"], appraisal=appraisal, scores=scores,
                                 comment="不应保存")
    messages = exc.value.message_dict["scores"]
    assert len(messages) == 2 and str(rows[1]) in messages[0] and "7" in messages[0] and "5/4/3/2/1" in messages[0]
    assert snapshot(appraisal) == before and appraisal.appraiser_comment == ""
    with pytest.raises(ValidationError):  # an item of another form
        services.appraisal_score(actor=world.users["cs_manager"], appraisal=appraisal,
                                 scores={items(make_appraisal(world, appraisee="executive"))[0].pk: 4})


def test_submitting_with_unscored_items_lists_them(world):
    appraisal = make_appraisal(world, state=S.SCORING)
    rows = items(appraisal)
    services.appraisal_score(actor=world.users["cs_manager"], appraisal=appraisal,
                             scores={item.pk: 4 for item in rows[:-2]})
    with pytest.raises(ValidationError) as exc:
        services.appraisal_submit(actor=world.users["cs_manager"], appraisal=appraisal)
    message = exc.value.message_dict["scores"][0]
    assert rows[-2].text in message and rows[-1].text in message and rows[0].text not in message
    appraisal.refresh_from_db()
    assert appraisal.state == S.SCORING


def test_a_final_appraisal_is_read_only(world):
    appraisal = make_appraisal(world, state=S.FINAL)
    before = snapshot(appraisal)
    manager, agent = world.users["cs_manager"], world.users["agent"]
    for call in (
        lambda: services.appraisal_score(actor=manager, appraisal=appraisal, scores=all_scores(appraisal, 2)),
        lambda: services.appraisal_submit(actor=manager, appraisal=appraisal),
        lambda: services.appraisal_start(actor=manager, appraisal=appraisal),
        lambda: services.appraisal_acknowledge(actor=agent, appraisal=appraisal, disagreement="x"),
        lambda: services.appraisal_finalise(actor=manager, appraisal=appraisal),
        lambda: services.appraisal_self_assess(actor=agent, appraisal=appraisal, scores={}),
        lambda: services.appraisal_reassign(actor=manager, appraisal=appraisal, appraiser=world.staff["executive"]),
    ):
        with pytest.raises(ValidationError) as exc:
            call()
        assert "final" in str(exc.value).lower() or "定稿" in str(exc.value) or "只读" in str(exc.value)
    assert snapshot(appraisal) == before


def test_revise_keeps_both(world):
    final = make_appraisal(world, state=S.FINAL, score=3)
    manager = world.users["cs_manager"]
    with pytest.raises(ValidationError) as exc:
        services.appraisal_revise(actor=manager, appraisal=final, reason="  ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.appraisal_revise(actor=world.users["agent"], appraisal=final, reason="x")
    revision = services.appraisal_revise(actor=manager, appraisal=final, reason="第2项录入错误")
    final.refresh_from_db()
    assert final.state == S.SUPERSEDED and final.total == Decimal("3.00")
    assert revision.state == S.SCORING and revision.revision == 1 and revision.revises == final
    assert revision.revision_reason == "第2项录入错误"
    assert (revision.appraisee, revision.appraiser, revision.form_version, revision.period_start) == (
        final.appraisee, final.appraiser, final.form_version, final.period_start)
    assert sorted(revision.scores.values_list("item_id", "score")) == sorted(final.scores.values_list("item_id",
                                                                                                     "score"))
    services.appraisal_score(actor=manager, appraisal=revision, scores={items(revision)[0].pk: 5})
    assert Score.objects.get(appraisal=final, item=items(final)[0]).score == 3  # the old one untouched
    with pytest.raises(ValidationError):  # a superseded appraisal is not revised again
        services.appraisal_revise(actor=manager, appraisal=final, reason="again")


def test_versioning_keeps_old_appraisals_intact(world):
    version = make_version()
    old = make_appraisal(world, version=version, state=S.FINAL)
    version.status = FormStatus.RETIRED
    version.save()
    newer = make_version((("新栏目", "1", 2),), form=version.form)
    fresh = make_appraisal(world, version=newer, period=Q2)
    old.refresh_from_db()
    assert old.form_version == version and old.scores.count() == 7 and old.total == Decimal("4.00")
    assert fresh.scores.count() == 2
    # a revision of the old appraisal keeps the old (retired) version
    assert services.appraisal_revise(actor=world.users["cs_manager"], appraisal=old,
                                     reason="更正").form_version == version


def test_self_assessment_by_the_appraisee_only(world):
    version = make_version()
    run = services.cycle_open(actor=world.users["cs_manager"], name="2026年第一季度", form_version=version,
                              period_kind=PeriodKind.QUARTER, period_start=Q1[0], posts=[world.post],
                              self_assessment=True)
    appraisal = Appraisal.objects.get(cycle=run.cycle, appraisee=world.staff["agent"])
    assert appraisal.state == S.SELF_ASSESSMENT
    with pytest.raises(PermissionDenied):
        services.appraisal_self_assess(actor=world.users["cs_manager"], appraisal=appraisal, scores={})
    rows = items(appraisal)
    services.appraisal_self_assess(actor=world.users["agent"], appraisal=appraisal,
                                   scores={rows[0].pk: (5, "按时完成")})
    with pytest.raises(ValidationError):  # submitted only complete
        services.appraisal_self_assess(actor=world.users["agent"], appraisal=appraisal, scores={}, submit=True)
    appraisal = services.appraisal_self_assess(actor=world.users["agent"], appraisal=appraisal,
                                               scores={item.pk: 4 for item in rows[1:]}, submit=True)
    assert appraisal.state == S.SCORING
    row = Score.objects.get(appraisal=appraisal, item=rows[0])
    assert (row.self_score, row.self_comment, row.score) == (5, "按时完成", None)


def test_the_appraisers_manager_may_finalise(world):
    # a supervisor appraises an agent; the supervisor's post reports to the manager's post
    manager_post = PostFactory(department=world.department, name="客服经理", code="mgr")
    supervisor_post = PostFactory(department=world.department, name="客服主管", code="sup", reports_to=manager_post)
    world.post.reports_to = supervisor_post
    world.post.save()
    boss = StaffFactory(post=manager_post, user=UserFactory(roles=["agent"]))
    supervisor = StaffFactory(post=supervisor_post, user=UserFactory(roles=["agent"]))
    assert services.manager_of(world.staff["agent"]) == supervisor
    assert services.manager_of(supervisor) == boss
    version = make_version()
    appraisal = services.appraisal_create(actor=world.users["cs_manager"], appraisee=world.staff["agent"],
                                          appraiser=supervisor, form_version=version,
                                          period_kind=PeriodKind.QUARTER, period_start=Q1[0], period_end=Q1[1])
    services.appraisal_start(actor=supervisor.user, appraisal=appraisal)
    services.appraisal_score(actor=supervisor.user, appraisal=appraisal, scores=all_scores(appraisal))
    services.appraisal_submit(actor=supervisor.user, appraisal=appraisal)
    services.appraisal_acknowledge(actor=world.users["agent"], appraisal=appraisal)
    with pytest.raises(PermissionDenied):  # an agent who is not the appraiser's manager
        services.appraisal_finalise(actor=world.users["document_controller"], appraisal=appraisal)
    assert services.appraisal_finalise(actor=boss.user, appraisal=appraisal).state == S.FINAL


# --- cycles -------------------------------------------------------------------------------------------------------


def test_cycle_creates_one_appraisal_per_staff_member_and_never_twice(world):
    version = make_version()
    manager = world.users["cs_manager"]
    run = services.cycle_open(actor=manager, name="2026年第一季度客服专员测评", form_version=version,
                              period_kind=PeriodKind.QUARTER, period_start=Q1[0], posts=[world.post],
                              due_on=dt.date(2026, 4, 15))
    cycle = run.cycle
    assert cycle.period_end == Q1[1] and cycle.status == CycleStatus.OPEN
    # every staff member of the world holds the post; the cs_manager's own manager: nobody (the fallback is
    # themselves) -> skipped with the reason
    appraised = {a.appraisee for a in run.created}
    skipped = dict(run.skipped)
    assert appraised == {world.staff[r] for r in ("agent", "document_controller", "quality_auditor", "executive",
                                                  "admin")}
    assert set(skipped) == {world.staff["cs_manager"]} and skipped[world.staff["cs_manager"]]
    assert all(a.appraiser == world.staff["cs_manager"] and a.state == S.SCORING for a in run.created)
    assert all(a.scores.count() == 7 for a in run.created)
    count = Appraisal.objects.count()
    again = services.cycle_add_staff(actor=manager, cycle=cycle)
    assert again.created == [] and Appraisal.objects.count() == count
    # a second cycle over the same period and form: the overlap rule protects too
    second = services.cycle_open(actor=manager, name="重复", form_version=version, period_kind=PeriodKind.QUARTER,
                                 period_start=Q1[0], departments=[world.department])
    assert second.created == [] and Appraisal.objects.count() == count
    # a newcomer is added by running it again
    newcomer = StaffFactory(post=world.post, user=UserFactory(roles=["agent"]))
    added = services.cycle_add_staff(actor=manager, cycle=cycle)
    assert [a.appraisee for a in added.created] == [newcomer]


def test_cycle_skips_staff_who_left_or_whose_post_the_form_does_not_cover(world):
    version = make_version()
    other_post = PostFactory(department=world.department, name="前台", code="front")
    front = StaffFactory(post=other_post, user=UserFactory(roles=["agent"]))
    version.form.posts.set([world.post])
    StaffFactory(post=world.post, status=StaffStatus.LEFT, left_on=dt.date(2025, 12, 1))
    run = services.cycle_open(actor=world.users["cs_manager"], name="部门测评", form_version=version,
                              period_kind=PeriodKind.QUARTER, period_start=Q1[0], departments=[world.department])
    skipped = dict(run.skipped)
    assert front in skipped and front not in {a.appraisee for a in run.created}
    assert len(run.created) == 5


def test_cycle_refusals(world):
    manager = world.users["cs_manager"]
    with pytest.raises(ValidationError) as exc:
        services.cycle_open(actor=manager, name="", form_version=make_version(), period_kind=PeriodKind.QUARTER,
                            period_start=Q1[0])
    assert {"name", "posts"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        services.cycle_open(actor=manager, name="x", form_version=make_version(), period_kind=PeriodKind.CUSTOM,
                            period_start=Q1[1], period_end=Q1[0], posts=[world.post])
    assert "period_end" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.cycle_open(actor=world.users["agent"], name="x", form_version=make_version(),
                            period_kind=PeriodKind.QUARTER, period_start=Q1[0], posts=[world.post])


def test_remind_once_a_day_and_close(world):
    manager = world.users["cs_manager"]
    run = services.cycle_open(actor=manager, name="提醒", form_version=make_version(),
                              period_kind=PeriodKind.QUARTER, period_start=Q1[0], posts=[world.post])
    acknowledging = run.created[0]
    services.appraisal_score(actor=manager, appraisal=acknowledging, scores=all_scores(acknowledging))
    services.appraisal_submit(actor=manager, appraisal=acknowledging)
    sent = services.cycle_remind(actor=manager, cycle=run.cycle)
    assert sent == 2  # the appraiser (four to score) and the appraisee awaiting acknowledgement
    key = f"appraisalcycle:{run.cycle.pk}:remind:{timezone.localdate():%Y%m%d}"
    assert set(Notification.objects.filter(key=key).values_list("recipient_id", flat=True)) == {
        manager.pk, acknowledging.appraisee.user_id}
    assert services.cycle_remind(actor=manager, cycle=run.cycle) == 0
    cycle = services.cycle_close(actor=manager, cycle=run.cycle)
    assert cycle.status == CycleStatus.CLOSED
    for call in (lambda: services.cycle_close(actor=manager, cycle=cycle),
                 lambda: services.cycle_remind(actor=manager, cycle=cycle),
                 lambda: services.cycle_add_staff(actor=manager, cycle=cycle)):
        with pytest.raises(ValidationError):
            call()


def test_period_end_for():
    assert services.period_end_for(PeriodKind.QUARTER, dt.date(2026, 1, 1)) == dt.date(2026, 3, 31)
    assert services.period_end_for(PeriodKind.MONTH, dt.date(2026, 2, 1)) == dt.date(2026, 2, 28)
    assert services.period_end_for(PeriodKind.HALF_YEAR, dt.date(2026, 7, 1)) == dt.date(2026, 12, 31)
    assert services.period_end_for(PeriodKind.YEAR, dt.date(2026, 1, 1)) == dt.date(2026, 12, 31)
    assert services.period_end_for(PeriodKind.CUSTOM, dt.date(2026, 1, 1)) is None
