"""Services and selectors of the appraisal forms: creating a form, drafting a new version from the one in use,
editing only a draft (title, scale, bands, sections, items), publishing (the one before is retired); versioning
keeps old appraisals intact; every refusal changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wuye.appraisals.choices import DEFAULT_BANDS, DEFAULT_SCALE, FormStatus
from wuye.appraisals.models import AppraisalForm, FormItem, FormSection, FormVersion, Score
from wuye.appraisals.selectors.forms import active_version_for_post, form_outline, with_active_version
from wuye.appraisals.services import forms as services
from wuye.core.models import AuditEvent

from .factories_forms import active, appraisal_on, builtin, draft_of, new_form

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything the form services may write (rows and values), to show a refusal changed nothing."""
    return (
        list(AppraisalForm.objects.order_by("pk").values_list("pk", "code", "name")),
        sorted(AppraisalForm.posts.through.objects.values_list("appraisalform_id", "post_id")),
        list(FormVersion.objects.order_by("pk").values_list("pk", "form_id", "number", "status", "title", "scale",
                                                             "bands", "change_note", "published_at")),
        list(FormSection.objects.order_by("pk").values_list("pk", "version_id", "title", "weight", "sort_order")),
        list(FormItem.objects.order_by("pk").values_list("pk", "section_id", "number", "text")),
        AuditEvent.objects.count(),
    )


def refused(call, error=ValidationError, field=None):
    before = snapshot()
    with pytest.raises(error) as info:
        call()
    assert snapshot() == before
    if field is not None:
        assert field in info.value.message_dict, info.value
    return info.value


def texts(version):
    return [(s.title, s.weight, [(i.number, i.text) for i in s.item_list]) for s in form_outline(version)]


# --- creating a form -------------------------------------------------------------------------------------------


def test_create_makes_a_form_with_a_draft_version_1(world):
    form = services.appraisal_form_create(actor=world.users["cs_manager"], code="cleaning", name="保洁员测评表",
                                          posts=[world.post])
    version = form.versions.get()
    assert (version.number, version.status, version.title) == (1, FormStatus.DRAFT, "保洁员测评表")
    assert version.scale == DEFAULT_SCALE and version.bands == DEFAULT_BANDS
    assert list(form.posts.all()) == [world.post] and not form.is_builtin
    assert AuditEvent.objects.filter(event_type="appraisal_form.create", object_id=str(form.pk)).exists()
    other = services.appraisal_form_create(actor=world.users["admin"], code="x", name="名称", title="印在表上的标题")
    assert other.versions.get().title == "印在表上的标题"


def test_create_is_refused_for_readers_and_for_a_taken_code(world):
    refused(lambda: services.appraisal_form_create(actor=world.users["agent"], code="a", name="甲"),
            PermissionDenied)
    refused(lambda: services.appraisal_form_create(actor=world.users["executive"], code="a", name="甲"),
            PermissionDenied)
    refused(lambda: services.appraisal_form_create(actor=world.users["cs_manager"], code="cs-staff", name="甲"),
            field="code")
    refused(lambda: services.appraisal_form_create(actor=world.users["cs_manager"], code="b", name="  "),
            field="name")


def test_update_changes_name_and_posts_even_of_a_form_in_use(world):
    form = builtin()
    services.appraisal_form_update(actor=world.users["cs_manager"], form=form, name="客服人员测评表",
                                   posts=[world.post])
    form.refresh_from_db()
    assert form.name == "客服人员测评表" and list(form.posts.all()) == [world.post]
    assert active(form).title == "客户服务人员工作绩效测评标准"  # the version's content is untouched
    event = AuditEvent.objects.get(event_type="appraisal_form.update")
    assert event.data["fields"] == ["name", "posts"]
    refused(lambda: services.appraisal_form_update(actor=world.users["agent"], form=form, name="乙"),
            PermissionDenied)


# --- versions --------------------------------------------------------------------------------------------------


