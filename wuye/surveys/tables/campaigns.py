"""Tables of the campaign lists (pages and Excel)."""

from __future__ import annotations

import django_tables2 as tables
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wuye.core.tables import BaseTable, ChoiceBadgeColumn

from ..models import Campaign, Invitation

STATUS_COLORS = {"draft": "secondary", "open": "success", "closed": "dark", "cancelled": "danger"}


def link_url(invitation: Invitation) -> str:
    """The household's personal link (absolute: it is printed and sent)."""
    return settings.WUYE_SITE_URL.rstrip("/") + invitation.get_link_path()


class EstatesColumn(tables.Column):
    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("estates"))
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("empty_values", ())
        super().__init__(**kwargs)

    def value(self, record):
        return "、".join(e.name for e in record.estates.all())

    def render(self, record):
        return self.value(record)


class CampaignTable(BaseTable):
    number = tables.Column(linkify=True, attrs={"td": {"class": "text-nowrap"}})
    name = tables.Column(linkify=True)
    version = tables.Column(verbose_name=_("questionnaire"))
    estates = EstatesColumn(accessor="pk")
    starts_on = tables.DateColumn(format="Y-m-d")
    ends_on = tables.DateColumn(format="Y-m-d")
    anonymous = tables.BooleanColumn()
    status = ChoiceBadgeColumn(colors=STATUS_COLORS)

    class Meta(BaseTable.Meta):
        model = Campaign
        fields = ("number", "name", "version", "estates", "starts_on", "ends_on", "target", "anonymous",
                  "channel_portal", "channel_link", "channel_staff", "status", "opened_at", "closed_at",
                  "cancel_reason")
        default_columns = ("number", "name", "version", "estates", "starts_on", "ends_on", "target", "anonymous",
                           "status")


class LinkColumn(tables.Column):
    """The personal link of a household that has not answered (shown only to those who may hand links out; never
    exported)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("personal link"))
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("empty_values", ())
        super().__init__(**kwargs)

    def render(self, record):
        if record.answered and not record.campaign.anonymous:
            return "—"
        url = link_url(record)
        return format_html('<input class="form-control form-control-sm invitation-link" readonly value="{}" '
                           'onclick="this.select()">', url)


class RenewColumn(tables.Column):
    """A button giving a household that lost its link a new one (htmx POST to ``surveys:invitation_renew``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", "")
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("empty_values", ())
        super().__init__(**kwargs)

    def render(self, record):
        if record.answered and not record.campaign.anonymous:
            return ""
        return format_html(
            '<button type="button" class="btn btn-sm btn-outline-secondary invitation-renew" hx-post="{}" '
            'hx-confirm="{}">{}</button>', reverse("surveys:invitation_renew", args=[record.pk]),
            _("The old link stops working. Give this household a new link?"), _("New link"))


class InvitationTable(BaseTable):
    unit = tables.Column(accessor="unit__code", verbose_name=_("household"), order_by=("unit__code",))
    estate = tables.Column(accessor="estate__name", verbose_name=_("estate"))
    answered = tables.BooleanColumn()
    reminders = tables.Column()
    last_reminded_at = tables.DateColumn(format="Y-m-d")
    expires_on = tables.DateColumn(format="Y-m-d")
    link = LinkColumn(accessor="pk")
    renew = RenewColumn(accessor="pk")

    class Meta(BaseTable.Meta):
        model = Invitation
        fields = ("unit", "estate", "answered", "reminders", "last_reminded_at", "expires_on", "link", "renew")
        default_columns = fields
        exclude_from_export = ("link", "renew")

    def __init__(self, *args, request=None, **kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.has_perm("surveys.change_invitation"):
            kwargs.setdefault("exclude", [])
            kwargs["exclude"] = [*kwargs["exclude"], "link", "renew"]
        super().__init__(*args, request=request, **kwargs)


class AnonymousInvitationTable(InvitationTable):
    """The households of an anonymous campaign: who has answered is not shown (nor the reminders, which stop when a
    household answers), so that no one can match a household with an answer by watching the list."""

    class Meta(InvitationTable.Meta):
        fields = ("unit", "estate", "expires_on", "link", "renew")
        default_columns = fields
        exclude = ("answered", "reminders", "last_reminded_at")
