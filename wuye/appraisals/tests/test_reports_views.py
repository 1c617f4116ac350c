"""The report pages: a cycle's results, its Excel (opened with openpyxl), a person's history, the department
comparison, and the PDF of a filled form (read back with pdftotext). Numbers by hand as in
``test_reports_selectors``."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from wuye.appraisals.choices import AppraisalState
from wuye.appraisals.tests.factories_reports import Q1, Q2, department, make_appraisal, make_cycle, make_version, staff
from wuye.core.models import AuditEvent
from wuye.core.tests.test_static import assert_only_local_assets

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()


@pytest.fixture
def data(world):
    version = make_version()
    cycle = make_cycle(version)
    group = department(world, "客服一组", parent=world.department)
    first = make_appraisal(world, version=version, cycle=cycle, appraisee=staff(world, "孙一"),
                           scores=[[5, 5, 4], [5, 4]], comments={(0, 2): "回访记录偶有遗漏"},
                           disagreement="第3项的评分偏低，回访记录已补齐。", appraiser_comment="整体表现优秀。")
    second = make_appraisal(world, version=version, cycle=cycle, appraisee=staff(world, "钱二"),
                            state=AppraisalState.ACKNOWLEDGEMENT, scores=[[3, 3, 3], [4, 4]])
    third = make_appraisal(world, version=version, cycle=cycle, appraisee=staff(world, "郑七", group),
                           scores=[[5, 5, 5], [5, 5]])
    open_one = make_appraisal(world, version=version, cycle=cycle, appraisee=staff(world, "李四"),
                              state=AppraisalState.SCORING)
    agent_q1 = make_appraisal(world, version=version, appraisee=world.staff["agent"], period=Q1,
                              scores=[[3, 3, 3], [3, 3]])
    agent_q2 = make_appraisal(world, version=version, appraisee=world.staff["agent"], period=Q2,
                              scores=[[4, 4, 4], [3, 3]])
    return {"version": version, "cycle": cycle, "first": first, "second": second, "third": third,
            "open": open_one, "agent_q1": agent_q1, "agent_q2": agent_q2}


def test_cycle_results_page(data, client_for):
    response = client_for("cs_manager").get(reverse("appraisals:cycle_results", args=[data["cycle"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    ranking = html[html.index('class="table table-sm table-striped mb-0 ranking"'):]
    assert ranking.index("郑七") < ranking.index("孙一") < ranking.index("钱二")
    assert "李四" not in ranking  # no result yet
    assert re.search(r'data-grade="优秀"><td>优秀</td><td class="text-end">2<', html)
    chart = json.loads(re.search(r'<script id="results-chart-data" type="application/json">(.*?)</script>', html,
                                 re.S).group(1))
    assert chart["grades"]["counts"] == [2, 1, 0, 0, 0]
    # A: (14 + 9 + 15) / 9 = 4.22; B: (9 + 8 + 10) / 6 = 4.50
    assert chart["sections"] == {"labels": ["受命准备", "业务活动"], "averages": [4.22, 4.5]}
    assert "/static/vendor/echarts/echarts.min.js" in html
    assert_only_local_assets(html)
    assert reverse("appraisals:cycle_excel", args=[data["cycle"].pk]) in html


def test_cycle_excel(world, data, client_for):
    response = client_for("cs_manager").get(reverse("appraisals:cycle_excel", args=[data["cycle"].pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows[0]) == 12 and rows[0][8:10] == ("受命准备", "业务活动")
    body = {r[0]: r for r in rows[1:]}
    assert set(body) == {"孙一", "钱二", "郑七", "李四"}
    assert body["孙一"][8:11] == (4.67, 4.5, 4.56)  # numbers, not text
    assert body["孙一"][11] == "优秀" and body["孙一"][4] == world.staff["cs_manager"].name
    assert body["郑七"][2] == "客服一组"
    event = AuditEvent.objects.get(event_type="report.export", actor=world.users["cs_manager"])
    assert event.data["report"] == "appraisal_cycle" and event.data["rows"] == 4
    assert event.object_id == str(data["cycle"].pk)


def test_staff_history_page(world, data, client_for):
    url = reverse("appraisals:staff_history", args=[world.staff["agent"].pk])
    html = client_for("agent").get(url).content.decode()  # their own
    assert "3.00" in html and "3.33" in html and "trend-up" in html
    chart = json.loads(re.search(r'<script id="history-chart-data" type="application/json">(.*?)</script>', html,
                                 re.S).group(1))
    assert chart["totals"] == [3.0, 3.33]
    assert client_for("cs_manager").get(url).status_code == 200
    # someone who may see none of the agent's appraisals: 404
    assert client_for("document_controller").get(url).status_code == 404
    # another person's history: 404 for the agent
    other = reverse("appraisals:staff_history", args=[data["first"].appraisee_id])
    assert client_for("agent").get(other).status_code == 404


def test_own_history_without_appraisals(world, client_for):
    response = client_for("quality_auditor").get(
        reverse("appraisals:staff_history", args=[world.staff["quality_auditor"].pk]))
    assert response.status_code == 200 and 'id="history-chart"' not in response.content.decode()


def test_department_comparison_page(world, data, client_for):
    client = client_for("cs_manager")
    html = client.get(reverse("appraisals:department_comparison") + f"?cycle={data['cycle'].pk}").content.decode()
    table = html[html.index('class="table table-sm table-striped mb-0 comparison"'):]
    assert table.index("客服一组") < table.index("客户服务部")
    # 客户服务部: (4.56 + 3.67) / 2 = 4.115 -> 4.12
    assert re.search(rf'data-department="{world.department.pk}">.*?class="text-end fw-semibold average">4.12<',
                     table, re.S)
    by_dates = client.get(reverse("appraisals:department_comparison") + "?from=2025-04-01&to=2025-06-30")
    assert by_dates.status_code == 200
    assert re.search(rf'data-department="{world.department.pk}">.*?average">3.33<', by_dates.content.decode(),
                     re.S)
    bad = client.get(reverse("appraisals:department_comparison") + "?from=2025-06-30&to=2025-04-01")
    assert bad.status_code == 400 and "comparison-errors" in bad.content.decode()
    assert client.get(reverse("appraisals:department_comparison")).status_code == 200  # this year by default


@needs_poppler
def test_appraisal_pdf(world, data, client_for):
    appraisal = data["first"]
    response = client_for("cs_manager").get(reverse("appraisals:appraisal_pdf", args=[appraisal.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content) if response.streaming else response.content)
    for expected in (data["version"].title, "孙一", world.staff["cs_manager"].name, "2025-01-01", "2025-03-31",
                     "受命准备", "受命准备第1项", "业务活动第2项", "优秀", "良好", "不合格", "√", "4.67", "4.50",
                     "4.56", "回访记录偶有遗漏", "第3项的评分偏低", "整体表现优秀"):
        assert expected in text, expected
    assert text.count("√") == 5  # one chosen level per item
    event = AuditEvent.objects.get(event_type="report.export", actor=world.users["cs_manager"])
    assert event.data["report"] == "appraisal_form" and event.object_id == str(appraisal.pk)


@needs_poppler
def test_pdf_of_a_form_not_yet_submitted(world, data, client_for):
    response = client_for("cs_manager").get(reverse("appraisals:appraisal_pdf", args=[data["open"].pk]))
    text = pdf_text(response.content)
    assert "李四" in text and "√" not in text


def test_pdf_only_for_who_may_see_the_appraisal(world, data, client_for):
    url = reverse("appraisals:appraisal_pdf", args=[data["first"].pk])
    assert client_for("agent").get(url).status_code == 404
    assert client_for("quality_auditor").get(url).status_code == 404
    assert client_for("resident").get(url).status_code == 403
    assert client_for("agent").get(reverse("appraisals:appraisal_pdf", args=[data["agent_q1"].pk])).status_code \
        == 200