def test_a_new_draft_copies_the_version_in_use(world):
    form = builtin("cs-manager")
    v1 = active(form)
    v2 = services.form_version_draft(actor=world.users["cs_manager"], form=form, change_note="第二版")
    assert (v2.number, v2.status, v2.change_note, v2.title) == (2, FormStatus.DRAFT, "第二版", v1.title)
    assert v2.scale == v1.scale and v2.bands == v1.bands
    assert texts(v2) == texts(v1)
    assert not set(FormItem.objects.filter(section__version=v2).values_list("pk", flat=True)) & set(
        FormItem.objects.filter(section__version=v1).values_list("pk", flat=True))
    assert FormItem.objects.filter(section__version=v2).count() == 37


def test_one_draft_at_a_time(world):
    form = builtin()
    services.form_version_draft(actor=world.users["cs_manager"], form=form)
    error = refused(lambda: services.form_version_draft(actor=world.users["admin"], form=form))
    assert "2" in error.messages[0]
    refused(lambda: services.form_version_draft(actor=world.users["agent"], form=form), PermissionDenied)


def test_publish_retires_the_version_before(world):
    form = builtin()
    v1 = active(form)
    v2 = draft_of(world, form)
    services.form_version_publish(actor=world.users["cs_manager"], version=v2)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (FormStatus.RETIRED, FormStatus.ACTIVE)
    assert v2.published_at is not None and form.current_version == v2
    event = AuditEvent.objects.get(event_type="form_version.publish")
    assert event.data["retired"] == [v1.pk]
    # a third version then retires the second
    v3 = draft_of(world, form)
    services.form_version_publish(actor=world.users["admin"], version=v3)
    assert list(form.versions.order_by("number").values_list("status", flat=True)) == [
        FormStatus.RETIRED, FormStatus.RETIRED, FormStatus.ACTIVE]


def test_a_version_in_use_is_never_changed(world):
    user = world.users["cs_manager"]
    form = builtin()
    v1 = active(form)
    section = form_outline(v1)[0]
    item = section.item_list[0]
    for version in (v1,):
        refused(lambda v=version: services.form_version_update(actor=user, version=v, title="改"))
        refused(lambda v=version: services.form_version_publish(actor=user, version=v))
        refused(lambda v=version: services.form_section_add(actor=user, version=v, title="新增"))
    refused(lambda: services.form_section_update(actor=user, section=section, weight=2))
    refused(lambda: services.form_item_add(actor=user, section=section, text="新项"))
    refused(lambda: services.form_item_update(actor=user, item=item, text="改过的"))
    # retired: the same
    services.form_version_publish(actor=user, version=draft_of(world, form))
    v1.refresh_from_db()
    assert v1.status == FormStatus.RETIRED
    refused(lambda: services.form_version_update(actor=user, version=v1, title="改"))
    refused(lambda: services.form_item_update(actor=user, item=item, text="改过的"))


def test_a_draft_with_appraisals_is_never_changed(world):
    form = new_form(world)
    draft = form.versions.get()
    appraisal_on(world, draft)
    user = world.users["cs_manager"]
    section = form_outline(draft)[0]
    refused(lambda: services.form_version_update(actor=user, version=draft, title="改"))
    refused(lambda: services.form_item_add(actor=user, section=section, text="新项"))
    refused(lambda: services.form_version_publish(actor=user, version=draft))
    assert services.version_in_use(draft)


def test_versioning_keeps_old_appraisals_intact(world):
    """An appraisal with scores on version 1; version 2 changes an item's text and a section's weight and is
    published: the appraisal still points to version 1, whose items, weights and scores are unchanged."""
    user = world.users["cs_manager"]
    form = builtin()
    v1 = active(form)
    before = texts(v1)
    appraisal = appraisal_on(world, v1, score=4)
    scores_before = sorted(Score.objects.filter(appraisal=appraisal).values_list("item_id", "item__text", "score"))
    v2 = draft_of(world, form)
    section = form_outline(v2)[0]
    services.form_item_update(actor=user, item=section.item_list[0], text="正确掌握客户服务的内容。")
    services.form_section_update(actor=user, section=section, weight=Decimal("2"))
    services.form_version_publish(actor=user, version=v2)

    appraisal.refresh_from_db()
    assert appraisal.form_version_id == v1.pk
    assert texts(v1) == before
    assert sorted(Score.objects.filter(appraisal=appraisal).values_list("item_id", "item__text", "score")) \
        == scores_before
    assert all(item_id in {i.pk for s in form_outline(v1) for i in s.item_list} for item_id, *_rest in scores_before)
    new = form_outline(v2)[0]
    assert new.weight == 2 and new.item_list[0].text == "正确掌握客户服务的内容。"
    assert form_outline(v1)[0].item_list[0].text == "正确掌握客户服务的内容,并制定相应的工作计划。"
    assert active(form) == v2


