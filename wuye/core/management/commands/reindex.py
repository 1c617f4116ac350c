"""``manage.py reindex [app_label.model ...]``: rebuild the full-text search index (all registered models by default).

Run it after an upgrade whose notes say the index format changed, or to repair the index.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from wuye.core import search


class Command(BaseCommand):
    help = "Rebuild the full-text search index of the given models (default: every registered model)."

    def add_arguments(self, parser):
        parser.add_argument("models", nargs="*", help="app_label.model, e.g. tickets.ticket")

    def handle(self, *args, **options):
        registered = search.registered_models()
        if options["models"]:
            wanted = []
            for label in options["models"]:
                try:
                    model = apps.get_model(label)
                except (LookupError, ValueError) as exc:
                    raise CommandError(f"unknown model {label!r}") from exc
                if model not in registered:
                    raise CommandError(f"{label} is not in the search index")
                wanted.append(model)
        else:
            wanted = registered
        for model in wanted:
            count = search.index_objects(model)
            self.stdout.write(f"{model._meta.label}: {count}")
