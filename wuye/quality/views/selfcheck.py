"""The self-check against the customer's standard: every clause of sections 1–3 with the records in wuye that
evidence it and a traffic light (``selectors.selfcheck``); also as Excel for the audit file."""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.views import BaseView

from ..selectors import selfcheck


class SelfCheckView(BaseView):
    permission_required = "quality.view_selfcheck"

    def get(self, request):
        sections = selfcheck.self_check(request.user)
        if request.GET.get("export") == "xlsx" and request.user.has_perm("core.export_lists"):
            return self.excel(request, sections)
        return TemplateResponse(request, "quality/selfcheck.html", {
            "sections": sections, "totals": selfcheck.totals(sections), "today": timezone.localdate(),
            "can_export": request.user.has_perm("core.export_lists"),
        })

    def excel(self, request, sections):
        from django.http import HttpResponse
        from openpyxl import Workbook

        from wuye.core.exports import neutralise

        book = Workbook()
        sheet = book.active
        sheet.title = _("Self-check")[:31]
        sheet.append([_("Clause"), _("Requirement"), _("Status"), _("Evidence in wuye")])
        for _number, _title, rows in sections:
            for row in rows:
                sheet.append([neutralise(str(value or "")) for value in
                              (row.number, row.text, row.status_label, row.check.summary)])
        for column, width in zip("ABCD", (8, 60, 14, 80), strict=True):
            sheet.column_dimensions[column].width = width
        response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        name = f"{_('Self-check')}-{timezone.localdate():%Y%m%d}.xlsx"
        from django.utils.http import content_disposition_header

        response["Content-Disposition"] = content_disposition_header(True, name)
        book.save(response)
        audit("report.export", actor=request.user, report="quality_self_check", format="xlsx")
        return response


urlpatterns = [path("self-check/", SelfCheckView.as_view(), name="selfcheck")]
