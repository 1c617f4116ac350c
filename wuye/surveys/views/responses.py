"""Pages of survey responses: the public personal link (a household answers on its phone, no login), the staff
entry of a phone call or paper form, the list of responses (Excel) and one response's answers.

Anonymity: the household (unit) appears only for a named campaign and only to holders of
``surveys.view_household_answers``; an anonymous response shows its estate and date, never a unit, a user or a time.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View

from wuye.core.forms import apply_errors
from wuye.core.querysets import restrict
from wuye.core.views import BaseView, ObjectDetailView, ObjectListView

from .. import services
from ..choices import Channel
from ..filtersets.responses import ResponseFilterSet
from ..forms.responses import AnswerForm, StaffEntryForm
from ..models import Campaign, Invitation, Response
from ..selectors.responses import HOUSEHOLD_PERMISSION, answer_rows, shows_household
from ..tables.responses import ResponseHouseholdTable, ResponseTable

# --- the public personal link ---------------------------------------------------------------------------------


class AnswerLinkView(View):
    """A household's personal link (``/surveys/s/<key>/``). Deliberately not a ``BaseView``: it needs no login — the
    one-time key in the URL is the credential (unguessable, 32 random bytes, valid until the invitation's date,
    refused once used). Unknown key: 404. Used, expired or closed: a page saying why, status 410 (Gone). No rate
    limit: a guessed key is as unlikely as a guessed password hash. The unit is not shown for anonymous campaigns."""

    template_name = "surveys/answer.html"
    closed_template = "surveys/answer_closed.html"

    def get_invitation(self, key):
        return get_object_or_404(Invitation.objects.select_related("campaign__version", "estate", "unit"), key=key)

    def render(self, invitation, form, status=200):
        return TemplateResponse(self.request, self.template_name, {
            "invitation": invitation, "campaign": invitation.campaign, "version": invitation.campaign.version,
            "form": form}, status=status)

    def closed(self, invitation, reason):
        return TemplateResponse(self.request, self.closed_template, {
            "invitation": invitation, "campaign": invitation.campaign, "version": invitation.campaign.version,
            "reason": reason}, status=410)

    def get(self, request, key):
        invitation = self.get_invitation(key)
        reason = services.invitation_unavailable(invitation, Channel.LINK)
        if reason:
            return self.closed(invitation, reason)
        return self.render(invitation, AnswerForm(version=invitation.campaign.version))

    def post(self, request, key):
        invitation = self.get_invitation(key)
        reason = services.invitation_unavailable(invitation, Channel.LINK)
        if reason:
            return self.closed(invitation, reason)
        form = AnswerForm(request.POST, version=invitation.campaign.version)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.response_submit(invitation=invitation, answers=form.cleaned_answers(),
                                             channel=Channel.LINK)
            except ValidationError as exc:
                invitation.refresh_from_db()
                reason = services.invitation_unavailable(invitation, Channel.LINK)
                if reason:  # answered meanwhile (a second tab, a double tap)
                    return self.closed(invitation, reason)
                apply_errors(form, exc)
            else:
                return redirect("surveys:answer_done", key=key)
        return self.render(invitation, form, status=400)


class AnswerDoneView(View):
    """The thank-you page after answering by link (public like the link itself; says nothing about the answers)."""

    def get(self, request, key):
        invitation = get_object_or_404(Invitation.objects.select_related("campaign__version"), key=key)
        if not invitation.answered:
            return redirect("surveys:answer", key=key)
        return TemplateResponse(request, "surveys/answer_done.html", {
            "campaign": invitation.campaign, "version": invitation.campaign.version})


# --- staff entry -------------------------------------------------------------------------------------------------


class ResponseAddView(BaseView):
    """Answers taken by phone or on a paper form, entered by staff for a household of the campaign in an estate
    they serve; the response is marked with its channel and who entered it."""

    permission_required = services.ENTER
    template_name = "surveys/response_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("surveys.view_campaign"):
            raise PermissionDenied  # residents hold add_response for the portal, not for this page
        return super().dispatch(request, *args, **kwargs)

    def get_campaign(self):
        return get_object_or_404(restrict(Campaign.objects.select_related("version"), self.request.user, "view"),
                                 pk=self.kwargs["pk"])

    def notice(self, campaign):
        if not campaign.is_open:
            return _("This survey is not open for answers.")
        if not campaign.channel_staff:
            return _("This survey does not take answers entered by staff.")
        return None

    def render(self, campaign, form, status=200):
        return TemplateResponse(self.request, self.template_name, {
            "campaign": campaign, "form": form, "notice": self.notice(campaign),
            "cancel_url": campaign.get_absolute_url(), "model": Response,
            "verbose_name": Response._meta.verbose_name}, status=status)

    def get(self, request, pk):
        campaign = self.get_campaign()
        return self.render(campaign, StaffEntryForm(campaign=campaign, user=request.user))

    def post(self, request, pk):
        campaign = self.get_campaign()
        form = StaffEntryForm(request.POST, campaign=campaign, user=request.user)
        if form.is_valid():
            invitation = form.cleaned_data["invitation"]
            try:
                with transaction.atomic():
                    services.response_submit(invitation=invitation, answers=form.cleaned_answers(),
                                             channel=form.cleaned_data["channel"], actor=request.user)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if campaign.anonymous:
                    messages.success(request, _("The answers have been saved (anonymous survey)."))
                else:
                    messages.success(request, _("The answers of %(unit)s have been saved.") % {
                        "unit": f"{invitation.estate.name} {invitation.unit.code}"})
                if "another" in request.POST:
                    return redirect("surveys:response_add", pk=campaign.pk)
                return redirect(campaign.get_absolute_url())
        return self.render(campaign, form, status=400)


# --- list and detail -----------------------------------------------------------------------------------------------


class ResponseListView(ObjectListView):
    """Every response the user may see (estates they serve); the household column only for holders of
    ``surveys.view_household_answers`` (and empty for anonymous campaigns), in the page and in the Excel."""

    queryset = Response.objects.select_related("campaign", "estate", "unit")
    filterset = ResponseFilterSet
    table = ResponseTable

    def get_queryset(self):
        if self.request.user.has_perm(HOUSEHOLD_PERMISSION):
            self.table = ResponseHouseholdTable
        return super().get_queryset()


class ResponseView(ObjectDetailView):
    queryset = Response.objects.select_related("campaign__version", "estate", "unit", "entered_by")
    template_name = "surveys/response.html"

    def get_extra_context(self, response):
        named = not response.campaign.anonymous
        return {
            "anonymous": not named,
            "show_household": shows_household(response, self.request.user),
            "answer_rows": answer_rows(response),
            "campaign_url": response.campaign.get_absolute_url(),
            "history_url": None,
        }


urlpatterns = [
    path("s/<str:key>/", AnswerLinkView.as_view(), name="answer"),
    path("s/<str:key>/done/", AnswerDoneView.as_view(), name="answer_done"),
    path("campaigns/<int:pk>/enter/", ResponseAddView.as_view(), name="response_add"),
    path("responses/", ResponseListView.as_view(), name="response_list"),
    path("responses/<int:pk>/", ResponseView.as_view(), name="response"),
]
