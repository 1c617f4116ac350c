from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TicketKind(models.TextChoices):
    REPAIR = "repair", _("Repair")
    COMPLAINT = "complaint", _("Complaint")
    CONSULTATION = "consultation", _("Consultation")
    SUGGESTION = "suggestion", _("Suggestion")
    PRAISE = "praise", _("Praise")


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WALK_IN = "walk_in", _("Walk-in")
    PORTAL = "portal", _("Owner portal")
    WECHAT = "wechat", _("WeChat")
    EMAIL = "email", _("Email")
    PATROL = "patrol", _("Patrol")
    OTHER = "other", _("Other")


class TicketStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")      # filed on the portal, waiting to be accepted
    ACCEPTED = "accepted", _("Accepted")         # 受理
    ASSIGNED = "assigned", _("Assigned")         # 派单
    IN_PROGRESS = "in_progress", _("In progress")  # 处理
    RESOLVED = "resolved", _("Resolved")         # 办结
    CALLED_BACK = "called_back", _("Called back")  # 回访
    CLOSED = "closed", _("Closed")               # 归档
    REOPENED = "reopened", _("Reopened")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = [TicketStatus.SUBMITTED, TicketStatus.ACCEPTED, TicketStatus.ASSIGNED, TicketStatus.IN_PROGRESS,
                 TicketStatus.REOPENED]
# Not yet finished for the department: open, or resolved and waiting for the callback / archiving.
ACTIVE_STATUSES = [*OPEN_STATUSES, TicketStatus.RESOLVED, TicketStatus.CALLED_BACK]
FINAL_STATUSES = [TicketStatus.CLOSED, TicketStatus.CANCELLED]


class Step(models.TextChoices):
    """The lifecycle steps (services), in the order of the department's procedure."""

    CREATE = "create", _("Created")
    ACCEPT = "accept", _("Accept")
    ASSIGN = "assign", _("Assign")
    START = "start", _("Start")
    RESOLVE = "resolve", _("Resolve")
    CALLBACK = "callback", _("Callback")
    CLOSE = "close", pgettext_lazy("ticket step", "Close")
    REOPEN = "reopen", _("Reopen")
    CANCEL = "cancel", pgettext_lazy("ticket step", "Cancel")
    ESCALATE = "escalate", _("Overdue")
    RATE = "rate", _("Rated by the customer")
    EDIT = "edit", _("Edited")


class LimitUnit(models.TextChoices):
    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    DAYS = "days", _("calendar days")
    WORKING_DAYS = "working_days", _("working days")


class Limit(models.TextChoices):
    RESPONSE = "response", _("Response")
    ONSITE = "onsite", _("On site")
    RESOLUTION = "resolution", _("Resolution")


class NoteVisibility(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    PUBLIC = "public", _("Visible to the customer")


class CallbackOutcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NOT_REACHED = "not_reached", _("Not reached")


class CallbackMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit")
    SMS = "sms", _("Text message")
    WECHAT = "wechat", _("WeChat")
    PORTAL = "portal", _("Owner portal")


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    FAIRLY_SATISFIED = 3, _("Fairly satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


# 满意率 counts 满意 and 基本满意 (and above) over answered callbacks.
SATISFIED_MIN = Satisfaction.FAIRLY_SATISFIED
# 不满意 or worse reopens the ticket or flags it for the manager.
DISSATISFIED_MAX = Satisfaction.DISSATISFIED


class UnsatisfiedAction(models.TextChoices):
    REOPEN = "reopen", _("Reopen the ticket")
    FLAG = "flag", _("Flag it for the manager")


class CancelReason(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplicate")
    WITHDRAWN = "withdrawn", _("Withdrawn by the customer")
    NOT_OURS = "not_ours", _("Not the company's responsibility")
    MISTAKE = "mistake", _("Entered by mistake")
    OTHER = "other", _("Other")
