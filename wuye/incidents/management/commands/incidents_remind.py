"""The incidents app's daily job (systemd timer ``wuye-incidents``): the managers are reminded of every incident
still open 30 days after it was reported.

Idempotent: one reminder per incident (``core.notifications.notify`` keys), so running it again sends nothing.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.incidents.services import incidents_remind


class Command(BaseCommand):
    help = "Remind the managers of incidents still open 30 days after they were reported."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as of this day (YYYY-MM-DD), e.g. to catch up; default today.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(_("Give the date as YYYY-MM-DD.")) from None
        sent = incidents_remind(today=today)
        self.stdout.write(_("%(count)d reminders of open incidents sent.") % {"count": sent})
