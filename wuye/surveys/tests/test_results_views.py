"""The results pages: the campaign's results (estate filter, flags, raise button, free text), the PDF report, the
Excel workbook, the trend page and the estate panel — and anonymity in every one of them (no unit code, no resident
name, no time of day for an anonymous campaign; the household of a named answer only with the permission)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from wuye.core.models import AuditEvent
from wuye.surveys.choices import CampaignStatus

from .factories import make_version, open_campaign
from .factories_results import no_action_hook, quality_hook, respond, satisfaction_set  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

SECRET_TIME = dt.time(3, 17)


def _anonymous(world):
    """An anonymous campaign over estate A whose one response is (wrongly) stored with its unit and a time of day:
    the outputs must not show them anyway."""
    version = make_version()
    campaign = open_campaign(world, version, estates=[world.estate_a], anonymous=True)
    at = timezone.make_aware(dt.datetime.combine(timezone.localdate(), SECRET_TIME))
    respond(campaign, world.estate_a, {version.q["service"]: 2, version.q["repair"]: 5, version.q["recommend"]: 9,
                                       version.q["text"]: "垃圾清运不及时"}, unit=world.unit_a, at=at)
    return campaign


def _named(world):
    version = make_version()
    campaign = open_campaign(world, version, estates=[world.estate_a, world.estate_b])
    at = timezone.make_aware(dt.datetime.combine(timezone.localdate(), SECRET_TIME))
    respond(campaign, world.estate_a, {version.q["service"]: 2, version.q["repair"]: 3, version.q["recommend"]: 6,
                                       version.q["text"]: "垃圾清运不及时"}, unit=world.unit_a, at=at)
    respond(campaign, world.estate_b, {version.q["service"]: 5, version.q["repair"]: 5, version.q["recommend"]: 10,
                                       version.q["text"]: "很好"}, unit=world.unit_b)
    return campaign


def _hidden(world, text: str):
    secret_time = SECRET_TIME.strftime("%H:%M")
    assert world.unit_a.code not in text
    assert world.customer_a.name not in text
    assert secret_time not in text


def _content(response) -> str:
    """The page below the menu bar (whose quick search shows an example unit code)."""
    html = response.content.decode()
    return html[html.index("<h1"):]


def _xlsx_text(content: bytes) -> tuple[str, list]:
    wb = load_workbook(io.BytesIO(content))
    rows = [list(r) for ws in wb.worksheets for r in ws.iter_rows(values_only=True)]
    return "\n".join(" ".join("" if v is None else str(v) for v in r) for r in rows), wb


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_results_page(world, client_for):
    campaign = _named(world)
    page = client_for("cs_manager").get(reverse("surveys:campaign_results", args=[campaign.pk]))
    assert page.status_code == 200
    html = _content(page)
    assert "丽景园" in html and "翠湖苑" in html
    assert "垃圾清运不及时" in html
    assert world.unit_a.code in html      # a named campaign, the manager may see households
    assert "flagged" in html              # 测试客服 at 2.00 in estate A


def test_results_page_agent_scope_and_no_households(world, client_for):
    campaign = _named(world)
    html = _content(client_for("agent").get(reverse("surveys:campaign_results", args=[campaign.pk])))
    assert "丽景园" in html and "翠湖苑" not in html and "很好" not in html
    assert world.unit_a.code not in html  # households hidden without surveys.view_household_answers
    assert "垃圾清运不及时" in html


def test_results_page_estate_filter(world, client_for):
    campaign = _named(world)
    url = reverse("surveys:campaign_results", args=[campaign.pk])
    html = _content(client_for("cs_manager").get(url, {"estate": world.estate_b.pk}))
    assert f'id="estate-{world.estate_b.pk}"' in html and f'id="estate-{world.estate_a.pk}"' not in html
    assert "很好" in html and "垃圾清运不及时" not in html


def test_anonymous_results_page(world, client_for):
    campaign = _anonymous(world)
    html = _content(client_for("cs_manager").get(reverse("surveys:campaign_results", args=[campaign.pk])))
    assert "垃圾清运不及时" in html
    _hidden(world, html)


def test_anonymous_pdf(world, client_for):
    campaign = _anonymous(world)
    response = client_for("cs_manager").get(reverse("surveys:campaign_results_pdf", args=[campaign.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert campaign.number in text and "垃圾清运不及时" in text
    _hidden(world, text)
    assert AuditEvent.objects.filter(event_type="surveys.results_exported", data__format="pdf").exists()


def test_named_pdf_shows_households_to_the_manager(world, client_for):
    campaign = _named(world)
    text = _pdf_text(client_for("cs_manager").get(
        reverse("surveys:campaign_results_pdf", args=[campaign.pk])).content)
    assert world.unit_a.code in text
    text = _pdf_text(client_for("agent").get(reverse("surveys:campaign_results_pdf", args=[campaign.pk])).content)
    assert world.unit_a.code not in text and "翠湖苑" not in text


def test_anonymous_excel(world, client_for):
    campaign = _anonymous(world)
    response = client_for("cs_manager").get(reverse("surveys:campaign_results_xlsx", args=[campaign.pk]))
    assert response.status_code == 200
    text, wb = _xlsx_text(b"".join(response.streaming_content))
    _hidden(world, text)
    raw = list(wb.worksheets[1].iter_rows(values_only=True))
    assert len(raw) == 2                          # header + the one response
    assert raw[1][0] == world.estate_a.name       # the estate, then the answers straight away
    assert "垃圾清运不及时" in raw[1]
    assert not any(isinstance(v, (dt.datetime, dt.date)) for v in raw[1])
    assert AuditEvent.objects.filter(event_type="surveys.results_exported", data__format="xlsx").exists()


def test_named_excel(world, client_for):
    campaign = _named(world)
    content = b"".join(client_for("cs_manager").get(
        reverse("surveys:campaign_results_xlsx", args=[campaign.pk])).streaming_content)
    text, wb = _xlsx_text(content)
    assert world.unit_a.code in text
    results = list(wb.worksheets[0].iter_rows(values_only=True))
    service_a = next(r for r in results if r[0] == world.estate_a.name and r[1] == "测试客服")
    assert service_a[6] == 2.0 and service_a[7] == 0.0 and service_a[8]
    # the agent: estate A only, no household
    content = b"".join(client_for("agent").get(
        reverse("surveys:campaign_results_xlsx", args=[campaign.pk])).streaming_content)
    text, _wb = _xlsx_text(content)
    assert world.unit_a.code not in text and world.estate_b.name not in text


def test_trend_page(world, client_for):
    today = timezone.localdate()
    first = open_campaign(world, make_version(code="t1"), number="SV-2025-01",
                          starts_on=today - dt.timedelta(days=180), status=CampaignStatus.CLOSED)
    second = open_campaign(world, make_version(code="t2"), number="SV-2026-01", starts_on=today)
    satisfaction_set(first, world.estate_a, first.version, [2, 3])
    satisfaction_set(second, world.estate_a, second.version, [4, 5])
    client = client_for("agent")
    html = client.get(reverse("surveys:trends")).content.decode()
    assert "<svg" in html and "SV-2025-01" in html and "SV-2026-01" in html and "4.50" in html
    assert client.get(reverse("surveys:trends"), {"estate": world.estate_b.pk}).status_code == 404


def test_estate_panel(world, client_for):
    campaign = _named(world)
    html = client_for("cs_manager").get(reverse("estates:estate", args=[world.estate_a.pk])).content.decode()
    assert campaign.number in html and reverse("surveys:trends") in html
    assert "测试客服" in html   # flagged there


def test_raise_button_only_with_a_handler(world, client_for, no_action_hook):  # noqa: F811
    campaign = _named(world)
    url = reverse("surveys:campaign_results", args=[campaign.pk])
    assert "raise-action" not in client_for("cs_manager").get(url).content.decode()


def test_raise_from_the_page(world, client_for, quality_hook):  # noqa: F811
    campaign = _named(world)
    client = client_for("cs_manager")
    url = reverse("surveys:campaign_results", args=[campaign.pk])
    assert "raise-action" in client.get(url).content.decode()
    assert "raise-action" not in client_for("agent").get(url).content.decode()
    dimension = campaign.version.q["service"].dimension if hasattr(campaign.version, "q") else None
    from wuye.surveys.models import Dimension

    dimension = dimension or Dimension.objects.get(code="t-service")
    response = client.post(reverse("surveys:lowscore_raise"), {"campaign": campaign.pk, "estate": world.estate_a.pk,
                                                               "dimension": dimension.pk})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "low-score-action" in html and "CA-" in html
    assert campaign.low_score_actions.get().average == Decimal("2.00")
