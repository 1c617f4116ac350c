"""Base models, the audit log and the search index. No domain here."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from . import context
from .choices import BackupKind
from .personal import DerivedField
from .querysets import RestrictedQuerySet


class SitePermission(models.Model):
    """Holds the permissions that belong to no single model (no table)."""

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("site permission")
        permissions = [
            ("view_all_estates", _("Can see every estate (not only those served)")),
            ("view_personal_data", _("Can reveal unmasked phone and ID numbers")),
            ("export_lists", _("Can export lists to Excel")),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)


class WuyeHistoricalRecords(HistoricalRecords):
    """The change log: database-generated and derived columns (phone tails and digests) are not copied into
    history; the encrypted value they come from is."""

    def fields_included(self, model):
        return [f for f in super().fields_included(model) if not isinstance(f, (models.GeneratedField, DerivedField))]


class TreeNodeMixin:
    """A node of a named tree (category trees) with its full name stored in ``path`` ("parent/child"). The model
    has ``name``, ``parent`` (to itself) and ``path``. ``clean_tree()`` refuses a node under itself and a "/" in
    a name and sets ``path``; ``save()`` renames the whole subtree when a node is renamed or moved."""

    def compute_path(self) -> str:
        return f"{self.parent.path}/{self.name}" if self.parent_id else self.name

    def clean_tree(self) -> None:
        node, seen = self.parent, set()
        while node is not None:
            if node.pk == self.pk and self.pk is not None or node.pk in seen:
                raise ValidationError({"parent": _("A category cannot be placed under itself.")})
            seen.add(node.pk)
            node = node.parent
        if "/" in (self.name or ""):
            raise ValidationError({"name": _("A category name cannot contain “/”.")})
        self.path = self.compute_path()

    def save(self, *args, **kwargs):
        model = type(self)
        old_path = None if self._state.adding else (
            model._default_manager.filter(pk=self.pk).values_list("path", flat=True).first())
        self.path = self.compute_path()
        super().save(*args, **kwargs)
        if old_path is not None and old_path != self.path:
            for child in model._default_manager.filter(parent=self):
                child.parent = self
                child.save()


class BaseModel(models.Model):
    """Every domain model: created/updated time and user, a change history, and ``restrict()``.

    Scope declarations (see ``core.querysets``):
      ``scope_estate``   lookup path from this model to its Estate (``"pk"`` on Estate), or None.
      ``scope_resident`` lookup path to the User of a resident who may see the row, or None.
    """

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, editable=False,
        on_delete=models.PROTECT, related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True, editable=False,
        on_delete=models.PROTECT, related_name="+",
    )

    history = WuyeHistoricalRecords(inherit=True, excluded_fields=["updated_at"])
    objects = RestrictedQuerySet.as_manager()

    scope_estate: str | None = None
    scope_resident: str | None = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        user = context.current_user()
        if user is not None:
            if self._state.adding and self.created_by_id is None:
                self.created_by = user
            self.updated_by = user
            self._history_user = user
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:  # a derived column follows its source (see DerivedField)
            derived = {f.name for f in self._meta.concrete_fields
                       if isinstance(f, DerivedField) and f.source in update_fields}
            if derived:
                kwargs["update_fields"] = {*update_fields, *derived}
        super().save(*args, **kwargs)

    @property
    def display(self) -> str:
        return str(self)


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("Audit events are append-only.")

    def delete(self):
        raise PermissionDenied("Audit events are append-only.")


class AuditEvent(models.Model):
    """Append-only log written by services: logins, approvals, exports, unmasked views of personal data."""

    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    event_type = models.CharField(_("event type"), max_length=80, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    estate_id = models.BigIntegerField(_("estate id"), null=True, blank=True, db_index=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["content_type", "object_id"], name="core_audit_object_idx")]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.event_type} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit events are append-only.")


class SearchEntry(models.Model):
    """One row per searchable object: its title and its text as CJK bigram + Latin/number tokens.

    Queried through SQLite FTS5 (``core_searchentry_fts``) or, on PostgreSQL, a stored column
    ``tsv = to_tsvector('simple', tokens)`` set by a trigger (made in SQL, not a model field) with a GIN index; see
    ``core.search``.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    estate_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    title = models.CharField(max_length=200)
    subtitle = models.CharField(max_length=300, blank=True)
    tokens = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="core_searchentry_unique_object"),
        ]
        indexes = [
            # A common word's newest matches of one model: PostgreSQL walks this backwards from the model's newest
            # entry. Without it, it walked the primary key past every newer entry of other models (200,000
            # documents generated after a million tickets: 0.7 s).
            models.Index(fields=["content_type", "id"], name="core_searchentry_model_newest"),
        ]

    def __str__(self):
        return self.title


class Notification(models.Model):
    """An in-app message for one user (overdue tickets, items waiting for them); ``key`` makes sending idempotent."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="notifications")
    key = models.CharField(_("key"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    level = models.CharField(_("level"), max_length=10, default="info")
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="core_notification_unique_key"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="core_notification_unread_idx")]

    def __str__(self):
        return self.title


class BackupRun(models.Model):
    """One run of ``manage.py backup``, ``backup --verify`` or ``restore`` (``core.backup``), failed runs included.

    Written by the backup functions when a run ends; a restore writes its row into the restored database.
    """

    started_at = models.DateTimeField(_("started at"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=BackupKind.choices, db_index=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    size_bytes = models.BigIntegerField(_("size (bytes)"), null=True, blank=True)
    ok = models.BooleanField(pgettext_lazy("backup run", "result"), default=False)
    message = models.TextField(_("details"), blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)

    class Meta:
        verbose_name = _("backup run")
        verbose_name_plural = _("backup log")
        ordering = ["-started_at", "-id"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.file_name}"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
