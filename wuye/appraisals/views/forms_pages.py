"""Pages of the appraisal forms (测评表): the list; a form's page (its versions, and the version in use laid out
like the paper form: the header 被测评人 / 测评人 / 测评日期 / 测评时段, the sections with their items, the scale
and the grade bands); a version's page; the steps "new version" and "publish"; the edit pages of a draft version
(title, scale, bands), its sections and its items. A version in use is never edited: its edit pages answer 403 and
the services refuse it."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.urls import path, re_path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.views import ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView
from wuye.core.views.parts import DraftPartEditView
from wuye.documents.views.base import TableStepView

from ..choices import FormStatus
from ..filtersets.forms import AppraisalFormFilterSet
from ..forms.forms import (
    AppraisalFormForm,
    FormItemForm,
    FormSectionForm,
    FormVersionForm,
    NewVersionForm,
    PublishForm,
)
from ..models import AppraisalForm, FormItem, FormSection, FormVersion
from ..selectors.forms import draft_version, form_outline, scale_columns, with_active_version
from ..services import forms as services
from ..tables.forms import AppraisalFormTable


def paper_context(version: FormVersion | None) -> dict:
    """What ``appraisals/forms/includes/paper.html`` needs to lay a version out like the paper form."""
    if version is None:
        return {"paper": None}
    return {"paper": version, "sections": form_outline(version), "levels": scale_columns(version),
            "bands": version.bands}


def _may_edit(user, version: FormVersion) -> bool:
    return user.has_perm(services.CHANGE_VERSION) and not services.version_in_use(version)


# --- forms -------------------------------------------------------------------------------------------------------


class AppraisalFormListView(ObjectListView):
    queryset = with_active_version(AppraisalForm.objects.prefetch_related("posts"))
    filterset = AppraisalFormFilterSet
    table = AppraisalFormTable


class AppraisalFormView(ObjectDetailView):
    queryset = AppraisalForm.objects.prefetch_related("posts__department")
    template_name = "appraisals/forms/appraisalform.html"

    def get_extra_context(self, form):
        user = self.request.user
        versions = list(form.versions.order_by("-number"))
        active = next((v for v in versions if v.status == FormStatus.ACTIVE), None)
        draft = next((v for v in versions if v.status == FormStatus.DRAFT), None)
        shown = active or draft
        new_version_url = None
        if active is not None and draft is None and user.has_perm(services.ADD_VERSION):
            new_version_url = reverse("appraisals:formversion_step", args=[active.pk, "draft"])
        return {
            "versions": versions, "active": active, "draft": draft, "new_version_url": new_version_url,
            "edit_url": reverse("appraisals:appraisalform_edit", args=[form.pk]) if self.can_change else None,
            **paper_context(shown),
        }


class AppraisalFormAddView(ObjectEditView):
    """A new form with a draft version 1; its sections and items are added on the draft's page."""

    queryset = AppraisalForm.objects.all()
    form = AppraisalFormForm

    def save(self, form):
        return services.appraisal_form_create(actor=self.request.user, **form.service_fields())


class AppraisalFormEditView(ObjectEditView):
    """The form's name and the posts it applies to."""

    queryset = AppraisalForm.objects.all()
    form = AppraisalFormForm

    def get_initial(self):
        return {}

    def save(self, form):
        current = AppraisalForm.objects.get(pk=form.instance.pk)
        return services.appraisal_form_update(actor=self.request.user, form=current, **form.service_fields())


class AppraisalFormHistoryView(ObjectHistoryView):
    queryset = AppraisalForm.objects.all()


# --- versions ----------------------------------------------------------------------------------------------------


class FormVersionView(ObjectDetailView):
    queryset = FormVersion.objects.select_related("form")
    template_name = "appraisals/forms/formversion.html"

    def get_extra_context(self, version):
        user = self.request.user
        editable = self.can_change and _may_edit(user, version)
        steps = []
        if version.status == FormStatus.DRAFT and editable:
            steps.append({"step": "publish", "label": _("Publish"), "style": "success",
                          "url": reverse("appraisals:formversion_step", args=[version.pk, "publish"])})
        if (version.status == FormStatus.ACTIVE and user.has_perm(services.ADD_VERSION)
                and draft_version(version.form) is None):
            steps.append({"step": "draft", "label": _("New version"), "style": "outline-primary",
                          "url": reverse("appraisals:formversion_step", args=[version.pk, "draft"])})
        return {
            "steps": steps, "editable": editable,
            "edit_url": reverse("appraisals:formversion_edit", args=[version.pk]) if editable else None,
            "add_section_url": f"{reverse('appraisals:formsection_add')}?version={version.pk}"
            if editable and user.has_perm(services.ADD_SECTION) else None,
            "can_add_item": editable and user.has_perm(services.ADD_ITEM),
            "can_change_section": editable and user.has_perm(services.CHANGE_SECTION),
            "can_change_item": editable and user.has_perm(services.CHANGE_ITEM),
            "appraisal_count": version.appraisals.count(),
            **paper_context(version),
        }


