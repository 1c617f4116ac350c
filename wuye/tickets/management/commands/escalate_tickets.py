"""Mark tickets past a time limit as overdue and notify; run every few minutes (systemd timer, cron or beat).

Idempotent: running it twice in a row notifies nobody the second time.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from wuye.tickets.services import tickets_escalate


class Command(BaseCommand):
    help = "Mark tickets past a time limit as overdue and notify the handler and the managers."

    def handle(self, *args, **options):
        passed = tickets_escalate()
        self.stdout.write(_("%(count)d time limits newly passed.") % {"count": passed})
