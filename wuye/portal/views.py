"""The owner portal (业主端): a resident's homes and tickets, filing a request, following it, rating it.

Every page is a ``PortalView``: residents only (staff get 403). What a resident sees comes from ``restrict()``
(their household's tickets, public notes and files); out-of-scope tickets answer 404. Every write goes through
``tickets.services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from wuye.core.forms import apply_errors
from wuye.core.querysets import restrict
from wuye.tickets import services
from wuye.tickets.choices import FINAL_STATUSES, NoteVisibility, TicketKind, TicketStatus
from wuye.tickets.models import Attachment, ProgressNote, Ticket

from .access import PortalView
from .forms import RateForm, TicketSubmitForm, resident_units

S = TicketStatus

# The road a request travels, as the resident sees it, with the time each station was reached.
FLOW = [
    (S.SUBMITTED, "reported_at"),
    (S.ACCEPTED, "accepted_at"),
    (S.ASSIGNED, "assigned_at"),
    (S.IN_PROGRESS, "started_at"),
    (S.RESOLVED, "resolved_at"),
    (S.CALLED_BACK, "called_back_at"),
    (S.CLOSED, "closed_at"),
]
# A reopened ticket is back at the department: it stands where an accepted one does.
POSITION = {status: i for i, (status, _field) in enumerate(FLOW)} | {S.REOPENED: 1}



def progress(ticket: Ticket) -> dict:
    """The stations of the ticket's road: done, current or ahead, and the share of the road travelled."""
    position = POSITION.get(ticket.status)
    if position is None:  # cancelled: no road
        return {"steps": [], "percent": 0}
    steps = []
    for i, (status, field) in enumerate(FLOW):
        steps.append({"status": status, "label": S(status).label, "at": getattr(ticket, field) if i <= position
                      else None, "done": i < position, "current": i == position})
    return {"steps": steps, "percent": round(100 * position / (len(FLOW) - 1))}


def ticket_queryset(user):
    # restrict() as a function: Ticket's own queryset class does not (yet) carry the .restrict() method.
    return restrict(Ticket.objects.select_related("unit", "category"), user, "view")


class HomeView(PortalView):
    """My homes, my household's tickets in progress, and the history, newest first."""

    permission_required = "tickets.view_ticket"
    template_name = "portal/home.html"
    history_per_page = 20

    def get(self, request):
        tickets = ticket_queryset(request.user).order_by("-reported_at", "-id")
        history = Paginator(tickets.filter(status__in=FINAL_STATUSES), self.history_per_page).get_page(
            request.GET.get("page"))
        customer = getattr(request.user, "customer", None)
        return TemplateResponse(request, self.template_name, {
            "greeting_name": customer.name if customer else request.user.get_full_name() or request.user.username,
            "units": resident_units(request.user),
            "current": list(tickets.exclude(status__in=FINAL_STATUSES)),
            "history": history,
        })


class TicketAddView(PortalView):
    """报修 / 投诉: one of my homes, what kind, a category, what and where, photos."""

    permission_required = "tickets.add_ticket"
    template_name = "portal/ticket_form.html"

    def render(self, form, status=200):
        return TemplateResponse(self.request, self.template_name, {"form": form}, status=status)

    def get(self, request):
        kind = request.GET.get("kind")
        initial = {"kind": kind} if kind in TicketKind.values else {}
        return self.render(TicketSubmitForm(user=request.user, initial=initial))

    def post(self, request):
        form = TicketSubmitForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    ticket = services.ticket_submit(
                        actor=request.user, unit=data["unit"], kind=data["kind"], category=data["category"],
                        title=data["title"], description=data["description"], location=data["location"],
                        files=data["files"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Thank you. Your request %(number)s has been sent to the service "
                                            "centre.") % {"number": ticket.number})
                return redirect("portal:ticket", pk=ticket.pk)
        return self.render(form, status=400)


class TicketView(PortalView):
    """Follow one ticket: where it stands, public progress notes and files, the handler, the result, rating."""

    permission_required = "tickets.view_ticket"
    template_name = "portal/ticket.html"

    def get_ticket(self, pk):
        queryset = ticket_queryset(self.request.user).select_related("unit__estate", "assignee", "department")
        return get_object_or_404(queryset, pk=pk)

    def render(self, ticket, rate_form=None, status=200):
        user = self.request.user
        # restrict() gives a resident only public notes and files; the portal asks for public ones explicitly
        # too, so a change of scope rules can never put an internal note on this page.
        notes = (ProgressNote.objects.restrict(user, "view")
                 .filter(ticket=ticket, visibility=NoteVisibility.PUBLIC).order_by("noted_at", "id"))
        files = (Attachment.objects.restrict(user, "view")
                 .filter(ticket=ticket, visibility=NoteVisibility.PUBLIC).order_by("created_at", "id"))
        can_rate = ticket.status == S.RESOLVED
        return TemplateResponse(self.request, self.template_name, {
            "ticket": ticket,
            "progress": progress(ticket),
            "notes": list(notes),
            "files": list(files),
            "can_rate": can_rate,
            "rate_form": rate_form or (RateForm(user=user) if can_rate else None),
        }, status=status)

    def get(self, request, pk):
        return self.render(self.get_ticket(pk))


class TicketRateView(TicketView):
    """The customer's own rating of a resolved ticket (counts as its callback)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        ticket = self.get_ticket(pk)
        form = RateForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.ticket_rate(actor=request.user, ticket=ticket,
                                         satisfaction=form.cleaned_data["satisfaction"],
                                         comment=form.cleaned_data["comment"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Thank you for your rating."))
                return redirect("portal:ticket", pk=ticket.pk)
        return self.render(ticket, rate_form=form, status=400)
