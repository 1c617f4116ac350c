"""Excel import pages: download the template, upload, see every row's errors (nothing saved) or the result."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from wuye.core.forms import ExcelUploadForm
from wuye.core.querysets import permission_name
from wuye.core.views import BaseView

from ..imports import CustomerImporter, UnitImporter
from ..models import Customer, Unit


class ImportView(BaseView):
    """GET: the upload form and the template link. POST: run the import (all rows or none)."""

    importer_class = None
    model = None
    template_name = "estates/import.html"

    def get_permission_required(self):
        return permission_name(self.model, "add")

    def _names(self):
        meta = self.model._meta
        return {"template_url": reverse(f"estates:{meta.model_name}_import_template"),
                "list_url": reverse(f"estates:{meta.model_name}_list")}

    def render(self, form, result=None, status=200):
        importer = self.importer_class()
        return TemplateResponse(self.request, self.template_name, {
            "form": form, "result": result, "columns": importer.columns, "title": importer.title,
            "model": self.model, "verbose_name_plural": self.model._meta.verbose_name_plural, **self._names(),
        }, status=status)

    def get(self, request):
        return self.render(ExcelUploadForm(user=request.user))

    def post(self, request):
        form = ExcelUploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render(form, status=400)
        result = self.importer_class().run(form.cleaned_data["file"], actor=request.user)
        if result.ok:
            messages.success(request, _("Imported %(n)s rows.") % {"n": result.saved})
            return redirect(self._names()["list_url"])
        return self.render(ExcelUploadForm(user=request.user), result=result, status=400)


class ImportTemplateView(BaseView):
    importer_class = None
    model = None

    def get_permission_required(self):
        return permission_name(self.model, "add")

    def get(self, request):
        importer = self.importer_class()
        return importer.template_response(_("%(what)s import template") % {"what": importer.title})


class CustomerImportView(ImportView):
    importer_class = CustomerImporter
    model = Customer


class CustomerImportTemplateView(ImportTemplateView):
    importer_class = CustomerImporter
    model = Customer


class UnitImportView(ImportView):
    importer_class = UnitImporter
    model = Unit


class UnitImportTemplateView(ImportTemplateView):
    importer_class = UnitImporter
    model = Unit
