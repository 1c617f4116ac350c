"""Customer surveys on the owner portal: the home page lists the open invitations of the resident's household
(campaigns with the portal channel, not answered, link not expired); ``portal:survey_answer`` answers one with the
channel "portal" through ``surveys.services.response_submit``. Another household's invitation answers 404
(``restrict()``: ``Invitation.resident_scope``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from wuye.core.forms import apply_errors
from wuye.core.querysets import restrict
from wuye.surveys import services
from wuye.surveys.choices import Channel
from wuye.surveys.forms.responses import AnswerForm
from wuye.surveys.models import Invitation
from wuye.surveys.selectors.responses import open_portal_invitations

from .access import PortalView
from .views import HomeView


class HomeWithSurveysView(HomeView):
    """The portal home with a "surveys waiting for you" block (the invitations the resident can answer now)."""

    def get(self, request):
        response = super().get(request)
        response.context_data["surveys"] = list(open_portal_invitations(request.user)) if request.user.has_perm(
            "surveys.view_invitation") else []
        return response


class SurveyAnswerView(PortalView):
    """Answer one survey of my household on the portal (one question per card, phone first)."""

    permission_required = "surveys.add_response"
    template_name = "portal/survey_answer.html"

    def get_invitation(self, pk):
        queryset = restrict(Invitation.objects.select_related("campaign__version", "estate", "unit"),
                            self.request.user, "view")
        return get_object_or_404(queryset, pk=pk)

    def render(self, invitation, form, reason=None, status=200):
        return TemplateResponse(self.request, self.template_name, {
            "invitation": invitation, "campaign": invitation.campaign, "version": invitation.campaign.version,
            "form": form, "reason": reason}, status=status)

    def get(self, request, pk):
        invitation = self.get_invitation(pk)
        reason = services.invitation_unavailable(invitation, Channel.PORTAL)
        if reason:
            return self.render(invitation, None, reason, status=410)
        return self.render(invitation, AnswerForm(version=invitation.campaign.version))

    def post(self, request, pk):
        invitation = self.get_invitation(pk)
        reason = services.invitation_unavailable(invitation, Channel.PORTAL)
        if reason:
            return self.render(invitation, None, reason, status=410)
        form = AnswerForm(request.POST, version=invitation.campaign.version)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.response_submit(invitation=invitation, answers=form.cleaned_answers(),
                                             channel=Channel.PORTAL, actor=request.user)
            except ValidationError as exc:
                invitation.refresh_from_db()
                reason = services.invitation_unavailable(invitation, Channel.PORTAL)
                if reason:
                    return self.render(invitation, None, reason, status=410)
                apply_errors(form, exc)
            else:
                messages.success(request, _("Thank you for your answers to “%(title)s”.") % {
                    "title": invitation.campaign.version.title})
                return redirect("portal:home")
        return self.render(invitation, form, status=400)