class FormVersionEditView(ObjectEditView):
    """A draft's title, scale and grade bands (as lines of text) and what changed."""

    queryset = FormVersion.objects.select_related("form")
    form = FormVersionForm

    def get_object(self):
        version = super().get_object()
        if services.version_in_use(version):
            raise PermissionDenied
        return version

    def get_initial(self):
        return {}

    def save(self, form):
        current = FormVersion.objects.get(pk=form.instance.pk)
        return services.form_version_update(actor=self.request.user, version=current, **form.service_fields())


class FormVersionHistoryView(ObjectHistoryView):
    queryset = FormVersion.objects.all()


VERSION_STEPS = {
    "draft": (gettext_lazy("New version"), "primary", services.ADD_VERSION, NewVersionForm),
    "publish": (gettext_lazy("Publish this version"), "success", services.CHANGE_VERSION, PublishForm),
}


class FormVersionStepView(TableStepView):
    """``draft``: a new draft copying the version in use (one draft at a time); ``publish``: the draft comes into
    use and the version before it is retired."""

    queryset = FormVersion.objects.select_related("form")
    steps = VERSION_STEPS
    view_permission = "appraisals.view_formversion"

    def notice(self, version):
        if self.step == "draft":
            draft = draft_version(version.form)
            if draft is not None:
                return _("This form already has a draft, version %(number)s: edit or publish it first.") % {
                    "number": draft.number}
        elif services.version_in_use(version):
            return _("Only a draft version is published; this one is %(status)s.") % {
                "status": version.get_status_display()}
        return None

    def perform(self, version, form):
        user = self.request.user
        if self.step == "draft":
            self.created = services.form_version_draft(actor=user, form=version.form,
                                                       change_note=form.cleaned_data["change_note"])
            return _("Version %(number)s is a draft: change it, then publish it.") % {"number": self.created.number}
        services.form_version_publish(actor=user, version=version)
        return _("Version %(number)s of %(form)s is now in use.") % {"number": version.number,
                                                                     "form": version.form.name}

    def success_url(self, version):
        created = getattr(self, "created", None)
        return created.get_absolute_url() if created is not None else version.get_absolute_url()


# --- sections and items of a draft ----------------------------------------------------------------------------------


class _DraftPartEditView(DraftPartEditView):
    """Add or edit a section or item of a draft version; back to the version's page afterwards."""

    def is_editable(self, version) -> bool:
        return not services.version_in_use(version)


class FormSectionEditView(_DraftPartEditView):
    """A section of a draft (``?version=<id>`` to add one)."""

    queryset = FormSection.objects.select_related("version")
    form = FormSectionForm
    parent_param = "version"
    parent_model = FormVersion

    def new_object(self, version):
        return FormSection(version=version)

    def version_of(self, section):
        return section.version

    def save(self, form):
        if form.instance.pk is None:
            return services.form_section_add(actor=self.request.user, version=form.instance.version,
                                             **form.service_fields())
        current = FormSection.objects.get(pk=form.instance.pk)
        return services.form_section_update(actor=self.request.user, section=current, **form.service_fields())


class FormItemEditView(_DraftPartEditView):
    """An item of a draft's section (``?section=<id>`` to add one)."""

    queryset = FormItem.objects.select_related("section__version")
    form = FormItemForm
    parent_param = "section"
    parent_model = FormSection

    def new_object(self, section):
        return FormItem(section=section)

    def version_of(self, item):
        return item.section.version

    def save(self, form):
        if form.instance.pk is None:
            return services.form_item_add(actor=self.request.user, section=form.instance.section,
                                          **form.service_fields())
        current = FormItem.objects.get(pk=form.instance.pk)
        return services.form_item_update(actor=self.request.user, item=current, **form.service_fields())


_steps = "|".join(map(re.escape, VERSION_STEPS))
urlpatterns = [
    path("forms/", AppraisalFormListView.as_view(), name="appraisalform_list"),
    path("forms/add/", AppraisalFormAddView.as_view(), name="appraisalform_add"),
    path("forms/<int:pk>/", AppraisalFormView.as_view(), name="appraisalform"),
    path("forms/<int:pk>/edit/", AppraisalFormEditView.as_view(), name="appraisalform_edit"),
    path("forms/<int:pk>/history/", AppraisalFormHistoryView.as_view(), name="appraisalform_history"),
    path("forms/versions/<int:pk>/", FormVersionView.as_view(), name="formversion"),
    path("forms/versions/<int:pk>/edit/", FormVersionEditView.as_view(), name="formversion_edit"),
    path("forms/versions/<int:pk>/history/", FormVersionHistoryView.as_view(), name="formversion_history"),
    re_path(rf"^forms/versions/(?P<pk>\d+)/(?P<step>{_steps})/$", FormVersionStepView.as_view(),
            name="formversion_step"),
    path("forms/sections/add/", FormSectionEditView.as_view(), name="formsection_add"),
    path("forms/sections/<int:pk>/edit/", FormSectionEditView.as_view(), name="formsection_edit"),
    path("forms/items/add/", FormItemEditView.as_view(), name="formitem_add"),
    path("forms/items/<int:pk>/edit/", FormItemEditView.as_view(), name="formitem_edit"),
]
