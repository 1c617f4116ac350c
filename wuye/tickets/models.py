"""Tickets (工单): repairs, complaints, consultations, suggestions and praise, from intake to callback.

Seed: manager form 业务工作 1–4 and 管理监督 1; staff form 受命准备 3, 5, 6 and 业务活动 5–6. Every change of
state goes through ``services.py``; the model holds data, derived values and the questions a page asks.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuye.core.models import BaseModel, TreeNodeMixin
from wuye.core.personal import EncryptedTextField, validate_phone
from wuye.core.querysets import RestrictedQuerySet

from .choices import (
    ACTIVE_STATUSES,
    FINAL_STATUSES,
    OPEN_STATUSES,
    CallbackMethod,
    CallbackOutcome,
    CancelReason,
    Channel,
    LimitUnit,
    NoteVisibility,
    Priority,
    Satisfaction,
    Step,
    TicketKind,
    TicketStatus,
    UnsatisfiedAction,
)


class TicketCategory(TreeNodeMixin, BaseModel):
    """A node of the configurable category tree (e.g. 工程维修 / 水电)."""

    name = models.CharField(_("name"), max_length=50)
    parent = models.ForeignKey("self", verbose_name=_("parent category"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    path = models.CharField(_("full name"), max_length=200, editable=False, db_index=True)
    kinds = models.JSONField(_("ticket kinds"), default=list, blank=True,
                             help_text=_("The kinds this category is offered for; empty for all kinds."))
    department = models.ForeignKey("org.Department", verbose_name=_("usual department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   help_text=_("Proposed when a ticket of this category is assigned."))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("ticket category")
        verbose_name_plural = _("ticket categories")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["path"], name="tickets_category_unique_path",
                                    violation_error_message=_("A category with this name already exists here.")),
        ]

    def __str__(self):
        return self.path or self.name

    def get_absolute_url(self):
        return reverse("tickets:ticketcategory_edit", args=[self.pk])

    @classmethod
    def resident_scope(cls, user) -> Q:
        """Residents choose from the categories in use when they file a request."""
        return Q(is_active=True)

    def suits(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds

    def clean(self):
        self.clean_tree()


class ServiceLevel(BaseModel):
    """Time limits (时限) for one kind × priority: response, on-site arrival and resolution."""

    kind = models.CharField(_("kind"), max_length=15, choices=TicketKind.choices)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    response_value = models.PositiveIntegerField(_("response within"), null=True, blank=True)
    response_unit = models.CharField(_("unit"), max_length=15, choices=LimitUnit.choices, default=LimitUnit.HOURS)
    onsite_value = models.PositiveIntegerField(_("on site within"), null=True, blank=True)
    onsite_unit = models.CharField(_("unit"), max_length=15, choices=LimitUnit.choices, default=LimitUnit.MINUTES)
    resolution_value = models.PositiveIntegerField(_("resolved within"), null=True, blank=True)
    resolution_unit = models.CharField(_("unit"), max_length=15, choices=LimitUnit.choices,
                                       default=LimitUnit.WORKING_DAYS)
    callback_required = models.BooleanField(
        _("callback for every ticket"), default=False,
        help_text=_("Complaints always get a callback; for other kinds the share in the ticket settings applies."))

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        ordering = ["kind", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "priority"], name="tickets_servicelevel_unique",
                                    violation_error_message=_("This kind and priority already have time limits.")),
        ]

    constraint_fields = {"tickets_servicelevel_unique": "priority"}

    def __str__(self):
        return f"{self.get_kind_display()} · {self.get_priority_display()}"

    def get_absolute_url(self):
        return reverse("tickets:servicelevel_edit", args=[self.pk])

    def limit(self, name: str) -> tuple[int | None, str]:
        return getattr(self, f"{name}_value"), getattr(self, f"{name}_unit")

    def describe(self, name: str) -> str:
        value, unit = self.limit(name)
        if value is None:
            return "—"
        return f"{value} {LimitUnit(unit).label}"


class TicketSettings(BaseModel):
    """The department's ticket rules (one row): callbacks and what a dissatisfied rating does."""

    callback_within_days = models.PositiveSmallIntegerField(_("callback within (days)"), default=3)
    repair_callback_percent = models.PositiveSmallIntegerField(
        _("repairs called back (%)"), default=30, validators=[MaxValueValidator(100)])
    unsatisfied_action = models.CharField(_("a dissatisfied rating"), max_length=10,
                                          choices=UnsatisfiedAction.choices, default=UnsatisfiedAction.REOPEN)
    duplicate_window_hours = models.PositiveSmallIntegerField(_("duplicate check window (hours)"), default=24)
    notify_by_email = models.BooleanField(_("also notify by email"), default=False)

    class Meta:
        verbose_name = _("ticket settings")
        verbose_name_plural = _("ticket settings")

    def __str__(self):
        return str(_("Ticket settings"))

    def get_absolute_url(self):
        return reverse("tickets:settings")

    @classmethod
    def current(cls) -> TicketSettings:
        obj = cls.objects.order_by("pk").first()
        return obj if obj is not None else cls()


