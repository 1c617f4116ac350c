"""The issue's required test: the two built-in forms match the customer's standard (``docs/standard/
standard.zh-Hans.txt``) section by section and item by item: titles, counts, numbers and texts, byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wuye.appraisals.choices import DEFAULT_BANDS, DEFAULT_SCALE, FormStatus
from wuye.appraisals.models import AppraisalForm, FormVersion
from wuye.appraisals.selectors.forms import form_outline

STANDARD = Path(__file__).resolve().parents[3] / "docs" / "standard" / "standard.zh-Hans.txt"
ITEM = re.compile(r"^(\d+)\.(.+)$")


def parse_standard() -> dict[str, dict]:
    """The forms of the standard's second and third parts ("篇2", "篇3"): their title (the first line naming a
    测评标准 after the part's heading) and sections (``*title``) with their items (``N.text``), in file order."""
    forms, current = {}, None
    for raw in STANDARD.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("篇"):
            current = None
            continue
        if current is None and "测评标准" in line and not line.startswith("*"):
            current = forms.setdefault(line, {"title": line, "sections": []})
            continue
        if current is None:
            continue
        if line.startswith("*"):
            current["sections"].append((line[1:], []))
            continue
        match = ITEM.match(line)
        if match and current["sections"]:
            current["sections"][-1][1].append((int(match.group(1)), match.group(2)))
    return forms


def test_the_file_holds_the_two_forms_with_the_counts_the_issue_names():
    forms = parse_standard()
    assert {title: [(section, len(items)) for section, items in form["sections"]] for title, form in forms.items()} \
        == {
            "客户服务人员工作绩效测评标准": [("受命准备", 10), ("业务活动", 6), ("成果", 6)],
            "客户服务部经理绩效测评标准": [("业务工作", 7), ("管理监督", 9), ("指导协调", 11), ("审查报告", 10)],
        }


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "title"), [("cs-staff", "客户服务人员工作绩效测评标准"),
                                              ("cs-manager", "客户服务部经理绩效测评标准")])
def test_builtin_form_matches_the_standard_item_by_item(code, title):
    expected = parse_standard()[title]
    form = AppraisalForm.objects.get(code=code)
    assert form.name == title and form.is_builtin
    assert list(form.posts.all()) == []  # the company assigns the posts
    version = form.versions.get()
    assert (version.number, version.status, version.title) == (1, FormStatus.ACTIVE, title)
    assert version.published_at is not None
    assert version.scale == DEFAULT_SCALE and version.bands == DEFAULT_BANDS
    sections = form_outline(version)
    assert [s.title for s in sections] == [t for t, _items in expected["sections"]]
    for section, (section_title, items) in zip(sections, expected["sections"], strict=True):
        assert section.weight == 1, section_title  # equal weights
        assert len(section.item_list) == len(items), section_title
        for item, (number, text) in zip(section.item_list, items, strict=True):
            assert item.number == number, (section_title, number)
            assert item.text.encode("utf-8") == text.encode("utf-8"), (section_title, number)
        assert [i.number for i in section.item_list] == list(range(1, len(items) + 1))


@pytest.mark.django_db
def test_the_manager_form_ends_with_the_files_last_item():
    """The file ends without a newline, on 审查报告 item 10."""
    last = STANDARD.read_text(encoding="utf-8").rstrip().splitlines()[-1]
    version = AppraisalForm.objects.get(code="cs-manager").versions.get()
    item = form_outline(version)[-1].item_list[-1]
    assert f"{item.number}.{item.text}" == last


@pytest.mark.django_db
def test_loading_again_changes_nothing():
    import importlib

    from django.apps import apps

    before = (AppraisalForm.objects.count(), FormVersion.objects.count())
    form = AppraisalForm.objects.get(code="cs-staff")
    AppraisalForm.objects.filter(pk=form.pk).update(name="公司改过的名称")
    importlib.import_module("wuye.appraisals.migrations.0002_builtin_forms").forwards(apps, None)
    assert (AppraisalForm.objects.count(), FormVersion.objects.count()) == before
    assert AppraisalForm.objects.get(code="cs-staff").name == "公司改过的名称"


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_the_builtin_forms_back():
    """Transactional tests flush the database; ``apps.ensure_defaults`` (post_migrate) loads the forms again."""
    from django.core.management import call_command

    call_command("flush", verbosity=0, interactive=False)
    assert set(AppraisalForm.objects.values_list("code", flat=True)) >= {"cs-staff", "cs-manager"}
