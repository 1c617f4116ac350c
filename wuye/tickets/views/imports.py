"""Historical import pages: upload a file (Excel, CSV or JSON Lines), follow the job's progress (polled with htmx
every second) and see the result or every error; download the template. For holders of ``tickets.import_tickets``.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.forms import BaseForm
from wuye.core.scope import user_scope
from wuye.core.views import BaseView
from wuye.estates.models import Estate

from ..imports import COLUMNS, FORMATS, TicketTemplate, check_upload, detect_format
from ..models import ImportJob, Ticket
from ..tasks import enqueue_import, live_progress

PERMISSION = "tickets.import_tickets"
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class ImportUploadForm(BaseForm):
    file = forms.FileField(label=gettext_lazy("File"),
                           help_text=gettext_lazy("Excel (.xlsx) or CSV from the template, or JSON Lines (.jsonl, "
                                                  ".jsonl.gz) in the reference format."))
    estate = forms.ModelChoiceField(queryset=Estate.objects.none(), required=False, label=gettext_lazy("Estate"),
                                    help_text=gettext_lazy("Required for JSON Lines; for Excel and CSV, the estate "
                                                           "of rows that name none."))
    format = forms.ChoiceField(label=gettext_lazy("Format"), required=False,
                               choices=[("", gettext_lazy("From the file name")), ("xlsx", "Excel (.xlsx)"),
                                        ("csv", "CSV"), ("jsonl", "JSON Lines")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estate"].queryset = Estate.objects.restrict(self.user, "view").order_by("name")

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is None:
            return data
        fmt = data.get("format") or detect_format(upload.name)
        if fmt not in FORMATS:
            self.add_error("file", _("Upload an Excel (.xlsx), CSV (.csv) or JSON Lines (.jsonl, .jsonl.gz) file."))
        elif fmt == "jsonl" and data.get("estate") is None:
            self.add_error("estate", _("Choose the estate the JSON Lines file belongs to."))
        if upload.size > MAX_UPLOAD_BYTES:
            self.add_error("file", _("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20})
        elif fmt in FORMATS:
            try:
                check_upload(upload, fmt)  # by content: a renamed HTML page or a zip bomb never reaches the job
            except ValidationError as error:
                self.add_error("file", error)
        data["format"] = fmt
        return data


def visible_jobs(user):
    """The jobs a user may follow: their own; every job for those who see every estate."""
    jobs = ImportJob.objects.select_related("created_by", "estate")
    return jobs if user_scope(user).all_estates else jobs.filter(created_by=user)


class TicketImportView(BaseView):
    """GET: the upload form, the template links and the recent imports. POST: store the file, start the job and
    go to its page."""

    permission_required = PERMISSION
    template_name = "tickets/import_upload.html"

    def render(self, form, status=200):
        return TemplateResponse(self.request, self.template_name, {
            "form": form, "columns": COLUMNS, "jobs": visible_jobs(self.request.user)[:10], "model": Ticket,
            "verbose_name_plural": Ticket._meta.verbose_name_plural,
        }, status=status)

    def get(self, request):
        return self.render(ImportUploadForm(user=request.user))

    def post(self, request):
        form = ImportUploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render(form, status=400)
        upload = form.cleaned_data["file"]
        job = ImportJob(name=upload.name[:200], format=form.cleaned_data["format"],
                        estate=form.cleaned_data.get("estate"), created_by=request.user,
                        language=translation.get_language() or "")
        job.file.save(upload.name, upload, save=False)
        job.save()
        enqueue_import(job)
        return redirect(job.get_absolute_url())


class ImportJobView(BaseView):
    """The job's page; an htmx request gets only the progress block, which polls itself while the job runs."""

    permission_required = PERMISSION

    def get(self, request, pk):
        job = get_object_or_404(visible_jobs(request.user), pk=pk)
        context = {"job": job, "progress": live_progress(job), "model": Ticket,
                   "verbose_name_plural": Ticket._meta.verbose_name_plural,
                   "summary": job.summary or {}}
        template = "tickets/import_job_progress.html" if request.htmx else "tickets/import_job.html"
        return TemplateResponse(request, template, context)


class ImportTemplateView(BaseView):
    """The template: Excel by default, ``?format=csv`` for CSV."""

    permission_required = PERMISSION

    def get(self, request):
        template = TicketTemplate()
        name = _("%(what)s import template") % {"what": template.title}
        fmt = request.GET.get("format", "xlsx")
        if fmt == "csv":
            return template.csv_response(name)
        if fmt != "xlsx":
            raise Http404
        return template.template_response(name)


urlpatterns = [
    path("import/", TicketImportView.as_view(), name="ticket_import"),
    path("import/template/", ImportTemplateView.as_view(), name="import_template"),
    path("import/<int:pk>/", ImportJobView.as_view(), name="import_job"),
]
