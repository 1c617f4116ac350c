"""The form view every workflow step of the documents app uses (the tickets app's pattern): GET shows the form
(a fragment for the page's modal when asked by htmx), POST calls the service. A refusal re-shows the form with
the service's message (400) and changes nothing; a step the user may not take on this object is 403; an object
the user may not see is 404. Residents hold no document permission, so ``BaseView`` refuses them (403)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from wuye.core.forms import apply_errors
from wuye.core.querysets import restrict
from wuye.core.views import BaseView


class StepView(BaseView):
    """One form about one object. Subclasses set ``queryset``, ``permission_required``, ``form_class``, ``title``
    and implement ``perform(obj, form) -> message``; ``notice(obj)`` says why the step cannot be taken now."""

    queryset = None
    form_class = None
    title = ""
    button_class = "btn-primary"
    multipart = False
    template_name = "documents/form_page.html"
    fragment_template = "documents/includes/form.html"
    view_action = "view"

    def get_object(self):
        return get_object_or_404(restrict(self.queryset, self.request.user, self.view_action), pk=self.kwargs["pk"])

    def make_form(self, obj, data=None, files=None):
        return self.form_class(data, files, user=self.request.user, obj=obj)

    def get_title(self, obj) -> str:
        return str(self.title)

    def notice(self, obj) -> str | None:
        return None

    def check(self, obj) -> None:
        """Raise PermissionDenied when this user may never take the step on this object."""

    def cancel_url(self, obj) -> str:
        return obj.get_absolute_url()

    def success_url(self, obj) -> str:
        return self.cancel_url(obj)

    def render(self, obj, form, status=200):
        modal = bool(getattr(self.request, "htmx", False)) and self.request.method == "GET"
        return TemplateResponse(self.request, self.fragment_template if modal else self.template_name, {
            "modal": modal, "object": obj, "form": form, "title": self.get_title(obj),
            "button_class": self.button_class, "notice": self.notice(obj), "multipart": self.multipart,
            "action": self.request.path, "cancel_url": self.cancel_url(obj),
        }, status=status)

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        self.check(obj)
        return self.render(obj, self.make_form(obj))

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        self.check(obj)
        form = self.make_form(obj, request.POST, request.FILES)
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

    def perform(self, obj, form) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


class TableStepView(StepView):
    """A ``StepView`` for the several steps of one kind of object, the step named in the URL (``<step>``) and
    described in ``steps``: ``{step: (title, button style, permission, form class, …)}`` (more items are the
    subclass's own). A step not in the table is 404 for those who may see the object (``view_permission``)."""

    steps: dict = {}
    view_permission: str | None = None

    @property
    def step(self):
        return self.kwargs["step"]

    def get_permission_required(self):
        return self.steps[self.step][2] if self.step in self.steps else self.view_permission

    def get_object(self):
        if self.step not in self.steps:
            raise Http404
        return super().get_object()

    @property
    def button_class(self):
        return f"btn-{self.steps[self.step][1].replace('outline-', '')}"

    def get_title(self, obj) -> str:
        return str(self.steps[self.step][0])

    def make_form(self, obj, data=None, files=None):
        return self.steps[self.step][3](data, files, user=self.request.user, obj=obj)
