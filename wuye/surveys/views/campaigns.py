"""Pages of survey campaigns: the list, a campaign's page (its response rate per estate refreshed live), create and
edit a draft, its steps (launch, remind, close, cancel), its households with their personal links, the sheet of
links to print (PDF with QR codes), and the company's survey schedule."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.audit import audit
from wuye.core.forms import apply_errors
from wuye.core.pdf import PdfResponse, render_pdf
from wuye.core.querysets import restrict
from wuye.core.views import BaseView, ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView
from wuye.documents.forms import StepForm
from wuye.documents.labels import qr_svg
from wuye.documents.views.base import TableStepView

from .. import services
from ..choices import CampaignStatus
from ..filtersets.campaigns import AnonymousInvitationFilterSet, CampaignFilterSet, InvitationFilterSet
from ..forms.campaigns import CampaignForm, CancelForm, ScheduleForm
from ..models import Campaign, Invitation, SurveySchedule
from ..selectors.campaigns import response_rates
from ..tables.campaigns import AnonymousInvitationTable, CampaignTable, InvitationTable, link_url

CHANGE = "surveys.change_campaign"
LINKS_PDF_MAX = 2_000


class CampaignListView(ObjectListView):
    """The survey campaigns (filters: status, estate, year; Excel of the filtered list)."""

    queryset = Campaign.objects.select_related("version__questionnaire").prefetch_related("estates")
    filterset = CampaignFilterSet
    table = CampaignTable


def campaign_steps(campaign: Campaign, user) -> list[dict]:
    """The buttons of the steps ``user`` may take on ``campaign`` now (the services have the last word)."""
    steps = []
    if not user.has_perm(CHANGE):
        return steps

    def add(step, label, style="outline-primary"):
        steps.append({"step": step, "label": label, "style": style,
                      "url": reverse("surveys:campaign_step", args=[campaign.pk, step])})

    if campaign.status == CampaignStatus.DRAFT:
        add("launch", _("Launch"), "primary")
    if campaign.status == CampaignStatus.OPEN:
        add("remind", _("Remind households"))
        add("close", _("Close"), "outline-dark")
    if campaign.status in (CampaignStatus.DRAFT, CampaignStatus.OPEN):
        add("cancel", _("Cancel"), "outline-danger")
    return steps


class CampaignView(ObjectDetailView):
    queryset = Campaign.objects.select_related("version__questionnaire", "created_by")
    template_name = "surveys/campaign.html"

    def get_extra_context(self, campaign):
        user = self.request.user
        launched = campaign.status != CampaignStatus.DRAFT
        enter_url = None
        if (campaign.is_open and campaign.channel_staff and user.has_perm("surveys.add_response")):
            enter_url = reverse("surveys:response_add", args=[campaign.pk])
        return {
            "steps": campaign_steps(campaign, user),
            "edit_url": reverse("surveys:campaign_edit", args=[campaign.pk])
            if self.can_change and campaign.status == CampaignStatus.DRAFT else None,
            "rates": response_rates(campaign, user),
            "rates_url": reverse("surveys:campaign_rates", args=[campaign.pk]),
            "launched": launched,
            "households_url": reverse("surveys:invitation_list", args=[campaign.pk]) if launched else None,
            "links_url": reverse("surveys:campaign_links", args=[campaign.pk])
            if campaign.is_open and campaign.channel_link and user.has_perm("surveys.change_invitation") else None,
            "enter_url": enter_url,
            "questions": campaign.version.questions_in_order().count(),
        }


class CampaignRatesView(BaseView):
    """The response-rate table of a campaign (a fragment the campaign page reloads every 30 seconds)."""

    permission_required = "surveys.view_campaign"

    def get(self, request, pk):
        campaign = get_object_or_404(restrict(Campaign.objects.all(), request.user, "view"), pk=pk)
        return TemplateResponse(request, "surveys/campaign_rates.html", {
            "object": campaign, "rates": response_rates(campaign, request.user),
            "rates_url": reverse("surveys:campaign_rates", args=[campaign.pk])})


class CampaignAddView(ObjectEditView):
    queryset = Campaign.objects.all()
    form = CampaignForm

    def get_initial(self):
        today = timezone.localdate()
        initial = {"starts_on": today, "ends_on": today + dt.timedelta(days=30), "confidence": "0.95"}
        estates = self.request.GET.getlist("estate")
        if estates:
            initial["estates"] = [e for e in estates if e.isdigit()]
        return initial

    def save(self, form):
        return services.campaign_create(actor=self.request.user, **form.service_fields())


class CampaignEditView(ObjectEditView):
    queryset = Campaign.objects.all()
    form = CampaignForm

    def get_object(self):
        campaign = super().get_object()
        if campaign.status != CampaignStatus.DRAFT:
            raise PermissionDenied
        return campaign

    def get_initial(self):
        return {}

    def save(self, form):
        campaign = Campaign.objects.get(pk=form.instance.pk)
        return services.campaign_update(actor=self.request.user, campaign=campaign, **form.service_fields())


class CampaignHistoryView(ObjectHistoryView):
    queryset = Campaign.objects.all()


STEPS = {
    "launch": (gettext_lazy("Launch"), "primary", CHANGE, StepForm),
    "remind": (gettext_lazy("Remind households"), "primary", CHANGE, StepForm),
    "close": (gettext_lazy("Close"), "dark", CHANGE, StepForm),
    "cancel": (gettext_lazy("Cancel"), "danger", CHANGE, CancelForm),
}
SOURCES = {"launch": (CampaignStatus.DRAFT,), "remind": (CampaignStatus.OPEN,), "close": (CampaignStatus.OPEN,),
           "cancel": (CampaignStatus.DRAFT, CampaignStatus.OPEN)}


class CampaignStepView(TableStepView):
    queryset = Campaign.objects.select_related("version")
    steps = STEPS
    view_permission = "surveys.view_campaign"

    def notice(self, campaign):
        if campaign.status not in SOURCES[self.step]:
            return _("A campaign that is %(status)s cannot take this step.") % {
                "status": campaign.get_status_display()}
        return None

    def perform(self, campaign, form):
        user, step = self.request.user, self.step
        if step == "launch":
            campaign = services.campaign_launch(actor=user, campaign=campaign)
            invited = campaign.invitations.count()
            return _("%(number)s is open: %(count)s households invited.") % {"number": campaign.number,
                                                                               "count": invited}
        if step == "remind":
            count = services.campaign_remind(actor=user, campaign=campaign)
            return _("%(count)s households reminded.") % {"count": count}
        if step == "close":
            services.campaign_close(actor=user, campaign=campaign)
        else:
            services.campaign_cancel(actor=user, campaign=campaign, reason=form.cleaned_data["reason"])
        return _("%(step)s: %(campaign)s") % {"step": STEPS[step][0], "campaign": campaign.number}


def _visible_campaign(request, pk) -> Campaign:
    return get_object_or_404(restrict(Campaign.objects.select_related("version"), request.user, "view"), pk=pk)


class InvitationListView(ObjectListView):
    """A campaign's households: unit, estate, answered or not, reminders, link valid until; the personal links for
    those who hand them out (never in the Excel). In an anonymous campaign whether a household answered (and the
    reminders, which stop when it does) is neither shown nor filterable."""

    queryset = Invitation.objects.select_related("estate", "unit", "campaign")
    filterset = InvitationFilterSet
    table = InvitationTable
    permission_required = "surveys.view_campaign"
    template_name = "surveys/invitation_list.html"

    def get_queryset(self):
        self.campaign = _visible_campaign(self.request, self.kwargs["pk"])
        if self.campaign.anonymous:
            self.table, self.filterset = AnonymousInvitationTable, AnonymousInvitationFilterSet
        return super().get_queryset().filter(campaign=self.campaign)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if isinstance(response, TemplateResponse):
            response.context_data["campaign"] = self.campaign
            response.context_data["links_url"] = (
                reverse("surveys:campaign_links", args=[self.campaign.pk])
                if self.campaign.is_open and self.campaign.channel_link
                and request.user.has_perm("surveys.change_invitation") else None)
        return response


class InvitationRenewView(BaseView):
    """POST: a new personal link for a household that lost its own."""

    permission_required = "surveys.change_invitation"
    http_method_names = ["post"]

    def post(self, request, pk):
        invitation = get_object_or_404(restrict(Invitation.objects.select_related("campaign", "unit"), request.user,
                                                "change"), pk=pk)
        target = reverse("surveys:invitation_list", args=[invitation.campaign_id])
        try:
            with transaction.atomic():
                invitation = services.invitation_renew(actor=request.user, invitation=invitation)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
        else:
            messages.success(request, _("%(unit)s has a new link, valid until %(date)s.") % {
                "unit": invitation.unit.code, "date": f"{invitation.expires_on:%Y-%m-%d}"})
            status = None
        if getattr(request, "htmx", False):
            response = HttpResponse(status=200 if status is None else status)
            response["HX-Redirect"] = target
            return response
        return redirect(target)


class CampaignLinksView(BaseView):
    """A sheet (PDF) of the personal links of the households that have not answered: per household its unit, the
    link as text and as a QR code, to hand out or post. ``?estate=`` narrows it to one estate. An anonymous campaign's
    sheet holds every household whose link is valid (leaving out those who answered would tell who did)."""

    permission_required = "surveys.change_invitation"

    def get(self, request, pk):
        campaign = _visible_campaign(request, pk)
        if not campaign.is_open or not campaign.channel_link:
            raise Http404(_("This campaign hands out no personal links now."))
        today = timezone.localdate()
        invitations = Invitation.objects.filter(campaign=campaign, expires_on__gte=today)
        if not campaign.anonymous:
            invitations = invitations.filter(answered=False)
        invitations = (restrict(invitations, request.user, "change").select_related("estate", "unit")
                       .order_by("estate__name", "unit__code"))
        estate = request.GET.get("estate")
        if estate:
            if not estate.isdigit():
                raise Http404
            invitations = invitations.filter(estate_id=int(estate))
        rows = list(invitations[:LINKS_PDF_MAX + 1])
        if not rows:
            raise Http404(_("Every household has answered, or no link is valid."))
        if len(rows) > LINKS_PDF_MAX:
            messages.error(request, _("More than %(max)s households: print the links one estate at a time.")
                           % {"max": LINKS_PDF_MAX})
            return redirect(reverse("surveys:invitation_list", args=[campaign.pk]))
        items = [{"invitation": i, "url": link_url(i), "qr": qr_svg(link_url(i))} for i in rows]
        title = _("Survey links")
        pdf = render_pdf("surveys/links_pdf.html", {"title": title, "campaign": campaign, "items": items,
                                                     "today": today}, request=request)
        # the sheet's households are not named in the audit trail (anonymous campaigns)
        audit("surveys.links_printed", actor=request.user, obj=campaign, count=len(items))
        return PdfResponse(pdf, f"{title}-{campaign.number}-{timezone.localtime():%Y%m%d-%H%M}.pdf")


class ScheduleView(BaseView):
    """The company's survey schedule (how often, the low-score threshold, links, reminders)."""

    permission_required = "surveys.view_surveyschedule"

    def get(self, request):
        return TemplateResponse(request, "surveys/schedule.html", {
            "object": SurveySchedule.current(),
            "edit_url": reverse("surveys:schedule_edit")
            if request.user.has_perm("surveys.change_surveyschedule") else None})


