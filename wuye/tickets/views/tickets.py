"""The agent's working day: the ticket list, the ticket page with its steps, notes and files, the intake page
for a phone call, and the permission-checked download of attachments.

Ticket pages are staff pages: residents follow their tickets on the portal (``wuye.portal``) and get 403
here, except for attachment downloads, which ``restrict()`` narrows to the public files of their own tickets.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wuye.core.forms import apply_errors
from wuye.core.personal import may_view_personal_data
from wuye.core.querysets import restrict
from wuye.core.scope import user_scope
from wuye.core.views import BaseView, ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView
from wuye.core.views.personal import RevealPersonalDataView
from wuye.estates import selectors as estate_selectors
from wuye.estates.models import Customer, Unit

from .. import hooks, selectors, services
from ..choices import Step
from ..filtersets import TicketFilterSet
from ..forms import (
    AttachForm,
    ComplaintAnalysisForm,
    NonconformityForm,
    NoteForm,
    TicketEditForm,
    TicketIntakeForm,
    step_form_class,
)
from ..models import Attachment, TicketCategory, TicketSettings
from ..tables import TicketTable
from ..workflow import TRANSITIONS, available_steps, blocked_reason, can_take

# what the queue's table reads (``TicketTable.fast_row`` and its django-tables2 columns)
QUEUE_FIELDS = ("number", "kind", "priority", "title", "status", "reported_at", "resolution_due", "is_overdue",
                "queue_rank", "estate__name", "unit__code", "assignee__name", "assignee__employee_no")
# The ticket page's related rows: the five it always shows in one query with the ticket, the others read by
# primary key afterwards. Ten joins in one query cost PostgreSQL's planner 3–5 ms (it orders the joins); four small
# queries cost about 1.5 ms.
DETAIL_RELATED = ("estate", "unit", "customer", "category", "assignee")
DETAIL_PREFETCH = ("assignee__department", "department", "responsible_department", "created_by")


class StaffPageMixin:
    """Ticket pages are for staff: a resident is refused (403) and uses the portal instead."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and user_scope(request.user).is_resident:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def visible_ticket(request, pk, *related):
    """The ticket if the user may see it (its estate is theirs), else 404."""
    qs = restrict(selectors.tickets(), request.user, "view")
    qs = qs.select_related(*related) if related else qs.select_related(*DETAIL_RELATED).prefetch_related(
        *DETAIL_PREFETCH)
    return get_object_or_404(qs, pk=pk)


# --- list and page --------------------------------------------------------------------------------------------


class TicketListView(StaffPageMixin, ObjectListView):
    """Urgent complaints first, then overdue tickets, then the newest (unless the user sorts by a column)."""

    queryset = selectors.tickets().select_related(*selectors.LIST_RELATED)
    per_page = 25  # a working queue: what needs doing first fits one screen (and renders in half the time)
    filterset = TicketFilterSet
    table = TicketTable
    template_name = "tickets/ticket_list.html"

    def get_queryset(self):
        return selectors.queue_ordered(super().get_queryset())

    def page_queryset(self, queryset):
        # the queue's columns only: a ticket row has some sixty columns, the page shows ten
        return queryset.select_related(None).select_related("estate", "unit", "assignee").only(*QUEUE_FIELDS)


class TicketView(StaffPageMixin, ObjectDetailView):
    queryset = selectors.tickets().select_related(*DETAIL_RELATED).prefetch_related(*DETAIL_PREFETCH)
    template_name = "tickets/ticket.html"
    history_limit = 5

    def get_extra_context(self, ticket):
        user = self.request.user
        steps = available_steps(ticket, user)
        blocked = [{"label": t.label, "reason": blocked_reason(ticket, t.step)} for t in TRANSITIONS.values()
                   if ticket.status in t.sources and user.has_perm(t.permission)
                   and blocked_reason(ticket, t.step) is not None]
        open_for_work = not ticket.is_final
        attachments = list(Attachment.objects.restrict(user, "view").filter(ticket=ticket).order_by("created_at"))
        return {
            "steps": [{"step": t.step, "label": t.label, "style": t.style,
                       "url": reverse("tickets:ticket_step", args=[ticket.pk, t.step])} for t in steps],
            "blocked": blocked,
            "deadlines": ticket.deadlines(),
            "timeline": selectors.ticket_timeline(user=user, ticket=ticket),
            "photos": [a for a in attachments if a.is_image],
            "files": [a for a in attachments if not a.is_image],
            "can_reveal": may_view_personal_data(user),
            "can_edit": self.can_change and open_for_work,
            "edit_url": reverse("tickets:ticket_edit", args=[ticket.pk]) if self.can_change and open_for_work
            else None,
            "can_note": open_for_work and user.has_perm("tickets.add_progressnote"),
            "can_attach": open_for_work and user.has_perm("tickets.add_attachment"),
            "can_analyse": ticket.is_complaint and open_for_work and user.has_perm("tickets.handle_ticket"),
            "can_raise_nonconformity": ticket.is_complaint and hooks.nonconformity_available()
            and user.has_perm(NONCONFORMITY_PERMISSION),
            "note_form": NoteForm(user=user),
        }


