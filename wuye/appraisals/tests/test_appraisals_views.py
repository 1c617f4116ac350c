"""The appraisal and cycle pages: the sheet laid out like the paper form, scoring on the page (save, submit,
refusals re-shown with nothing saved), acknowledgement, finalisation and revision as steps, the evidence panel,
cycles opened from the page with their progress, reminders and closing; privacy per role on the list, the page,
the API and the Excel export."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from wuye.appraisals.choices import AppraisalState, CycleStatus, PeriodKind
from wuye.appraisals.models import Appraisal, AppraisalCycle, Score

from .factories_appraisals import Q1, Q2, all_scores, items, make_appraisal, make_version

pytestmark = pytest.mark.django_db
S = AppraisalState


def sheet_post(appraisal, value="4", do="save", **extra):
    data = {"do": do, "comment": "", "appraised_on": ""}
    for item in items(appraisal):
        data[f"score_{item.pk}"] = value
        data[f"comment_{item.pk}"] = ""
    data.update(extra)
    return data


def test_the_page_is_laid_out_like_the_paper_form(world, client_for):
    appraisal = make_appraisal(world, state=S.SCORING)
    response = client_for("cs_manager").get(reverse("appraisals:appraisal", args=[appraisal.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for css in ("header-appraisee", "header-appraiser", "header-date", "header-period", "appraisal-evidence",
                "section-subtotal", "appraisal-total", "sheet-submit"):
        assert css in html, css
    assert html.count('class="appraisal-item"') == 7
    assert html.count('type="radio"') == 7 * 5  # a radio per level of the scale, per item
    assert "受命准备" in html and "成果第2项" in html
    assert f'action="{reverse("appraisals:appraisal_step", args=[appraisal.pk, "score"])}"' in html


def test_score_save_then_submit_on_the_page(world, client_for):
    appraisal = make_appraisal(world, state=S.SCORING)
    client = client_for("cs_manager")
    url = reverse("appraisals:appraisal_step", args=[appraisal.pk, "score"])
    rows = items(appraisal)
    data = sheet_post(appraisal, comment="表现稳定")
    data[f"score_{rows[0].pk}"] = "5"
    data[f"comment_{rows[0].pk}"] = "主动"
    data[f"score_{rows[-1].pk}"] = ""
    response = client.post(url, data)
    assert response.status_code == 302
    appraisal.refresh_from_db()
    assert appraisal.state == S.SCORING and appraisal.appraiser_comment == "表现稳定"
    assert Score.objects.get(appraisal=appraisal, item=rows[0]).comment == "主动"
    # submitting with an item unscored: re-shown with the list, nothing changed
    response = client.post(url, {**data, "do": "submit", "comment": "改了"})
    assert response.status_code == 400 and rows[-1].text in response.content.decode()
    appraisal.refresh_from_db()
    assert appraisal.state == S.SCORING and appraisal.appraiser_comment == "表现稳定"
    # a value outside the scale: refused by the form, nothing saved
    response = client.post(url, {**data, f"score_{rows[-1].pk}": "9", "do": "submit"})
    assert response.status_code == 400
    assert Score.objects.get(appraisal=appraisal, item=rows[-1]).score is None
    response = client.post(url, {**data, f"score_{rows[-1].pk}": "3", "do": "submit"})
    assert response.status_code == 302
    appraisal.refresh_from_db()
    assert appraisal.state == S.ACKNOWLEDGEMENT and appraisal.total is not None and appraisal.grade


def test_acknowledge_finalise_revise_on_the_page(world, client_for):
    appraisal = make_appraisal(world, state=S.ACKNOWLEDGEMENT, acknowledged=False)
    agent = client_for("agent")
    page = agent.get(reverse("appraisals:appraisal", args=[appraisal.pk]))
    assert page.status_code == 200 and "step-acknowledge" in page.content.decode()
    response = agent.post(reverse("appraisals:appraisal_step", args=[appraisal.pk, "acknowledge"]),
                          {"disagreement": "沟通项评分偏低"})
    assert response.status_code == 302
    manager = client_for("cs_manager")
    assert "step-finalise" in manager.get(reverse("appraisals:appraisal", args=[appraisal.pk])).content.decode()
    assert agent.post(reverse("appraisals:appraisal_step", args=[appraisal.pk, "finalise"])).status_code == 403
    assert manager.post(reverse("appraisals:appraisal_step", args=[appraisal.pk, "finalise"])).status_code == 302
    appraisal.refresh_from_db()
    assert appraisal.state == S.FINAL and appraisal.disagreement == "沟通项评分偏低"
    html = agent.get(reverse("appraisals:appraisal", args=[appraisal.pk])).content.decode()
    assert "沟通项评分偏低" in html and 'type="radio"' not in html
    # the score step on a final appraisal: the page says why, nothing is saved
    response = manager.post(reverse("appraisals:appraisal_step", args=[appraisal.pk, "score"]),
                            sheet_post(appraisal, "1"))
    assert response.status_code in (400, 403)
    assert not Score.objects.filter(appraisal=appraisal, score=1).exists()
    url = reverse("appraisals:appraisal_step", args=[appraisal.pk, "revise"])
    assert manager.post(url, {"reason": ""}).status_code == 400
    response = manager.post(url, {"reason": "评分录入错误"})
    revision = Appraisal.objects.get(revises=appraisal)
    assert response.status_code == 302 and response["Location"] == revision.get_absolute_url()
    html = manager.get(revision.get_absolute_url()).content.decode()
    assert "评分录入错误" in html and "appraisal-revisions" in html


def test_self_assessment_on_the_page_shown_beside_the_appraisers_scores(world, client_for):
    client = client_for("cs_manager")
    response = client.post(reverse("appraisals:appraisalcycle_add"), {
        "name": "2026年第一季度", "form_version": make_version().pk, "period_kind": PeriodKind.QUARTER,
        "period_start": "2026-01-01", "period_end": "", "posts": [world.post.pk], "self_assessment": "on",
        "due_on": "2026-04-15"})
    assert response.status_code == 302, response.content.decode()[:2000]
    appraisal = Appraisal.objects.get(appraisee=world.staff["agent"])
    assert appraisal.state == S.SELF_ASSESSMENT and appraisal.period_end == Q1[1]
    agent = client_for("agent")
    page = agent.get(reverse("appraisals:appraisal", args=[appraisal.pk])).content.decode()
    assert 'type="radio"' in page
    response = agent.post(reverse("appraisals:appraisal_step", args=[appraisal.pk, "self_assess"]),
                          sheet_post(appraisal, "5", do="submit"))
    assert response.status_code == 302
    appraisal.refresh_from_db()
    assert appraisal.state == S.SCORING
    # now the agent no longer sees it (the appraiser is scoring); the appraiser sees the self-assessment beside
    assert agent.get(reverse("appraisals:appraisal", args=[appraisal.pk])).status_code == 404
    html = client.get(reverse("appraisals:appraisal", args=[appraisal.pk])).content.decode()
    assert "self-score" in html and "self-total" in html


def test_cycle_pages(world, client_for):
    client = client_for("cs_manager")
    form = client.get(reverse("appraisals:appraisalcycle_add"))
    assert form.status_code == 200
    response = client.post(reverse("appraisals:appraisalcycle_add"), {
        "name": "第二季度", "form_version": make_version().pk, "period_kind": PeriodKind.QUARTER,
        "period_start": Q2[0].isoformat(), "posts": [world.post.pk], "due_on": "2026-07-15"})
    cycle = AppraisalCycle.objects.get(name="第二季度")
    assert response.status_code == 302 and cycle.appraisals.count() == 5
    page = client.get(cycle.get_absolute_url()).content.decode()
    assert "cycle-progress" in page and "cycle-skipped" in page and "cycle-overdue" in page
    assert client.get(reverse("appraisals:appraisalcycle_list")).status_code == 200
    response = client.post(reverse("appraisals:appraisalcycle_step", args=[cycle.pk, "remind"]))
    assert response.status_code == 302
    response = client.post(reverse("appraisals:appraisalcycle_step", args=[cycle.pk, "add_staff"]))
    assert response.status_code == 302 and cycle.appraisals.count() == 5
    response = client.post(reverse("appraisals:appraisalcycle_step", args=[cycle.pk, "close"]))
    cycle.refresh_from_db()
    assert response.status_code == 302 and cycle.status == CycleStatus.CLOSED
    assert client.post(reverse("appraisals:appraisalcycle_step", args=[cycle.pk, "close"])).status_code == 400


def test_a_single_appraisal_from_the_page(world, client_for):
    client = client_for("executive")
    data = {"appraisee": world.staff["cs_manager"].pk, "appraiser": world.staff["executive"].pk,
            "form_version": make_version().pk, "period_kind": PeriodKind.HALF_YEAR, "period_start": "2026-01-01"}
    response = client.post(reverse("appraisals:appraisal_add"), data)
    assert response.status_code == 302
    appraisal = Appraisal.objects.get(appraisee=world.staff["cs_manager"])
    assert appraisal.period_end.isoformat() == "2026-06-30" and appraisal.state == S.DRAFT
    response = client.post(reverse("appraisals:appraisal_add"), {**data, "appraiser": world.staff["cs_manager"].pk})
    assert response.status_code == 400 and Appraisal.objects.count() == 1


# --- privacy per role --------------------------------------------------------------------------------------------


@pytest.fixture
def three(world):
    """a1: the agent's, being scored by the manager; a2: the agent's, awaiting acknowledgement (next quarter);
    a3: the document controller's, being scored by the quality auditor."""
    version = make_version()
    a1 = make_appraisal(world, version=version, state=S.SCORING)
    a2 = make_appraisal(world, version=version, period=Q2, state=S.ACKNOWLEDGEMENT, acknowledged=False)
    a3 = make_appraisal(world, version=version, appraisee="document_controller", appraiser="quality_auditor",
                        state=S.SCORING)
    return a1, a2, a3


