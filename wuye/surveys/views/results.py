"""Pages of survey results: a campaign's results (per estate and dimension, with distribution bars, flags and the
button raising a corrective action, the recommendation score, choice questions, the previous campaign's deltas,
callback satisfaction, free text), its PDF report and its Excel workbook (results, raw answers), the trend of an
estate across campaigns, and raising a corrective action from a low score (POST)."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from wuye.core.audit import audit
from wuye.core.exports import _plain, sheet_title
from wuye.core.pdf import PdfResponse, render_pdf
from wuye.core.scope import user_scope
from wuye.core.views import BaseView
from wuye.core.views.generic import object_or_404
from wuye.estates.models import Estate

from .. import hooks
from ..choices import QuestionKind
from ..models import Answer, Campaign, Dimension, Response
from ..selectors import results as selectors
from ..services.actions import LOW_SCORE_PERMISSION, low_score_action_raise

VIEW = "surveys.view_campaign"
HOUSEHOLDS = "surveys.view_household_answers"
EXPORT = "core.export_lists"
BAR_COLORS = {5: "#198754", 4: "#7cc36a", 3: "#ffc107", 2: "#fd7e14", 1: "#dc3545"}


def _campaign(request, pk) -> Campaign:
    return object_or_404(Campaign.objects.select_related("version__questionnaire"), request.user, "view", pk=pk)


def _estate_filter(request, campaign) -> tuple[list, list | None, Estate | None]:
    """The estates of the campaign the user serves, and the chosen one (``?estate=``) if any."""
    estates = selectors.visible_estates(campaign, request.user)
    chosen = None
    raw = request.GET.get("estate") or ""
    if raw.isdigit():
        chosen = next((e for e in estates if e.pk == int(raw)), None)
    return estates, ([chosen.pk] if chosen else None), chosen


def _bars(distribution: list[dict]) -> list[dict]:
    """Widths (percent) and colours of a stacked distribution bar."""
    return [{**d, "width": float(d["percent"] or 0), "color": BAR_COLORS.get(d["level"], "#6c757d")}
            for d in distribution]


def _decorate(results: dict) -> dict:
    for block in [results["overall"], *results["estates"]]:
        block["satisfaction"]["bars"] = _bars(block["satisfaction"]["distribution"])
        for row in block["dimensions"]:
            row["bars"] = _bars(row["distribution"])
    return results


class CampaignResultsView(BaseView):
    permission_required = VIEW
    template_name = "surveys/results.html"

    def get(self, request, pk):
        campaign = _campaign(request, pk)
        estates, estate_ids, chosen = _estate_filter(request, campaign)
        results = _decorate(selectors.campaign_results(campaign, request.user, estate_ids))
        texts = selectors.free_text(campaign, request.user, estate_ids, page=request.GET.get("page") or 1)
        query = {"estate": chosen.pk} if chosen else {}
        can_raise = hooks.action_available() and request.user.has_perm(LOW_SCORE_PERMISSION)
        return TemplateResponse(request, self.template_name, {
            "campaign": campaign, "object": campaign, "results": results, "estates": estates, "chosen": chosen,
            "texts": texts, "can_raise": can_raise,
            "show_units": not campaign.anonymous and request.user.has_perm(HOUSEHOLDS),
            "can_export": request.user.has_perm(EXPORT),
            "pdf_url": reverse("surveys:campaign_results_pdf", args=[campaign.pk]) + (
                f"?{urlencode(query)}" if query else ""),
            "xlsx_url": reverse("surveys:campaign_results_xlsx", args=[campaign.pk]) + (
                f"?{urlencode(query)}" if query else ""),
            "page_query": urlencode(query),
            "raise_url": reverse("surveys:lowscore_raise"),
        })


class CampaignResultsPdfView(BaseView):
    permission_required = VIEW

    def get(self, request, pk):
        if not request.user.has_perm(EXPORT):
            raise PermissionDenied
        campaign = _campaign(request, pk)
        _estates, estate_ids, chosen = _estate_filter(request, campaign)
        results = _decorate(selectors.campaign_results(campaign, request.user, estate_ids))
        texts = selectors.free_text(campaign, request.user, estate_ids, page=1, per_page=200)
        title = _("Survey results %(number)s") % {"number": campaign.number}
        pdf = render_pdf("surveys/results_pdf.html", {
            "title": title, "campaign": campaign, "results": results, "chosen": chosen, "texts": texts,
            "show_units": not campaign.anonymous and request.user.has_perm(HOUSEHOLDS),
        }, request=request, landscape=True)
        audit("surveys.results_exported", actor=request.user, obj=campaign, format="pdf",
              estate=chosen.pk if chosen else None)
        return PdfResponse(pdf, f"{title}-{timezone.localtime():%Y%m%d-%H%M}.pdf")


def _cells(ws, values, bold=False):
    if not bold:
        return [_plain(v) for v in values]
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=_plain(value))
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _num(value):
    return float(value) if value is not None else None


def results_workbook(campaign: Campaign, user, estate_ids=None):
    """The workbook: sheet 1 the results per estate and dimension; sheet 2 the raw answers, one row per response
    and one column per question (the household only for a named campaign and a user holding
    ``surveys.view_household_answers``; no unit and no time ever for an anonymous campaign)."""
    results = selectors.campaign_results(campaign, user, estate_ids)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title(pgettext("survey", "Results")))
    ws.append(_cells(ws, [_("estate"), _("service dimension"), _("invited"), _("answered"), _("response rate (%)"),
                          _("answers"), _("average (of 5)"), _("satisfaction rate (%)"), _("flagged"),
                          _("previous average"), _("change of average"), _("previous satisfaction rate (%)"),
                          _("change of satisfaction rate")], bold=True))
    blocks = [(_("All estates"), results["overall"])] + [(e["estate"]["name"], e) for e in results["estates"]]
    for name, block in blocks:
        rows = [(_("Overall"), block["satisfaction"])] + [(r["dimension"]["name"], r) for r in block["dimensions"]]
        for label, r in rows:
            ws.append(_cells(ws, [name, label, block["invited"], block["answered"], _num(block["response_rate"]),
                                  r["answered"], _num(r["average"]), _num(r["rate"]),
                                  _("yes") if r["flagged"] else "", _num(r["previous_average"]),
                                  _num(r["delta_average"]), _num(r["previous_rate"]), _num(r["delta_rate"])]))
        rec = block["recommendation"]
        ws.append(_cells(ws, [name, _("Recommendation (NPS)"), block["invited"], block["answered"],
                              _num(block["response_rate"]), rec["answered"], _num(rec["average"]), _num(rec["nps"])]))

    raw = wb.create_sheet(title=sheet_title(_("Answers")))
    questions = list(campaign.version.questions_in_order())
    show_unit = not campaign.anonymous and user.has_perm(HOUSEHOLDS)
    ids = [e["estate"]["id"] for e in results["estates"]]
    head = [_("estate")]
    if not campaign.anonymous:
        head += [_("answered on"), _("channel")]
    if show_unit:
        head.append(_("household"))
    raw.append(_cells(raw, head + [f"{i}. {q.text}" for i, q in enumerate(questions, 1)], bold=True))
    column = {q.pk: i for i, q in enumerate(questions)}
    options = {q.pk: list(q.options or []) for q in questions}
    kinds = {q.pk: q.kind for q in questions}
    estate_names = {e["estate"]["id"]: e["estate"]["name"] for e in results["estates"]}
    responses = Response.objects.filter(campaign=campaign, estate_id__in=ids)
    if campaign.anonymous:
        # no unit, no time, no channel, no date; an order that says nothing of who answered when
        responses = responses.order_by("estate_id", "pk")
        fields = ["pk", "estate_id"]
    else:
        fields = ["pk", "estate_id", "submitted_on", "channel"] + (["unit__code"] if show_unit else [])
        responses = responses.order_by("estate_id", "submitted_on", "pk")
    channel_labels = dict(Response._meta.get_field("channel").flatchoices)

    def answers_of(chunk_ids):
        values: dict = {}
        for a in Answer.objects.filter(response_id__in=chunk_ids).values("response_id", "question_id", "value",
                                                                         "text").order_by("response_id", "value"):
            kind = kinds.get(a["question_id"])
            if kind is None:
                continue
            if kind == QuestionKind.TEXT:
                shown = a["text"]
            elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and a["value"] is not None:
                opts = options[a["question_id"]]
                shown = opts[a["value"]] if 0 <= a["value"] < len(opts) else a["value"]
            else:
                shown = a["value"]
            row = values.setdefault(a["response_id"], {})
            if a["question_id"] in row and kind == QuestionKind.MULTIPLE:
                row[a["question_id"]] = f"{row[a['question_id']]}、{shown}"
            else:
                row[a["question_id"]] = shown
        return values

    chunk: list[dict] = []

    def flush():
        values = answers_of([r["pk"] for r in chunk])
        for r in chunk:
            line = [estate_names.get(r["estate_id"], "")]
            if not campaign.anonymous:
                line += [r["submitted_on"], str(channel_labels.get(r["channel"], r["channel"]))]
            if show_unit:
                line.append(r.get("unit__code") or "")
            cells = [""] * len(questions)
            for qid, shown in values.get(r["pk"], {}).items():
                cells[column[qid]] = shown
            raw.append(_cells(raw, line + cells))
        chunk.clear()

    for r in responses.values(*fields).iterator(chunk_size=2000):
        chunk.append(r)
        if len(chunk) >= 2000:
            flush()
    if chunk:
        flush()
    tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - handed to the response, which closes it
    wb.save(tmp)
    tmp.seek(0)
    return tmp


class CampaignResultsXlsxView(BaseView):
    permission_required = VIEW

    def get(self, request, pk):
        if not request.user.has_perm(EXPORT):
            raise PermissionDenied
        campaign = _campaign(request, pk)
        _estates, estate_ids, chosen = _estate_filter(request, campaign)
        f = results_workbook(campaign, request.user, estate_ids)
        audit("surveys.results_exported", actor=request.user, obj=campaign, format="xlsx",
              estate=chosen.pk if chosen else None)
        filename = _("Survey results %(number)s") % {"number": campaign.number}
        return FileResponse(f, as_attachment=True, filename=f"{filename}-{timezone.localtime():%Y%m%d-%H%M}.xlsx",
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class TrendsView(BaseView):
    """The satisfaction of one estate across campaigns: a line chart (inline SVG) and a table."""

    permission_required = VIEW
    template_name = "surveys/trends.html"
    width, height, pad = 640, 220, 36

    def chart(self, trend) -> dict | None:
        points = [p for p in trend["campaigns"] if p["average"] is not None]
        if not points:
            return None
        w, h, pad = self.width, self.height, self.pad
        step = (w - 2 * pad) / max(1, len(points) - 1)

        def y(avg):
            return round(h - pad - (float(avg) - 1) / 4 * (h - 2 * pad), 1)

        dots = [{"x": round(pad + i * step if len(points) > 1 else w / 2, 1), "y": y(p["average"]),
                 "label": p["campaign"]["number"], "value": p["average"], "flagged": p["flagged"]}
                for i, p in enumerate(points)]
        grid = [{"y": y(level), "label": level} for level in (1, 2, 3, 4, 5)]
        threshold = points[-1]["campaign"]["low_score_threshold"]
        return {"width": w, "height": h, "dots": dots, "grid": grid,
                "polyline": " ".join(f"{d['x']},{d['y']}" for d in dots),
                "threshold_y": y(threshold), "threshold": threshold, "pad": pad}

    def get(self, request):
        scope = user_scope(request.user)
        estates = Estate.objects.all() if scope.all_estates else Estate.objects.filter(pk__in=scope.estate_ids)
        estates = list(estates.filter(survey_campaigns__status__in=selectors.RESULT_STATUSES).distinct()
                       .order_by("name"))
        raw = request.GET.get("estate") or ""
        chosen = None
        if raw:
            if not raw.isdigit():
                raise Http404
            chosen = get_object_or_404(Estate.objects.all(), pk=int(raw))
            if not scope.covers_estate(chosen.pk):
                raise Http404
        elif estates:
            chosen = estates[0]
        trend = selectors.estate_trend(chosen, request.user) if chosen else None
        return TemplateResponse(request, self.template_name, {
            "estates": estates, "chosen": chosen, "trend": trend, "chart": self.chart(trend) if trend else None,
        })


class LowScoreRaiseView(BaseView):
    """POST campaign, estate, dimension: raise the corrective action of a flagged score."""

    permission_required = VIEW
    http_method_names = ["post"]

    def post(self, request):
        raw = {k: request.POST.get(k) or "" for k in ("campaign", "estate", "dimension")}
        if not all(v.isdigit() for v in raw.values()):
            raise Http404
        campaign = _campaign(request, int(raw["campaign"]))
        estate = get_object_or_404(Estate.objects.all(), pk=int(raw["estate"]))
        dimension = get_object_or_404(Dimension.objects.all(), pk=int(raw["dimension"]))
        back = reverse("surveys:campaign_results", args=[campaign.pk]) + f"?estate={estate.pk}"
        if not request.user.has_perm(LOW_SCORE_PERMISSION):
            raise PermissionDenied
        if not user_scope(request.user).covers_estate(estate.pk):
            raise Http404
        try:
            low = low_score_action_raise(actor=request.user, campaign=campaign, estate=estate, dimension=dimension)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Corrective action %(action)s raised.") % {"action": low.action_label})
        return redirect(back)


urlpatterns = [
    path("campaigns/<int:pk>/results/", CampaignResultsView.as_view(), name="campaign_results"),
    path("campaigns/<int:pk>/results/pdf/", CampaignResultsPdfView.as_view(), name="campaign_results_pdf"),
    path("campaigns/<int:pk>/results/xlsx/", CampaignResultsXlsxView.as_view(), name="campaign_results_xlsx"),
    path("trends/", TrendsView.as_view(), name="trends"),
    path("low-scores/raise/", LowScoreRaiseView.as_view(), name="lowscore_raise"),
]

