"""The quality system's daily job (systemd timer ``wuye-quality``): reminders of corrective actions past their due
date (to the action's owner and the holders of ``quality.receive_quality_reminders``), of a management review that
is due (the last one held more than 12 months ago, seed 1.9) and of review and meeting action items past due.

Idempotent: each reminder goes out once per object and due date (``core.notifications.notify`` keys), so running
it again the same day sends nothing.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.quality.services import corrective_actions_remind, reviews_remind


class Command(BaseCommand):
    help = "Send the quality system's reminders: overdue corrective actions, review due, overdue action items."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as of this day (YYYY-MM-DD), e.g. to catch up; default today.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(_("Give the date as YYYY-MM-DD.")) from None
        actions = corrective_actions_remind(today=today)
        reviews = reviews_remind(today=today)
        self.stdout.write(_("%(actions)d reminders of overdue corrective actions, %(reviews)d of reviews and action "
                            "items sent.") % {"actions": actions, "reviews": reviews})