class TicketHistoryView(StaffPageMixin, ObjectHistoryView):
    queryset = selectors.tickets()


class TicketRevealView(RevealPersonalDataView):
    queryset = selectors.tickets()


# --- forms on one ticket ------------------------------------------------------------------------------------


class TicketFormView(StaffPageMixin, BaseView):
    """A form about one ticket: GET shows it (a fragment for the page's modal when asked by htmx), POST calls
    the service. A stale ``version`` is reported (409) and changes nothing; other refusals re-show the form
    with the service's message (400)."""

    form_class = None
    template_name = "tickets/ticket_form_page.html"
    fragment_template = "tickets/includes/ticket_form.html"
    button_class = "btn-primary"
    multipart = False

    def get_ticket(self):
        return visible_ticket(self.request, self.kwargs["pk"])

    def get_form_class(self):
        return self.form_class

    def make_form(self, ticket, data=None, files=None):
        return self.get_form_class()(data, files, user=self.request.user, ticket=ticket)

    def get_title(self, ticket) -> str:
        raise NotImplementedError

    def get_notice(self, ticket) -> str | None:
        """Why the form cannot be used now (shown instead of the submit button), or None."""
        return None

    def render(self, ticket, form, status=200, changed=False):
        modal = bool(self.request.htmx) and self.request.method == "GET"
        return TemplateResponse(self.request, self.fragment_template if modal else self.template_name, {
            "modal": modal,
            "object": ticket, "ticket": ticket, "form": form, "title": self.get_title(ticket),
            "button_class": self.button_class, "notice": self.get_notice(ticket), "changed": changed,
            "multipart": self.multipart, "action": self.request.path, "cancel_url": ticket.get_absolute_url(),
        }, status=status)

    def get(self, request, *args, **kwargs):
        ticket = self.get_ticket()
        return self.render(ticket, self.make_form(ticket))

    def post(self, request, *args, **kwargs):
        ticket = self.get_ticket()
        form = self.make_form(ticket, request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    message = self.perform(ticket, form)
            except services.TicketChanged as exc:
                form.add_error(None, exc)
                return self.render(visible_ticket(request, ticket.pk), form, status=409, changed=True)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, message)
                return redirect(ticket.get_absolute_url())
        return self.render(ticket, form, status=400)

    def perform(self, ticket, form) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


STEP_SERVICES = {
    Step.ACCEPT: services.ticket_accept,
    Step.ASSIGN: services.ticket_assign,
    Step.START: services.ticket_start,
    Step.RESOLVE: services.ticket_resolve,
    Step.CALLBACK: services.ticket_callback,
    Step.CLOSE: services.ticket_close,
    Step.REOPEN: services.ticket_reopen,
    Step.CANCEL: services.ticket_cancel,
}


class TicketStepView(TicketFormView):
    """One lifecycle step (accept, assign, start, resolve, callback, close, reopen, cancel)."""

    def get_permission_required(self):
        # The URL only matches the steps of TRANSITIONS; anything else (a check without a request) needs the
        # permission to change tickets.
        transition = TRANSITIONS.get(self.kwargs.get("step"))
        return transition.permission if transition is not None else "tickets.change_ticket"

    @property
    def transition(self):
        return TRANSITIONS[self.kwargs["step"]]

    @property
    def button_class(self):
        return f"btn-{self.transition.style}"

    def get_form_class(self):
        return step_form_class(self.kwargs["step"])

    def get_title(self, ticket):
        return str(self.transition.label)

    def get_notice(self, ticket):
        step = self.kwargs["step"]
        if can_take(ticket, self.request.user, step):
            return None
        reason = blocked_reason(ticket, step)
        if reason:
            return str(reason)
        return _("A ticket that is %(status)s cannot be given the step “%(step)s”.") % {
            "status": ticket.get_status_display(), "step": self.transition.label}

    def perform(self, ticket, form):
        step = self.kwargs["step"]
        STEP_SERVICES[step](actor=self.request.user, ticket=ticket, **form.service_kwargs())
        return _("%(step)s: %(number)s") % {"step": self.transition.label, "number": ticket.number}


