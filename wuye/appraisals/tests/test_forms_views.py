"""Pages of the appraisal forms: the list, the form laid out like the paper form, a version's page, the steps
"new version" and "publish", the edit pages of a draft; a version in use is never edited (403), a refusal re-shows
the form (400) and changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wuye.appraisals.choices import FormStatus
from wuye.appraisals.models import AppraisalForm, FormVersion
from wuye.appraisals.selectors.forms import form_outline

from .factories_forms import active, builtin, draft_of
from .test_forms_services import snapshot
from .test_forms_standard import parse_standard

pytestmark = pytest.mark.django_db


def test_list_shows_the_builtin_forms_and_filters(world, client_for):
    client = client_for("agent")
    page = client.get(reverse("appraisals:appraisalform_list")).content.decode()
    assert "客户服务人员工作绩效测评标准" in page and "客户服务部经理绩效测评标准" in page
    page = client.get(reverse("appraisals:appraisalform_list"), {"q": "cs-manager"}).content.decode()
    assert "客户服务部经理绩效测评标准" in page and "客户服务人员工作绩效测评标准" not in page


def test_list_exports_to_excel(world, client_for):
    response = client_for("admin").get(reverse("appraisals:appraisalform_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_form_page_lays_out_the_version_in_use_like_the_paper_form(world, client_for):
    form = builtin()
    page = client_for("agent").get(form.get_absolute_url()).content.decode()
    assert "paper-header" in page and page.count("paper-blank") == 4  # 被测评人 / 测评人 / 测评日期 / 测评时段
    expected = parse_standard()["客户服务人员工作绩效测评标准"]
    for title, items in expected["sections"]:
        assert f'data-section="{title}"' in page
        for _number, text in items:
            assert text in page
    assert page.count('class="paper-item"') == 22
    for label in ("优秀", "良好", "合格", "待改进", "不合格"):
        assert label in page
    # a reader sees no edit links
    assert "action-new-version" not in page and "action-edit" not in page and "item-edit" not in page


def test_a_keeper_gets_the_new_version_step_and_then_edits_the_draft(world, client_for):
    client = client_for("cs_manager")
    form = builtin()
    page = client.get(form.get_absolute_url()).content.decode()
    assert "action-new-version" in page and "item-edit" not in page  # the version in use is not editable
    url = reverse("appraisals:formversion_step", args=[active(form).pk, "draft"])
    response = client.post(url, {"change_note": "修订第一项"})
    draft = form.versions.get(status=FormStatus.DRAFT)
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    assert draft.change_note == "修订第一项"
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "step-publish" in page and "item-edit" in page and "section-edit" in page and "item-add" in page
    # a second draft: the step says why not, and a post changes nothing
    assert "step-notice" in client.get(url).content.decode()
    before = snapshot()
    assert client.post(url, {"change_note": ""}).status_code == 400
    assert snapshot() == before


def test_edit_a_draft_title_scale_and_bands_as_lines(world, client_for):
    client = client_for("admin")
    draft = draft_of(world, builtin())
    url = reverse("appraisals:formversion_edit", args=[draft.pk])
    page = client.get(url).content.decode()
    assert "5 优秀" in page and "4.5 优秀" in page
    response = client.post(url, {"title": "三级量表测评", "scale": "3 好\n2：中\n\n1, 差",
                                 "bands": "2.5 好\n1.5 中\n0 差", "change_note": ""})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "三级量表测评"
    assert draft.scale == [{"value": 3, "label": "好"}, {"value": 2, "label": "中"}, {"value": 1, "label": "差"}]
    assert draft.bands == [{"min": 2.5, "grade": "好"}, {"min": 1.5, "grade": "中"}, {"min": 0, "grade": "差"}]


@pytest.mark.parametrize(("scale", "bands", "field"), [
    ("优秀", "4.5 优秀\n0 差", "scale"),                                  # no value
    ("5 优秀", "4.5 优秀\n0 差", "scale"),                                # one level (the service)
    ("5.5 优秀\n4 良好", "4 优秀\n0 差", "scale"),                        # not whole
    ("5 优秀\n4 良好\n3 合格\n2 待改进\n1 不合格", "4.5 优秀\n2 合格", "bands"),  # the lowest misses 1
])
def test_a_bad_scale_or_bands_is_shown_and_nothing_changes(world, client_for, scale, bands, field):
    client = client_for("cs_manager")
    draft = draft_of(world, builtin())
    before = snapshot()
    response = client.post(reverse("appraisals:formversion_edit", args=[draft.pk]),
                           {"title": "标题", "scale": scale, "bands": bands, "change_note": ""})
    assert response.status_code == 400
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert snapshot() == before


def test_a_version_in_use_has_no_edit_pages(world, client_for):
    client = client_for("cs_manager")
    version = active(builtin())
    section = form_outline(version)[0]
    before = snapshot()
    for url in (reverse("appraisals:formversion_edit", args=[version.pk]),
                f"{reverse('appraisals:formsection_add')}?version={version.pk}",
                reverse("appraisals:formsection_edit", args=[section.pk]),
                f"{reverse('appraisals:formitem_add')}?section={section.pk}",
                reverse("appraisals:formitem_edit", args=[section.item_list[0].pk])):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"title": "改", "text": "改", "weight": "1"}).status_code == 403, url
    assert snapshot() == before
    # publishing it again: the step says why not and a post is refused
    url = reverse("appraisals:formversion_step", args=[version.pk, "publish"])
    assert "step-notice" in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 400
    assert snapshot() == before


def test_sections_and_items_of_a_draft(world, client_for):
    client = client_for("cs_manager")
    draft = draft_of(world, builtin())
    response = client.post(f"{reverse('appraisals:formsection_add')}?version={draft.pk}",
                           {"title": "服务创新", "weight": "0.5", "sort_order": ""})
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    section = draft.sections.get(title="服务创新")
    for text in ("提出改进建议。", "参与服务创新。"):
        client.post(f"{reverse('appraisals:formitem_add')}?section={section.pk}", {"number": "", "text": text})
    client.post(f"{reverse('appraisals:formitem_add')}?section={section.pk}", {"number": "1", "text": "首项"})
    assert [(i.number, i.text) for i in form_outline(draft)[-1].item_list] == [
        (1, "首项"), (2, "提出改进建议。"), (3, "参与服务创新。")]
    item = section.items.get(number=3)
    response = client.post(reverse("appraisals:formitem_edit", args=[item.pk]), {"number": "9", "text": "改"})
    assert response.status_code == 400 and response.context["form"].errors.get("number")
    response = client.post(reverse("appraisals:formsection_edit", args=[section.pk]),
                           {"title": "服务创新", "weight": "-1", "sort_order": "4"})
    assert response.status_code == 400
    assert client.get(f"{reverse('appraisals:formitem_add')}?section=999999").status_code == 404


def test_publish_step_puts_the_draft_in_use(world, client_for):
    client = client_for("cs_manager")
    form = builtin("cs-manager")
    v1, draft = active(form), draft_of(world, form)
    response = client.post(reverse("appraisals:formversion_step", args=[draft.pk, "publish"]), {})
    assert response.status_code == 302
    assert FormVersion.objects.get(pk=draft.pk).status == FormStatus.ACTIVE
    assert FormVersion.objects.get(pk=v1.pk).status == FormStatus.RETIRED
    page = client.get(form.get_absolute_url()).content.decode()
    assert "version-retired" in page and "version-active" in page


def test_a_new_form_through_the_pages(world, client_for):
    client = client_for("cs_manager")
    response = client.post(reverse("appraisals:appraisalform_add"),
                           {"code": "cleaner", "name": "保洁员测评表", "posts": [world.post.pk], "title": ""})
    assert response.status_code == 302
    form = AppraisalForm.objects.get(code="cleaner")
    assert form.versions.get().status == FormStatus.DRAFT and list(form.posts.all()) == [world.post]
    page = client.get(form.get_absolute_url()).content.decode()
    assert "action-draft" in page and "paper-empty" in page
    # the code is taken: shown on the field, nothing created
    before = snapshot()
    response = client.post(reverse("appraisals:appraisalform_add"), {"code": "cleaner", "name": "另一个"})
    assert response.status_code == 400 and response.context["form"].errors.get("code")
    assert snapshot() == before