# who sees which of the three (the resident holds no permission at all: 403)
SEES = {"agent": {1}, "cs_manager": {0, 1, 2}, "executive": {0, 1, 2}, "admin": {0, 1, 2},
        "quality_auditor": {2}, "document_controller": set()}


@pytest.mark.parametrize("role", [*SEES, "resident"])
def test_privacy_per_role(world, client_for, three, role):
    client, api = client_for(role), client_for(role, api=True)
    list_url = reverse("appraisals:appraisal_list")
    if role == "resident":
        assert client.get(list_url).status_code == 403
        assert api.get(reverse("api:appraisals-appraisal-list")).status_code == 403
        assert client.get(reverse("appraisals:appraisal", args=[three[0].pk])).status_code == 403
        return
    expected = {three[i].pk for i in SEES[role]}
    html = client.get(list_url).content.decode()
    assert {a.pk for a in three if f'href="/appraisals/{a.pk}/"' in html} == expected
    for appraisal in three:
        page = client.get(reverse("appraisals:appraisal", args=[appraisal.pk]))
        detail = api.get(reverse("api:appraisals-appraisal-detail", args=[appraisal.pk]))
        want = 200 if appraisal.pk in expected else 404
        assert (page.status_code, detail.status_code) == (want, want), appraisal
    body = api.get(reverse("api:appraisals-appraisal-list")).json()
    rows = body["results"] if isinstance(body, dict) else body
    assert {row["id"] for row in rows} == expected
    user = world.users[role]
    assert set(Score.objects.restrict(user, "view").values_list("appraisal_id", flat=True)) == expected
    assert set(Appraisal.objects.restrict(user, "change").values_list("pk", flat=True)) == expected
    export = client.get(list_url + "?export=xlsx")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content)), read_only=True).active
    assert sum(1 for row in sheet.iter_rows(min_row=2) if any(c.value for c in row)) == len(expected)


def test_list_page_queries_stay_constant(world, client_for, three, django_assert_max_num_queries):
    client = client_for("cs_manager")
    client.get(reverse("appraisals:appraisal_list"))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("appraisals:appraisal_list")).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(reverse("appraisals:appraisal", args=[three[0].pk])).status_code == 200


def test_list_views_filter(world, client_for, three):
    client = client_for("cs_manager")
    html = client.get(reverse("appraisals:appraisal_list") + "?view=to_make").content.decode()
    assert f'href="/appraisals/{three[0].pk}/"' in html and f'href="/appraisals/{three[2].pk}/"' not in html
    html = client_for("agent").get(reverse("appraisals:appraisal_list") + "?view=mine").content.decode()
    assert f'href="/appraisals/{three[1].pk}/"' in html


def test_scoring_steps_refused_to_others(world, client_for, three):
    a1 = three[0]
    url = reverse("appraisals:appraisal_step", args=[a1.pk, "score"])
    assert client_for("executive").post(url, sheet_post(a1)).status_code == 403  # sees it, is not the appraiser
    assert client_for("agent").post(url, sheet_post(a1)).status_code == 404  # does not see it yet
    assert not Score.objects.filter(appraisal=a1).exclude(score=None).exists()
    assert all_scores(a1)
