from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wuye.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.db.models.signals import post_migrate

        from . import audit, roles, search, security

        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="wuye.core.sync_role_permissions")
        user_logged_in.connect(audit.record_login, dispatch_uid="wuye.core.record_login")
        user_login_failed.connect(audit.record_login_failed, dispatch_uid="wuye.core.record_login_failed")
        user_logged_in.connect(security.note_login, dispatch_uid="wuye.core.note_login")
        search.connect_signals()
