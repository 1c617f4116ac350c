"""The appraisal reports: a cycle's results (ranking, grades, section averages) and its Excel, one person's
history with a trend chart, the department comparison, and the PDF of one filled form laid out like the standard's
paper form with signature lines.

Permissions: every page needs ``appraisals.view_appraisal``; the cycle results, the cycle's Excel and the
department comparison also ``appraisals.manage_appraisal_cycles``. The data are what
``Appraisal.objects.restrict(user)`` lets the user see; an appraisal or a person they may not see answers 404.
Each Excel and PDF is audited (``report.export``).
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.audit import audit
from wuye.core.exports import write_rows
from wuye.core.forms import BaseForm, DateInput
from wuye.core.pdf import PdfResponse, render_pdf
from wuye.core.views import BaseView
from wuye.org.models import Staff
from wuye.org.selectors import staff_of

from ..models import Appraisal, AppraisalCycle
from ..selectors import reports

VIEW = "appraisals.view_appraisal"
MANAGE = "appraisals.manage_appraisal_cycles"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def optional_url(name: str, *args) -> str | None:
    """The URL of another subject's page, or None while that page does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


class ReportView(BaseView):
    """``permission_required`` and every permission in ``also_required``."""

    permission_required = VIEW
    also_required: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not all(request.user.has_perm(p) for p in self.also_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CycleReportView(ReportView):
    permission_required = MANAGE
    also_required = (VIEW,)

    def get_cycle(self, pk):
        return get_object_or_404(AppraisalCycle.objects.restrict(self.request.user, "view")
                                 .select_related("form_version__form"), pk=pk)


class CycleResultsView(CycleReportView):
    """A cycle's results: ranking by total, distribution by grade, section averages, progress."""

    def get(self, request, pk):
        cycle = self.get_cycle(pk)
        results = reports.cycle_results(user=request.user, cycle=cycle)
        return TemplateResponse(request, "appraisals/reports/cycle_results.html", {
            "title": _("Results of %(cycle)s") % {"cycle": cycle.name}, "cycle": cycle, "results": results,
            "excel_url": reverse("appraisals:cycle_excel", args=[cycle.pk])
            if request.user.has_perm("core.export_lists") else None,
            "cycle_url": optional_url("appraisals:appraisalcycle", cycle.pk),
            "has_detail": optional_url("appraisals:appraisal", 0) is not None,
        })


class CycleExcelView(CycleReportView):
    """One row per appraisal of the cycle the user may see: appraisee, department, post, appraiser, state,
    section averages, total, grade."""

    def get(self, request, pk):
        if not request.user.has_perm("core.export_lists"):
            raise PermissionDenied
        cycle = self.get_cycle(pk)
        titles, rows = reports.cycle_sheet(user=request.user, cycle=cycle)
        headers = [_("appraisee"), _("employee number"), _("department"), _("post"), _("appraiser"), _("state"),
                   _("period from"), _("period to"), *titles, _("weighted total"), _("grade")]
        # numbers as numbers in Excel (``write_rows`` writes a Decimal as text)
        rows = [[float(v) if isinstance(v, Decimal) else v for v in row] for row in rows]
        file = write_rows(headers, rows, title=cycle.name)
        audit("report.export", actor=request.user, obj=cycle, report="appraisal_cycle", format="xlsx",
              rows=len(rows))
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return FileResponse(file, as_attachment=True, filename=f"{cycle.name}-{stamp}.xlsx", content_type=XLSX)


class StaffHistoryView(ReportView):
    """One person's final appraisals across periods, with a trend chart. 404 unless the user may see some
    appraisal of that person (or it is their own page)."""

    def get(self, request, pk):
        staff = get_object_or_404(Staff.objects.select_related("department", "post"), pk=pk)
        own = staff_of(request.user)
        if (own is None or own.pk != staff.pk) and not reports.visible(request.user).filter(appraisee=staff).exists():
            raise Http404
        history = reports.staff_history(user=request.user, staff=staff)
        return TemplateResponse(request, "appraisals/reports/staff_history.html", {
            "title": _("Appraisal history of %(name)s") % {"name": staff.name}, "staff": staff, "history": history,
            "has_detail": optional_url("appraisals:appraisal", 0) is not None,
        })


class ComparisonForm(BaseForm):
    """A cycle, or a period (``from``–``to``: the appraisals whose period lies within it)."""

    cycle = forms.ModelChoiceField(label=gettext_lazy("cycle"), queryset=AppraisalCycle.objects.none(),
                                   required=False, empty_label=gettext_lazy("Any cycle"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.DateField(label=gettext_lazy("period from"), required=False, widget=DateInput)
        self.fields["to"] = forms.DateField(label=gettext_lazy("period to"), required=False, widget=DateInput)
        for name in ("from", "to"):
            self.fields[name].widget.attrs["class"] = "form-control"
        if self.user is not None:
            self.fields["cycle"].queryset = AppraisalCycle.objects.restrict(self.user, "view").order_by(
                "-period_start", "name")

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            raise forms.ValidationError({"to": gettext_lazy("The period ends before it starts.")})
        if not data.get("cycle") and not start and not end:
            today = timezone.localdate()
            data["from"], data["to"] = today.replace(month=1, day=1), today.replace(month=12, day=31)
        return data


class DepartmentComparisonView(ReportView):
    """The average total per department, for a cycle or a period (default: this calendar year)."""

    permission_required = MANAGE
    also_required = (VIEW,)

    def get(self, request):
        form = ComparisonForm(request.GET or None, user=request.user)
        if request.GET and not form.is_valid():
            return self.render(request, form, None, status=400)
        if not request.GET:
            form = ComparisonForm({}, user=request.user)
            form.is_valid()
        data = form.cleaned_data
        filters = {"cycle": data.get("cycle"), "start": data.get("from"), "end": data.get("to")}
        rows = reports.department_comparison(user=request.user, **filters)
        sections = reports.department_section_averages(user=request.user, **filters)
        for row in rows:
            row["sections"] = sections.get(row["department_id"], [])
        return self.render(request, form, rows)

    def render(self, request, form, rows, status=200):
        chart = None
        if rows:
            chart = {"labels": [r["department"] for r in rows],
                     "averages": [float(r["average"]) if r["average"] is not None else None for r in rows]}
        return TemplateResponse(request, "appraisals/reports/department_comparison.html", {
            "title": _("Department comparison"), "form": form, "rows": rows, "chart": chart,
        }, status=status)


class AppraisalPdfView(ReportView):
    """The filled form as the standard's paper form: header, sections with items and the chosen level, comments,
    section averages, weighted total and grade, the appraisee's disagreement, signature lines."""

    def get(self, request, pk):
        appraisal = get_object_or_404(Appraisal.objects.restrict(request.user, "view"), pk=pk)
        sheet = reports.form_sheet(appraisal)
        title = sheet["appraisal"].form_version.title or sheet["appraisal"].form_version.form.name
        pdf = render_pdf("appraisals/reports/appraisal_pdf.html", {"title": title, **sheet}, request=request)
        audit("report.export", actor=request.user, obj=appraisal, report="appraisal_form", format="pdf")
        return PdfResponse(pdf, f"{title}-{appraisal.appraisee.name}-{appraisal.period_start:%Y%m%d}.pdf")


urlpatterns = [
    path("reports/cycles/<int:pk>/", CycleResultsView.as_view(), name="cycle_results"),
    path("reports/cycles/<int:pk>/excel/", CycleExcelView.as_view(), name="cycle_excel"),
    path("reports/staff/<int:pk>/", StaffHistoryView.as_view(), name="staff_history"),
    path("reports/departments/", DepartmentComparisonView.as_view(), name="department_comparison"),
    path("reports/appraisals/<int:pk>/pdf/", AppraisalPdfView.as_view(), name="appraisal_pdf"),
]