class TicketAnalysisView(TicketFormView):
    """The complaint analysis: valid or not (有效投诉), responsible department, cause, measures."""

    permission_required = "tickets.handle_ticket"
    form_class = ComplaintAnalysisForm

    def get_ticket(self):
        ticket = super().get_ticket()
        if not ticket.is_complaint:
            raise Http404
        return ticket

    def get_title(self, ticket):
        return _("Complaint analysis")

    def get_notice(self, ticket):
        return _("A closed or cancelled ticket cannot be changed.") if ticket.is_final else None

    def perform(self, ticket, form):
        services.complaint_analyse(actor=self.request.user, ticket=ticket, version=form.cleaned_data["version"],
                                   **form.analysis())
        return _("Complaint analysis saved: %(number)s") % {"number": ticket.number}


class TicketNoteAddView(TicketFormView):
    permission_required = "tickets.add_progressnote"
    form_class = NoteForm
    multipart = True

    def get_title(self, ticket):
        return _("Add a progress note")

    def get_notice(self, ticket):
        return _("A closed or cancelled ticket takes no more notes.") if ticket.is_final else None

    def perform(self, ticket, form):
        data = form.cleaned_data
        services.note_add(actor=self.request.user, ticket=ticket, body=data["body"], visibility=data["visibility"],
                          files=data.get("files") or [])
        return _("Progress note added: %(number)s") % {"number": ticket.number}


class TicketAttachView(TicketFormView):
    permission_required = "tickets.add_attachment"
    form_class = AttachForm
    multipart = True

    def get_title(self, ticket):
        return _("Add photos and files")

    def get_notice(self, ticket):
        return _("A closed or cancelled ticket takes no more files.") if ticket.is_final else None

    def perform(self, ticket, form):
        data = form.cleaned_data
        added = services.attachment_add(actor=self.request.user, ticket=ticket, files=data["files"],
                                        visibility=data["visibility"])
        return _("%(count)s file(s) added: %(number)s") % {"count": len(added), "number": ticket.number}


NONCONFORMITY_PERMISSION = "tickets.handle_ticket"


