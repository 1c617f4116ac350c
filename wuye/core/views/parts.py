"""Pages that add or edit one part (a section, a question, an item) of a versioned template's draft — a survey
questionnaire's, an appraisal form's: the part's parent comes from ``?<parent_param>=<id>`` when adding, the page is
refused (403) when the version may not be edited, the write goes through the app's service (``save``), and the user
returns to the version's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from ..forms import apply_errors
from .generic import ObjectEditView


class DraftPartEditView(ObjectEditView):
    """Subclasses set ``queryset``, ``form`` (taking ``instance`` and ``user``), ``parent_param``, ``parent_model``
    and implement ``new_object(parent)``, ``version_of(obj)``, ``is_editable(version)`` and ``save(form)`` (calls
    the service and returns the saved part)."""

    parent_param = ""
    parent_model = None

    def new_object(self, parent):  # pragma: no cover - abstract
        raise NotImplementedError

    def version_of(self, obj):  # pragma: no cover - abstract
        raise NotImplementedError

    def is_editable(self, version) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def save(self, form):  # pragma: no cover - abstract
        raise NotImplementedError

    def parent(self):
        pk = self.request.GET.get(self.parent_param)  # the form posts to the same address
        found = (self.parent_model.objects.restrict(self.request.user, "view").filter(pk=pk).first()
                 if str(pk or "").isdigit() else None)
        if found is None:
            raise Http404
        return found

    def get_object(self):
        obj = super().get_object() if "pk" in self.kwargs else self.new_object(self.parent())
        if not self.is_editable(self.version_of(obj)):
            raise PermissionDenied
        return obj

    def get_initial(self):
        return {}

    def render_form(self, obj, form, status=200):
        return TemplateResponse(self.request, self.template_name, {
            **self.common_context(), "object": obj, "form": form,
            "cancel_url": self.version_of(obj).get_absolute_url(),
        }, status=status)

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.form(request.POST, instance=obj, user=request.user)
        if form.is_valid():
            try:
                with transaction.atomic():
                    saved = self.save(form)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved %(type)s “%(obj)s”.") % {
                    "type": self.model._meta.verbose_name, "obj": saved})
                return redirect(self.version_of(saved).get_absolute_url())
        return self.render_form(self.get_object(), form, status=400)
