"""The training app's daily job (systemd timer ``wuye-training``): sessions whose date has passed without an
attendance record are reminded to their trainer (a staff member with a login) and to the holders of
``training.receive_training_reminders`` (the manager, the administrator).

Idempotent: one reminder per session, user and day (``core.notifications.notify`` keys), so running it again the
same day sends nothing.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.training.services import training_remind


class Command(BaseCommand):
    help = "Remind the trainers and the manager of training sessions without an attendance record."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as of this day (YYYY-MM-DD), e.g. to catch up; default today.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(_("Give the date as YYYY-MM-DD.")) from None
        sent = training_remind(today=today)
        self.stdout.write(_("%(count)d reminders of training sessions without a record sent.") % {"count": sent})