# --- scale and bands -----------------------------------------------------------------------------------------


def test_update_a_draft_title_scale_and_bands(world):
    draft = draft_of(world, builtin())
    scale = [{"value": "1", "label": "差"}, {"value": 3, "label": "好"}, {"value": 2, "label": "中"}]
    services.form_version_update(actor=world.users["cs_manager"], version=draft, title="新标题", scale=scale,
                                 bands=[{"min": "2.5", "grade": "好"}, {"min": 0, "grade": "差"},
                                        {"min": 1.75, "grade": "中"}], change_note="三级量表")
    draft.refresh_from_db()
    assert draft.title == "新标题" and draft.change_note == "三级量表"
    assert draft.scale == [{"value": 3, "label": "好"}, {"value": 2, "label": "中"}, {"value": 1, "label": "差"}]
    assert draft.bands == [{"min": 2.5, "grade": "好"}, {"min": 1.75, "grade": "中"}, {"min": 0, "grade": "差"}]
    assert (draft.scale_min, draft.scale_max) == (1, 3)


@pytest.mark.parametrize("scale", [
    [{"value": 5, "label": "优秀"}],                                   # one level
    [{"value": 5, "label": "优秀"}, {"value": 5, "label": "良好"}],    # same value
    [{"value": 5, "label": "优秀"}, {"value": 4, "label": "优秀"}],    # same label
    [{"value": 5, "label": "优秀"}, {"value": 4, "label": ""}],        # no label
    [{"value": 4.5, "label": "优秀"}, {"value": 4, "label": "良好"}],  # not whole
    [{"value": -1, "label": "差"}, {"value": 4, "label": "良好"}],     # negative
    [{"value": True, "label": "差"}, {"value": 4, "label": "良好"}],
    "5 优秀",
])
def test_a_bad_scale_is_refused(world, scale):
    draft = draft_of(world, builtin())
    refused(lambda: services.form_version_update(actor=world.users["cs_manager"], version=draft, scale=scale),
            field="scale")


@pytest.mark.parametrize("bands", [
    [],
    [{"min": 4.5, "grade": "优秀"}, {"min": 4.5, "grade": "良好"}, {"min": 0, "grade": "差"}],  # same minimum
    [{"min": 4.5, "grade": "优秀"}, {"min": 3, "grade": "优秀"}, {"min": 0, "grade": "差"}],    # same grade
    [{"min": 6, "grade": "优秀"}, {"min": 0, "grade": "差"}],                                  # above the scale
    [{"min": 4, "grade": "优秀"}, {"min": 2, "grade": "差"}],                  # the lowest misses the scale's 1
    [{"min": 4, "grade": "优秀"}, {"min": 1, "grade": "中"}, {"min": 0, "grade": "差"}],      # an empty band
    [{"min": "abc", "grade": "优秀"}, {"min": 0, "grade": "差"}],
    [{"min": -1, "grade": "差"}],
    [{"min": 0, "grade": ""}],
])
def test_bad_bands_are_refused(world, bands):
    draft = draft_of(world, builtin())
    refused(lambda: services.form_version_update(actor=world.users["cs_manager"], version=draft, bands=bands),
            field="bands")


def test_a_new_scale_must_still_fit_the_bands(world):
    draft = draft_of(world, builtin())
    three = [{"value": 3, "label": "好"}, {"value": 2, "label": "中"}, {"value": 1, "label": "差"}]
    # the default bands start at 4.5, above the new scale's best value
    refused(lambda: services.form_version_update(actor=world.users["cs_manager"], version=draft, scale=three),
            field="bands")


# --- sections and items --------------------------------------------------------------------------------------


