"""Tell the document controllers of regulations due for their yearly review and of documents past their
review-by date; run daily (systemd timer).

Idempotent: one notification per regulation or document and review date, however often the command runs.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from wuye.documents.services import reviews_remind


class Command(BaseCommand):
    help = "Notify the document controllers of regulations and documents whose review is due."

    def handle(self, *args, **options):
        sent = reviews_remind()
        self.stdout.write(_("%(count)d review reminders sent.") % {"count": sent})