class TicketQuerySet(RestrictedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def complaints(self):
        return self.filter(kind=TicketKind.COMPLAINT)


# The columns the ticket statistics group and count by (``reports.ticket_aggregates``); see ``tickets_stats_idx``.
STATS_COLUMNS = ("estate", "category", "status", "priority", "is_valid_complaint", "is_overdue", "resolved_at",
                 "resolution_met", "response_met", "onsite_met", "handling_minutes", "callback_required",
                 "called_back_at", "satisfaction", "reopen_count")


class Ticket(BaseModel):
    scope_estate = "estate"
    personal_fields = ("contact_phone",)

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=15, choices=TicketKind.choices, default=TicketKind.REPAIR)
    status = models.CharField(_("status"), max_length=15, choices=TicketStatus.choices,
                              default=TicketStatus.ACCEPTED)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PHONE)
    estate = models.ForeignKey("estates.Estate", verbose_name=_("estate"), on_delete=models.PROTECT,
                               related_name="tickets")
    unit = models.ForeignKey("estates.Unit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="tickets")
    customer = models.ForeignKey("estates.Customer", verbose_name=_("customer"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="tickets")
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), max_length=30, blank=True, validators=[validate_phone])
    location = models.CharField(_("location"), max_length=200, blank=True,
                                help_text=_("Where exactly, e.g. the lift lobby of building 3 or the east gate."))
    category = models.ForeignKey(TicketCategory, verbose_name=_("category"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="tickets")
    title = models.CharField(_("summary"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)

    # Handling
    assignee = models.ForeignKey("org.Staff", verbose_name=_("handler"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="tickets")
    department = models.ForeignKey("org.Department", verbose_name=_("handling department"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="tickets")
    resolution = models.TextField(_("result"), blank=True)

    # Step times
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    called_back_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("cancel reason"), max_length=12, choices=CancelReason.choices, blank=True)
    cancel_comment = models.CharField(_("cancel comment"), max_length=300, blank=True)

    # Time limits, fixed when the ticket is created (or its kind or priority changes)
    response_due = models.DateTimeField(_("response due"), null=True, blank=True)
    onsite_due = models.DateTimeField(_("on site due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    response_met = models.BooleanField(_("response on time"), null=True, blank=True)
    onsite_met = models.BooleanField(_("on site on time"), null=True, blank=True)
    resolution_met = models.BooleanField(_("resolved on time"), null=True, blank=True)
    is_overdue = models.BooleanField(_("overdue"), default=False, db_index=True)
    overdue_limits = models.JSONField(_("limits passed"), default=list, blank=True)
    handling_minutes = models.PositiveIntegerField(_("handling time (minutes)"), null=True, blank=True)

    # Callback (回访)
    callback_required = models.BooleanField(_("callback required"), default=False)
    callback_due = models.DateTimeField(_("callback due"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True,
                                                    choices=Satisfaction.choices)
    flagged = models.BooleanField(_("flagged for the manager"), default=False)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    # Complaint analysis
    is_valid_complaint = models.BooleanField(_("valid complaint"), null=True, blank=True)
    responsible_department = models.ForeignKey("org.Department", verbose_name=_("responsible department"),
                                               null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cause = models.TextField(_("cause"), blank=True)
    measures = models.TextField(_("corrective measures"), blank=True)

    # The queue's order, kept by the database: 2 open urgent complaint, 1 open and overdue, 0 the rest.
    queue_rank = models.GeneratedField(
        expression=models.Case(
            models.When(Q(kind=TicketKind.COMPLAINT, priority=Priority.URGENT, status__in=OPEN_STATUSES),
                        then=models.Value(2)),
            models.When(Q(is_overdue=True, status__in=OPEN_STATUSES), then=models.Value(1)),
            default=models.Value(0)),
        output_field=models.SmallIntegerField(), db_persist=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    legacy_ref = models.CharField(_("original number"), max_length=50, blank=True, db_index=True,
                                  help_text=_("The number in the system the ticket was imported from."))

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-reported_at", "-id"]
        permissions = [
            ("accept_ticket", _("Can accept tickets")),
            ("assign_ticket", _("Can assign tickets")),
            ("handle_ticket", _("Can start and resolve tickets")),
            ("callback_ticket", _("Can record callbacks")),
            ("close_ticket", _("Can close (archive) tickets")),
            ("reopen_ticket", _("Can reopen tickets")),
            ("cancel_ticket", _("Can cancel tickets")),
            ("view_reports", _("Can see the complaint register and statistics")),
            ("import_tickets", _("Can import tickets from another system")),
        ]
        indexes = [
            models.Index(fields=["estate", "status", "-reported_at"], name="tickets_estate_status_idx"),
            models.Index(fields=["status", "-reported_at"], name="tickets_status_idx"),
            models.Index(fields=["-queue_rank", "-reported_at", "-id"], name="tickets_queue_idx"),
            models.Index(fields=["estate", "-queue_rank", "-reported_at", "-id"], name="tickets_estate_queue_idx"),
            # kind and period first (the statistics' range), then every column the statistics count, so a year of
            # complaints is read from the index alone, not from sixty-column table rows (about twice as fast)
            models.Index(fields=["kind", "reported_at", *STATS_COLUMNS], name="tickets_stats_idx"),
            models.Index(fields=["estate", "-reported_at"], name="tickets_estate_reported_idx"),
            models.Index(fields=["unit", "category", "reported_at"], name="tickets_unit_category_idx"),
            models.Index(fields=["assignee", "status"], name="tickets_assignee_status_idx"),
            models.Index(fields=["customer", "-reported_at"], name="tickets_customer_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("tickets:ticket", args=[self.pk])

    @classmethod
    def resident_scope(cls, user) -> Q:
        """A resident sees the tickets of the units their household occupies now, and their own tickets."""
        from wuye.estates.models import Unit

        return Q(customer__user=user) | Q(unit__in=Unit.objects.filter(Unit.resident_scope(user)).values("pk"))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def is_complaint(self) -> bool:
        return self.kind == TicketKind.COMPLAINT

    def deadlines(self, now=None) -> list[dict]:
        """Each time limit with its due time, when it was met (or not) and the time left."""
        now = now or timezone.now()
        rows = []
        for name, label, due, done in (
            ("response", _("Response"), self.response_due, self.responded_at),
            ("onsite", _("On site"), self.onsite_due, self.started_at),
            ("resolution", _("Resolution"), self.resolution_due, self.resolved_at),
        ):
            if due is None:
                continue
            if done is not None:
                met = done <= due
                left = None
            elif self.is_final:
                met, left = None, None
            else:
                met = False if now > due else None
                left = due - now
            rows.append({"name": name, "label": label, "due": due, "done": done, "met": met, "left": left,
                         "overdue": done is None and not self.is_final and now > due})
        return rows


class TicketEvent(models.Model):
    """One step in a ticket's life, for the timeline and the case file: who did what and when."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="events")
    step = models.CharField(_("step"), max_length=12, choices=Step.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey("auth.User", verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    from_status = models.CharField(_("from status"), max_length=15, choices=TicketStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=15, choices=TicketStatus.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    scope_estate = "ticket__estate"

    class Meta:
        verbose_name = _("ticket step")
        verbose_name_plural = _("ticket steps")
        ordering = ["at", "id"]
        default_permissions = ()
        indexes = [models.Index(fields=["ticket", "at"], name="tickets_event_ticket_idx")]

    def __str__(self):
        return f"{self.ticket.number} {self.get_step_display()} {self.at:%Y-%m-%d %H:%M}"


class ProgressNote(BaseModel):
    """阶段性进展报告: a dated note at any open step, internal or visible to the customer."""

    scope_estate = "ticket__estate"

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="notes")
    body = models.TextField(_("progress"))
    visibility = models.CharField(_("visibility"), max_length=10, choices=NoteVisibility.choices,
                                  default=NoteVisibility.INTERNAL)
    noted_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["noted_at", "id"]
        indexes = [models.Index(fields=["ticket", "noted_at"], name="tickets_note_ticket_idx")]

    @classmethod
    def resident_scope(cls, user) -> Q:
        return Q(visibility=NoteVisibility.PUBLIC, ticket__in=Ticket.objects.filter(Ticket.resident_scope(user)))

    def __str__(self):
        return f"{self.ticket.number} {self.noted_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return self.ticket.get_absolute_url()


def attachment_path(instance, filename):
    now = timezone.now()
    return f"tickets/{now:%Y/%m}/{filename}"


class Attachment(BaseModel):
    """A photo or file of a ticket, served only through the permission-checking download view."""

    scope_estate = "ticket__estate"

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT,
                               related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    is_image = models.BooleanField(_("photo"), default=False)
    visibility = models.CharField(_("visibility"), max_length=10, choices=NoteVisibility.choices,
                                  default=NoteVisibility.PUBLIC)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    @classmethod
    def resident_scope(cls, user) -> Q:
        return Q(visibility=NoteVisibility.PUBLIC, ticket__in=Ticket.objects.filter(Ticket.resident_scope(user)))

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tickets:attachment", args=[self.pk])


class Callback(BaseModel):
    """回访: the follow-up contact after resolution, or the customer's own rating on the portal."""

    scope_estate = "ticket__estate"

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT,
                               related_name="callbacks")
    called_at = models.DateTimeField(_("called back at"), default=timezone.now)
    method = models.CharField(_("method"), max_length=10, choices=CallbackMethod.choices,
                              default=CallbackMethod.PHONE)
    outcome = models.CharField(_("outcome"), max_length=12, choices=CallbackOutcome.choices,
                               default=CallbackOutcome.REACHED)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), null=True, blank=True, choices=Satisfaction.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["called_at", "id"]
        indexes = [models.Index(fields=["ticket", "called_at"], name="tickets_callback_ticket_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1,
                                                                                satisfaction__lte=5),
                                   name="tickets_callback_satisfaction_range",
                                   violation_error_message=_("Satisfaction is rated from 1 to 5.")),
        ]

    @classmethod
    def resident_scope(cls, user) -> Q:
        return Q(ticket__in=Ticket.objects.filter(Ticket.resident_scope(user)))

    def __str__(self):
        return f"{self.ticket.number} {self.called_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return self.ticket.get_absolute_url()

    def clean(self):
        if self.outcome == CallbackOutcome.REACHED and self.satisfaction is None:
            raise ValidationError({"satisfaction": _("Record how satisfied the customer is.")})
        if self.outcome == CallbackOutcome.NOT_REACHED and self.satisfaction is not None:
            raise ValidationError({"satisfaction": _("A customer who was not reached gave no rating.")})


class DailySequence(models.Model):
    """The last ticket number given on a day (GD20261127-0001, -0002, …)."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"{self.day}: {self.last}"


def import_file_path(instance, filename):
    now = timezone.now()
    return f"tickets/imports/{now:%Y/%m}/{filename}"


class ImportJob(models.Model):
    """One upload of historical tickets (``tickets.imports``): its file, and the progress and result the page
    polls. Updated with ``update()`` only (no change history: it is a job record, not business data)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Nothing imported")

    class Phase(models.TextChoices):
        WAITING = "waiting", _("Waiting to start")
        CHECKING = "checking", _("Checking every row")
        WRITING = "writing", _("Saving")
        FINISHED = "finished", _("Finished")

    file = models.FileField(_("file"), upload_to=import_file_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    format = models.CharField(_("format"), max_length=10)
    estate = models.ForeignKey("estates.Estate", verbose_name=_("estate"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    phase = models.CharField(_("step"), max_length=10, choices=Phase.choices, default=Phase.WAITING)
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    written = models.PositiveIntegerField(_("tickets saved"), default=0)
    imported = models.PositiveIntegerField(_("tickets imported"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("error list"), default=list, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey("auth.User", verbose_name=_("uploaded by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ticket import")
        verbose_name_plural = _("ticket imports")
        ordering = ["-created_at", "-id"]
        default_permissions = ()

    def __str__(self):
        return f"{self.name} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("tickets:import_job", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