class ScheduleEditView(BaseView):
    permission_required = "surveys.change_surveyschedule"

    def render(self, form, status=200):
        return TemplateResponse(self.request, "surveys/schedule_edit.html", {
            "form": form, "object": SurveySchedule.current(), "cancel_url": reverse("surveys:schedule")},
            status=status)

    def get(self, request):
        return self.render(ScheduleForm(instance=SurveySchedule.current(), user=request.user))

    def post(self, request):
        form = ScheduleForm(request.POST, instance=SurveySchedule.current(), user=request.user)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.schedule_update(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The survey schedule is saved."))
                return redirect("surveys:schedule")
        return self.render(form, status=400)


_steps = "|".join(map(re.escape, STEPS))
urlpatterns = [
    path("campaigns/", CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/add/", CampaignAddView.as_view(), name="campaign_add"),
    path("campaigns/<int:pk>/", CampaignView.as_view(), name="campaign"),
    path("campaigns/<int:pk>/edit/", CampaignEditView.as_view(), name="campaign_edit"),
    path("campaigns/<int:pk>/history/", CampaignHistoryView.as_view(), name="campaign_history"),
    path("campaigns/<int:pk>/rates/", CampaignRatesView.as_view(), name="campaign_rates"),
    re_path(rf"^campaigns/(?P<pk>\d+)/(?P<step>{_steps})/$", CampaignStepView.as_view(), name="campaign_step"),
    path("campaigns/<int:pk>/households/", InvitationListView.as_view(), name="invitation_list"),
    path("campaigns/<int:pk>/links/", CampaignLinksView.as_view(), name="campaign_links"),
    path("invitations/<int:pk>/renew/", InvitationRenewView.as_view(), name="invitation_renew"),
    path("schedule/", ScheduleView.as_view(), name="schedule"),
    path("schedule/edit/", ScheduleEditView.as_view(), name="schedule_edit"),
]
