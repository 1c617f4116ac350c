from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AppraisalsConfig(AppConfig):
    name = "wuye.appraisals"
    label = "appraisals"
    verbose_name = _("Performance appraisal")

    def ready(self):
        post_migrate.connect(ensure_defaults, sender=self, dispatch_uid="wuye.appraisals.ensure_defaults")


def ensure_defaults(sender, apps=None, **kwargs):
    """After every ``migrate`` (and a test database flush): the two built-in forms of the standard exist
    (idempotent: a form whose code exists is left alone)."""
    import importlib

    from django.apps import apps as global_apps

    builtin = importlib.import_module("wuye.appraisals.migrations.0002_builtin_forms")
    builtin.forwards(apps or global_apps, None)