@method_decorator(require_POST, name="dispatch")
class TicketNonconformityView(StaffPageMixin, BaseView):
    """Hand a complaint to the quality app as a nonconformity (only when that app is installed)."""

    permission_required = NONCONFORMITY_PERMISSION

    def post(self, request, pk):
        ticket = visible_ticket(request, pk)
        if not hooks.nonconformity_available():
            messages.error(request, _("The quality module is not installed."))
            return redirect(ticket.get_absolute_url())
        form = NonconformityForm(request.POST, user=request.user)
        form.is_valid()
        try:
            result = services.ticket_raise_nonconformity(actor=request.user, ticket=ticket,
                                                         description=form.cleaned_data.get("description", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(ticket.get_absolute_url())
        messages.success(request, _("Nonconformity raised: %(obj)s") % {"obj": result})
        url = getattr(result, "get_absolute_url", None)
        return redirect(url() if callable(url) else ticket.get_absolute_url())


class TicketEditView(StaffPageMixin, ObjectEditView):
    """Correct a ticket's details (service ``ticket_update``, with the version the user saw)."""

    queryset = selectors.tickets().select_related("estate", "unit", "customer")
    form = TicketEditForm

    def get_object(self):
        ticket = super().get_object()
        if ticket.is_final:
            raise PermissionDenied
        return ticket

    def get_initial(self):
        return {}

    def save(self, form):
        return services.ticket_update(actor=self.request.user, ticket=form.instance,
                                      version=form.cleaned_data["version"], **form.service_fields())


# --- attachments --------------------------------------------------------------------------------------------


class AttachmentView(BaseView):
    """Streams one file through ``restrict()``: staff of the ticket's estate get every file, a resident only the
    public files of their own tickets (404 otherwise). Never through MEDIA_URL. Photos open in the browser
    (``?download=1`` saves them); other files are always downloaded."""

    permission_required = "tickets.view_attachment"

    def get(self, request, pk):
        attachment = get_object_or_404(Attachment.objects.restrict(request.user, "view"), pk=pk)
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
        inline = attachment.is_image and not request.GET.get("download")
        response = FileResponse(handle, as_attachment=not inline, filename=attachment.name,
                                content_type=attachment.content_type or "application/octet-stream")
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
        response["Cache-Control"] = "private, max-age=3600"
        return response


# --- intake -------------------------------------------------------------------------------------------------


def _caller_context(request, customer, unit=None) -> dict:
    """The caller's current units and open tickets (a unit given, or the only current one, is preselected)."""
    occupancies = getattr(customer, "current_occupancies", None)
    if occupancies is None:
        customer = (Customer.objects.filter(pk=customer.pk).select_related("estate")
                    .prefetch_related(estate_selectors.current_occupancies_prefetch()).get())
        occupancies = customer.current_occupancies
    units = [o.unit for o in occupancies]
    if unit is None and len(units) == 1:
        unit = units[0]
    return {
        "caller": customer,
        "caller_units": units,
        "caller_unit": unit,
        "caller_tickets": selectors.open_tickets_of(user=request.user, customer=customer, unit=unit),
    }


def _prefill(customer, unit) -> dict:
    initial = {}
    if customer is not None:
        initial.update(customer=customer.pk, estate=customer.estate_id, contact_name=customer.name)
    if unit is not None:
        initial.update(estate=unit.estate_id, unit_code=unit.code)
    return initial


def _visible(model, user, pk):
    if not str(pk or "").isdigit():
        return None
    return model.objects.restrict(user, "view").filter(pk=pk).first()


class IntakeMixin(StaffPageMixin):
    permission_required = "tickets.add_ticket"


class TicketAddView(IntakeMixin, BaseView):
    """A new ticket while the phone rings: find the caller (phone tail, unit number, name), pick them, see
    their open tickets; the form gets the customer, unit and estate. Before saving, open tickets of the same
    unit and category in the duplicate window are shown. Works without JavaScript: the lookup is a GET form,
    picking a caller is a link, and a suspected duplicate is shown after the first submit."""

    template_name = "tickets/ticket_add.html"

    def caller(self):
        request = self.request
        customer = _visible(Customer, request.user, request.GET.get("customer"))
        unit = _visible(Unit, request.user, request.GET.get("unit"))
        if customer is not None and unit is not None and unit.estate_id != customer.estate_id:
            unit = None
        return customer, unit

    def render(self, form, *, caller=None, duplicates=None, lookup=None, status=200):
        request = self.request
        q = (request.GET.get("q") or "").strip()
        if lookup is None and q:
            lookup = estate_selectors.customer_lookup(user=request.user, q=q)
        context = {"form": form, "q": q, "duplicates": duplicates, "lookup": lookup, **(caller or {}),
                   "window_hours": TicketSettings.current().duplicate_window_hours}
        return TemplateResponse(request, self.template_name, context, status=status)

    def get(self, request):
        customer, unit = self.caller()
        q = (request.GET.get("q") or "").strip()
        lookup = estate_selectors.customer_lookup(user=request.user, q=q) if q else None
        if customer is None and lookup is not None and lookup.single is not None:
            customer = lookup.single  # Enter with exactly one match picks the caller
        caller = self.caller_of(customer, unit)
        form = TicketIntakeForm(user=request.user, initial=_prefill(customer, caller.get("caller_unit")),
                                customer=customer)
        return self.render(form, caller=caller, lookup=lookup)

    def post(self, request):
        customer = _visible(Customer, request.user, request.POST.get("customer"))
        form = TicketIntakeForm(request.POST, request.FILES, user=request.user, customer=customer)
        if form.is_valid():
            data = form.cleaned_data
            duplicates = []
            if not data.get("allow_duplicate"):
                duplicates = list(restrict(selectors.duplicate_candidates(
                    unit=data.get("unit"), category=data.get("category"), since=duplicate_since()),
                    request.user, "view")[:10])
            if duplicates:
                return self.render(form, caller=self.caller_of(data.get("customer"), data.get("unit")),
                                   duplicates=duplicates)
            try:
                with transaction.atomic():
                    ticket = services.ticket_create(actor=request.user, **form.service_kwargs())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Ticket %(number)s created.") % {"number": ticket.number})
                return redirect(ticket.get_absolute_url())
        return self.render(form, caller=self.caller_of(customer, None), status=400)

    def caller_of(self, customer, unit):
        return _caller_context(self.request, customer, unit) if customer is not None else {}


def duplicate_since():
    return timezone.now() - dt.timedelta(hours=TicketSettings.current().duplicate_window_hours)


class TicketAddLookupView(IntakeMixin, BaseView):
    """As-you-type caller lookup for the intake page (an htmx fragment)."""

    def get(self, request):
        q = (request.GET.get("q") or "").strip()
        return TemplateResponse(request, "tickets/includes/intake_lookup.html", {
            "q": q, "lookup": estate_selectors.customer_lookup(user=request.user, q=q) if q else None})


class TicketAddCallerView(IntakeMixin, BaseView):
    """The picked caller (an htmx fragment): their units and open tickets; the form's place fields are
    replaced out of band with the caller's customer, estate, unit and name."""

    def get(self, request):
        customer = _visible(Customer, request.user, request.GET.get("customer"))
        if customer is None:
            raise Http404
        unit = _visible(Unit, request.user, request.GET.get("unit"))
        if unit is not None and unit.estate_id != customer.estate_id:
            unit = None
        context = _caller_context(request, customer, unit)
        form = TicketIntakeForm(user=request.user, initial=_prefill(customer, context["caller_unit"]),
                                customer=customer)
        response = TemplateResponse(request, "tickets/includes/intake_caller.html", {**context, "form": form,
                                                                                       "oob": True})
        response["HX-Trigger-After-Settle"] = "intake-place-changed"
        return response


class TicketDuplicatesView(IntakeMixin, BaseView):
    """Duplicate suspicion for the intake page (an htmx fragment): open tickets of the same unit and category
    reported within the duplicate window."""

    def get(self, request):
        from wuye.estates.models import Estate
        from wuye.estates.services import unit_by_code

        estate = _visible(Estate, request.user, request.GET.get("estate"))
        category = TicketCategory.objects.filter(pk=request.GET.get("category") or 0).first() \
            if str(request.GET.get("category") or "").isdigit() else None
        unit = None
        if estate is not None and request.GET.get("unit_code"):
            unit = unit_by_code(user=request.user, estate=estate, code=request.GET["unit_code"])
        duplicates = []
        if unit is not None and category is not None:
            duplicates = list(restrict(selectors.duplicate_candidates(unit=unit, category=category,
                                                                      since=duplicate_since()),
                                       request.user, "view")[:10])
        return TemplateResponse(request, "tickets/includes/intake_duplicates.html", {
            "duplicates": duplicates, "checked": unit is not None and category is not None,
            "window_hours": TicketSettings.current().duplicate_window_hours})


def _step_pattern():
    return "|".join(TRANSITIONS)


urlpatterns = [
    path("", TicketListView.as_view(), name="ticket_list"),
    path("new/", TicketAddView.as_view(), name="ticket_add"),
    path("new/lookup/", TicketAddLookupView.as_view(), name="ticket_add_lookup"),
    path("new/caller/", TicketAddCallerView.as_view(), name="ticket_add_caller"),
    path("new/duplicates/", TicketDuplicatesView.as_view(), name="ticket_duplicates"),
    path("<int:pk>/", TicketView.as_view(), name="ticket"),
    path("<int:pk>/edit/", TicketEditView.as_view(), name="ticket_edit"),
    path("<int:pk>/history/", TicketHistoryView.as_view(), name="ticket_history"),
    path("<int:pk>/analysis/", TicketAnalysisView.as_view(), name="ticket_analysis"),
    path("<int:pk>/notes/add/", TicketNoteAddView.as_view(), name="ticket_note_add"),
    path("<int:pk>/attach/", TicketAttachView.as_view(), name="ticket_attach"),
    path("<int:pk>/nonconformity/", TicketNonconformityView.as_view(), name="ticket_nonconformity"),
    path("<int:pk>/reveal/<str:field>/", TicketRevealView.as_view(), name="ticket_reveal"),
    re_path(rf"^(?P<pk>\d+)/(?P<step>{_step_pattern()})/$", TicketStepView.as_view(), name="ticket_step"),
    path("attachments/<int:pk>/", AttachmentView.as_view(), name="attachment"),
]
