"""Generic views every app uses (DESIGN.md §6). A view names its queryset, filterset, table, form and
template; permission and scope come from ``restrict()``; nothing here filters by hand.

Permission rule (deny by default): every view needs a permission. Object views derive it from the model
and their ``action`` (``view``/``add``/``change``); other views set ``permission_required`` explicitly.
A user without it gets 403; an object outside their scope gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig

from .. import search
from ..exports import export_table_response
from ..forms import apply_errors
from ..history import history_rows
from ..pagination import CappedPaginator
from ..querysets import permission_name


class BaseView(View):
    """Login required; then the permission from ``get_permission_required()`` (None means refused).

    ``login_only = True`` says explicitly that any logged-in user may open the page (its content is still
    restricted per user); it is the only way to skip the permission check.
    """

    permission_required: str | None = None
    login_only = False

    def get_permission_required(self) -> str | None:
        return self.permission_required

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not self.login_only:
            perm = self.get_permission_required()
            if not perm or not request.user.has_perm(perm):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ObjectViewMixin:
    queryset = None
    action = "view"

    @property
    def model(self):
        if self.queryset is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a queryset")
        return self.queryset.model

    def get_permission_required(self):
        return self.permission_required or permission_name(self.model, self.action)

    def restricted(self, action: str | None = None):
        return self.queryset.restrict(self.request.user, action or self.action)

    def url_name(self, suffix: str = "") -> str:
        meta = self.model._meta
        return f"{meta.app_label}:{meta.model_name}{suffix}"

    def optional_url(self, suffix: str, *args) -> str | None:
        try:
            return reverse(self.url_name(suffix), args=args)
        except NoReverseMatch:
            return None

    def common_context(self) -> dict:
        meta = self.model._meta
        return {"model": self.model, "verbose_name": meta.verbose_name,
                "verbose_name_plural": meta.verbose_name_plural}


class ObjectListView(ObjectViewMixin, BaseView):
    """A filterable, sortable, paginated table with an Excel export of the filtered list."""

    filterset = None
    filterset_form = None
    table = None
    template_name = "core/object_list.html"
    per_page = 50
    import_url_name: str | None = None
    extra_actions: list[tuple[str, str]] = []  # [(label, url)]
    # figures shown above the table for the filtered list (refreshed with it): a template reading ``summary``
    summary_template: str | None = None

    def get_summary(self, queryset):
        """The figures of the filtered list for ``summary_template`` (the database counts)."""
        return None

    def export(self, request, filterset, queryset):
        """Another export format than Excel (``?export=<format>``), or None for "no such format"."""
        return None

    def get_queryset(self):
        queryset = self.restricted("view")
        ordering = queryset.model._meta.ordering
        if ordering and not queryset.query.order_by and queryset.query.default_ordering:
            # Django leaves Meta.ordering out of a query that groups (a list annotated with a Count): say it
            # explicitly, or PostgreSQL returns such a list in any order (and the pages and the Excel disagree).
            queryset = queryset.order_by(*ordering)
        return queryset

    def page_queryset(self, queryset):
        """The queryset the page's table shows (the export takes all columns of ``queryset``): a busy list may
        read only the columns it shows here."""
        return queryset

    def get(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        filterset = None
        if self.filterset is not None:
            filterset = self.filterset(request.GET or None, queryset=queryset, request=request)
            queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else (
                queryset.none() if filterset.is_bound else queryset
            )
        export = request.GET.get("export")
        if export:
            if not request.user.has_perm("core.export_lists"):
                raise PermissionDenied
            if export == "xlsx":
                return export_table_response(self.table, queryset, request=request,
                                             filename=str(self.model._meta.verbose_name_plural))
            response = self.export(request, filterset, queryset)
            if response is not None:
                return response
        table = self.table(self.page_queryset(queryset), request=request)
        paginate = {"per_page": self.per_page, "paginator_class": CappedPaginator}
        if (request.GET.get("q") or "").strip() and self.model in search.registered_models():
            paginate["count_cap"] = search.search_limit()  # a search answers its newest matches only
        RequestConfig(request, paginate=paginate).configure(table)
        context = {
            **self.common_context(),
            "table": table,
            "filterset": filterset,
            "filter_form": filterset.form if filterset is not None else None,
            "add_url": self.optional_url("_add") if request.user.has_perm(permission_name(self.model, "add"))
            else None,
            "import_url": reverse(self.import_url_name) if self.import_url_name and request.user.has_perm(
                permission_name(self.model, "add")) else None,
            "can_export": request.user.has_perm("core.export_lists"),
            "extra_actions": self.extra_actions,
            "summary_template": self.summary_template,
            "summary": self.get_summary(queryset) if self.summary_template else None,
        }
        template = "core/includes/table_block.html" if request.htmx and request.htmx.target == "object-table" \
            else self.template_name
        return TemplateResponse(request, template, context)


class ObjectDetailView(ObjectViewMixin, BaseView):
    template_name: str | None = None
    history_limit = 10

    def get_template_names(self):
        if self.template_name:
            return [self.template_name]
        meta = self.model._meta
        return [f"{meta.app_label}/{meta.model_name}.html", "core/object_detail.html"]

    def get_object(self):
        return get_object_or_404(self.restricted("view"), pk=self.kwargs["pk"])

    def get_extra_context(self, obj) -> dict:
        """More context for the page; ``self.can_change`` says whether the user may change ``obj``."""
        return {}

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        self.can_change = self.queryset.restrict(request.user, "change").filter(pk=obj.pk).exists()
        context = {
            **self.common_context(),
            "object": obj,
            "can_change": self.can_change,
            "edit_url": self.optional_url("_edit", obj.pk) if self.can_change else None,
            "history_url": self.optional_url("_history", obj.pk),
            "history": history_rows(obj, limit=self.history_limit) if hasattr(obj, "history") else [],
            **self.get_extra_context(obj),
        }
        return TemplateResponse(request, self.get_template_names(), context)


class ObjectHistoryView(ObjectViewMixin, BaseView):
    template_name = "core/object_history.html"

    def get(self, request, *args, **kwargs):
        obj = get_object_or_404(self.restricted("view"), pk=self.kwargs["pk"])
        return TemplateResponse(request, self.template_name, {
            **self.common_context(), "object": obj, "history": history_rows(obj),
        })


class ObjectEditView(ObjectViewMixin, BaseView):
    """Create (no ``pk`` in the URL, needs ``add``) or edit (needs ``change`` and scope) one record.

    The form receives the user, so related-object choices are restricted to what the user may see.
    """

    form = None
    template_name = "core/object_edit.html"

    @property
    def action(self):  # type: ignore[override]
        return "change" if "pk" in self.kwargs else "add"

    def get_object(self):
        if "pk" in self.kwargs:
            return get_object_or_404(self.restricted("change"), pk=self.kwargs["pk"])
        return self.model()

    def get_initial(self) -> dict:
        return {k: v for k, v in self.request.GET.items() if k in self.form.base_fields}

    def render_form(self, obj, form, status=200):
        return TemplateResponse(self.request, self.template_name, {
            **self.common_context(), "object": obj, "form": form,
            "cancel_url": obj.get_absolute_url() if obj.pk else self.optional_url("_list"),
        }, status=status)

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.form(instance=obj, user=request.user, initial=self.get_initial() if not obj.pk else None)
        return self.render_form(obj, form)

    def save(self, form):
        return form.save()

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        created = obj.pk is None
        form = self.form(request.POST, request.FILES, instance=obj, user=request.user)
        if form.is_valid():
            try:
                with transaction.atomic():
                    obj = self.save(form)
            except ValidationError as exc:  # raised by a service called from save()
                apply_errors(form, exc)
            else:
                message = _("Created %(type)s “%(obj)s”.") if created else _("Saved %(type)s “%(obj)s”.")
                messages.success(request, message % {"type": self.model._meta.verbose_name, "obj": obj})
                return redirect(obj.get_absolute_url())
        return self.render_form(self.get_object() if not created else obj, form, status=400)


class ObjectActionView(BaseView):
    """A workflow step on one object: GET shows a small confirmation form, POST runs the service.

    Subclasses set ``queryset``, ``permission_required``, ``form_class`` (taking ``user=``), ``title`` and
    implement ``perform(obj, form)``, which calls the service and returns the success message. A
    ValidationError from the service re-shows the form with the errors (400); nothing is saved.
    """

    queryset = None
    form_class = None
    template_name = "core/object_action.html"
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


def object_or_404(queryset, user, action: str, **lookup):
    """For function-style views: the object if the user may ``action`` it, else 404."""
    try:
        return queryset.restrict(user, action).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None
