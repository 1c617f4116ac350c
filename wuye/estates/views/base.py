"""Small additions to core's generic views used across the estates pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from wuye.core.views import BaseView, ObjectEditView
from wuye.core.views.generic import object_or_404


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field when the form has it, else form-wide."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields and not form.fields[field].widget.is_hidden else None
            if field == NON_FIELD_ERRORS:
                target = None
            form.add_error(target, errors)
    else:
        form.add_error(None, exc)


class ServiceEditView(ObjectEditView):
    """ObjectEditView whose ``save()`` calls a service: a ValidationError from it re-shows the form (400)."""

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        created = obj.pk is None
        form = self.form(request.POST, request.FILES, instance=obj, user=request.user)
        if form.is_valid():
            try:
                with transaction.atomic():
                    obj = self.save(form)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                message = _("Created %(type)s “%(obj)s”.") if created else _("Saved %(type)s “%(obj)s”.")
                messages.success(request, message % {"type": self.model._meta.verbose_name, "obj": obj})
                return redirect(obj.get_absolute_url())
        return self.render_form(self.get_object() if not created else obj, form, status=400)


class ActionView(BaseView):
    """A transition on one object: GET shows a small confirmation form, POST runs the service.

    Subclasses set ``queryset``, ``permission_required``, ``form_class``, ``title`` and implement
    ``perform(obj, form)`` (returning the success message).
    """

    queryset = None
    form_class = None
    template_name = "estates/action_form.html"
    title = ""
    intro = ""
    button = ""
    button_class = "btn-primary"
    action = "change"

    def get_object(self):
        return object_or_404(self.queryset, self.request.user, self.action, pk=self.kwargs["pk"])

    def make_form(self, data=None):
        return self.form_class(data, user=self.request.user)

    def render(self, obj, form, status=200):
        return TemplateResponse(self.request, self.template_name, {
            "object": obj, "form": form, "title": self.title, "intro": self.intro,
            "button": self.button or _("Confirm"), "button_class": self.button_class,
            "model": self.queryset.model, "cancel_url": obj.get_absolute_url(),
        }, status=status)

    def get(self, request, pk):
        obj = self.get_object()
        return self.render(obj, self.make_form())

    def post(self, request, pk):
        obj = self.get_object()
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    message = self.perform(obj, form)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, message)
                return redirect(self.success_url(obj))
        return self.render(obj, form, status=400)

    def success_url(self, obj):
        obj.refresh_from_db()
        return obj.get_absolute_url()

    def perform(self, obj, form) -> str:  # pragma: no cover - abstract
        raise NotImplementedError
