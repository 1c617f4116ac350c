"""Remind borrowers and the document controller of paper loans past their end; run daily (systemd timer).

Idempotent: each overdue loan is reminded once, however often the command runs.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from wuye.documents.services import loans_remind


class Command(BaseCommand):
    help = "Remind borrowers, custodians and the document controller of overdue paper loans."

    def handle(self, *args, **options):
        sent = loans_remind()
        self.stdout.write(_("%(count)d loan reminders sent.") % {"count": sent})
