"""The surveys' daily job (systemd timer ``wuye-surveys``): for every open campaign, remind the households that have
not answered once the schedule's ``remind_after_days`` have passed since the launch or the last reminder; close the
campaigns whose last day is past.

Idempotent: a campaign is reminded at most once a day (``services.campaign_remind``) and only when its interval has
passed; a closed campaign is not closed again. ``--date`` runs as of another day (to catch up).
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.surveys import services
from wuye.surveys.choices import CampaignStatus
from wuye.surveys.models import Campaign, SurveySchedule


class Command(BaseCommand):
    help = "Remind households that have not answered open survey campaigns; close campaigns past their last day."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as of this day (YYYY-MM-DD); default today.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(_("Give the date as YYYY-MM-DD.")) from None
        every = dt.timedelta(days=SurveySchedule.current().remind_after_days)
        closed = reminded = 0
        campaigns = (Campaign.objects.filter(status=CampaignStatus.OPEN)
                     .annotate(last_reminded=Max("invitations__last_reminded_at")).order_by("starts_on", "pk"))
        for campaign in campaigns:
            if campaign.ends_on < today:
                services.campaign_close(actor=None, campaign=campaign)
                closed += 1
                self.stdout.write(_("%(number)s closed (its last day was %(date)s).") % {
                    "number": campaign.number, "date": f"{campaign.ends_on:%Y-%m-%d}"})
                continue
            since = campaign.last_reminded or campaign.opened_at
            if since is None or timezone.localdate(since) + every > today:
                continue
            count = services.campaign_remind(actor=None, campaign=campaign, today=today)
            reminded += count
            if count:
                self.stdout.write(_("%(number)s: %(count)s households reminded.") % {
                    "number": campaign.number, "count": count})
        self.stdout.write(_("%(closed)d campaigns closed, %(reminded)d households reminded.") % {
            "closed": closed, "reminded": reminded})
