"""The contracts' daily job (systemd timer ``wuye-contracts``): statuses by date (in force, expiring, expired),
preliminary contracts superseded when a service contract of their estate takes effect, renewal tasks, and the
expiry alerts 90, 60 and 30 days before the end (``DJANGO_CONTRACT_ALERT_DAYS``) to each contract's owner and the
managers.

Idempotent: running it again the same day changes nothing and sends nothing.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wuye.contracts.services import refresh


class Command(BaseCommand):
    help = "Move contracts on by their dates, open renewal tasks and send the expiry alerts (daily)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as of this day (YYYY-MM-DD), e.g. to catch up; default today.")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(_("Give the date as YYYY-MM-DD.")) from None
        counts = refresh(today=today)
        self.stdout.write(_("%(status)d contracts changed status, %(renewals)d renewal tasks opened, %(alerts)d "
                            "expiry alerts sent.") % counts)