def test_sections_are_added_in_order_and_weights_are_not_negative(world):
    user = world.users["cs_manager"]
    form = new_form(world)
    draft = form.versions.get()
    third = services.form_section_add(actor=user, version=draft, title="第三部分", weight="0.5")
    assert [s.title for s in form_outline(draft)] == ["服务态度", "工作质量", "第三部分"]
    assert third.weight == Decimal("0.5") and third.sort_order == 3
    refused(lambda: services.form_section_add(actor=user, version=draft, title="负权重", weight=-1), field="weight")
    refused(lambda: services.form_section_update(actor=user, section=third, weight="x"), field="weight")
    refused(lambda: services.form_section_update(actor=user, section=third, title=""), field="title")
    refused(lambda: services.form_section_add(actor=world.users["agent"], version=draft, title="甲"),
            PermissionDenied)
    services.form_section_update(actor=user, section=third, title="其他", sort_order=0)
    assert [s.title for s in form_outline(draft)] == ["其他", "服务态度", "工作质量"]


def test_items_stay_numbered_without_gaps(world):
    user = world.users["cs_manager"]
    form = new_form(world, sections=(("甲", ("一", "二", "三")),))
    section = form_outline(form.versions.get())[0]
    first = services.form_item_add(actor=user, section=section, text="新的第一项", number=1)
    assert first.number == 1
    numbered = lambda: [(i.number, i.text) for i in form_outline(form.versions.get())[0].item_list]  # noqa: E731
    assert numbered() == [(1, "新的第一项"), (2, "一"), (3, "二"), (4, "三")]
    services.form_item_update(actor=user, item=first, number=4, text="移到最后")
    assert numbered() == [(1, "一"), (2, "二"), (3, "三"), (4, "移到最后")]
    services.form_item_add(actor=user, section=section, text="末项")
    assert numbered()[-1] == (5, "末项")
    refused(lambda: services.form_item_add(actor=user, section=section, text="跳号", number=7), field="number")
    refused(lambda: services.form_item_add(actor=user, section=section, text="零号", number=0), field="number")
    refused(lambda: services.form_item_update(actor=user, item=first, number=6), field="number")
    refused(lambda: services.form_item_add(actor=user, section=section, text="  "), field="text")
    refused(lambda: services.form_item_update(actor=world.users["agent"], item=first, text="甲"), PermissionDenied)


def test_publish_needs_sections_items_and_a_weight(world):
    user = world.users["cs_manager"]
    empty = services.appraisal_form_create(actor=user, code="empty", name="空表").versions.get()
    refused(lambda: services.form_version_publish(actor=user, version=empty))
    services.form_section_add(actor=user, version=empty, title="无项目")
    refused(lambda: services.form_version_publish(actor=user, version=empty))

    zero = new_form(world, code="zero").versions.get()
    for section in form_outline(zero):
        services.form_section_update(actor=user, section=section, weight=0)
    refused(lambda: services.form_version_publish(actor=user, version=zero))
    services.form_section_update(actor=user, section=form_outline(zero)[0], weight=1)
    services.form_version_publish(actor=user, version=zero)
    zero.refresh_from_db()
    assert zero.status == FormStatus.ACTIVE
    second = draft_of(world, zero.form)
    refused(lambda: services.form_version_publish(actor=world.users["agent"], version=second), PermissionDenied)


# --- selectors -------------------------------------------------------------------------------------------------


def test_active_version_for_post(world):
    assert active_version_for_post(world.post) is None
    assert active_version_for_post(None) is None
    form = builtin()
    services.appraisal_form_update(actor=world.users["cs_manager"], form=form, posts=[world.post])
    assert active_version_for_post(world.post) == active(form)
    assert active_version_for_post(world.post.pk) == active(form)
    v2 = draft_of(world, form)
    assert active_version_for_post(world.post).number == 1  # a draft is not in use
    services.form_version_publish(actor=world.users["cs_manager"], version=v2)
    assert active_version_for_post(world.post) == v2


def test_form_outline_reads_in_two_queries(world, django_assert_num_queries):
    version = active(builtin("cs-manager"))
    with django_assert_num_queries(2):
        sections = form_outline(version)
        counts = [len(s.item_list) for s in sections] + [s.items.count() for s in sections]
    assert counts == [7, 9, 11, 10] * 2


def test_with_active_version_annotates_the_list(world):
    new_form(world)
    rows = {f.code: (f.active_number, f.active_title) for f in with_active_version(AppraisalForm.objects.all())}
    assert rows["cs-staff"] == (1, "客户服务人员工作绩效测评标准")
    assert rows["test-form"] == (None, None)
