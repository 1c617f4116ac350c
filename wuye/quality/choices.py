from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# --- policy, objectives, plans (seed 1.5–1.8) ---------------------------------------------------------------------


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("policy status", "Draft")
    APPROVED = "approved", pgettext_lazy("policy status", "Approved")
    PUBLISHED = "published", pgettext_lazy("policy status", "Published")
    SUPERSEDED = "superseded", pgettext_lazy("policy status", "Superseded")


class Metric(models.TextChoices):
    """Where an objective's actual value comes from: a figure wuye computes, or a manual entry with evidence."""

    COMPLAINT_TIMELY = "complaint_timely", _("Complaints resolved on time (%)")
    TICKET_TIMELY = "ticket_timely", _("Tickets resolved on time (%)")
    CALLBACK_SATISFACTION = "callback_satisfaction", _("Satisfied at callback (%)")
    SURVEY_SATISFACTION = "survey_satisfaction", _("Satisfaction rate in surveys (%)")
    REOPEN_RATE = "reopen_rate", _("Tickets reopened (%)")
    MANUAL = "manual", _("Entered by hand with evidence")


COMPUTED_METRICS = tuple(m for m in Metric if m != Metric.MANUAL)


class Comparison(models.TextChoices):
    AT_LEAST = "gte", _("at least")
    AT_MOST = "lte", _("at most")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("plan status", "Draft")
    PUBLISHED = "published", pgettext_lazy("plan status", "Published")
    CLOSED = "closed", pgettext_lazy("plan status", "Closed")


class MilestoneKind(models.TextChoices):
    PHASE = "phase", _("Phase")
    MILESTONE = "milestone", _("Milestone")


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("milestone status", "Not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("milestone status", "In progress")
    DONE = "done", pgettext_lazy("milestone status", "Done")
    CANCELLED = "cancelled", pgettext_lazy("milestone status", "Cancelled")


# --- audits (seed 3.1–3.3) --------------------------------------------------------------------------------------


class AuditKind(models.TextChoices):
    INTERNAL = "internal", _("Internal audit")
    EXTERNAL = "external", _("External audit")


class AuditStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("audit status", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("audit status", "In progress")
    REPORTED = "reported", pgettext_lazy("audit status", "Reported")
    CLOSED = "closed", pgettext_lazy("audit status", "Closed")
    CANCELLED = "cancelled", pgettext_lazy("audit status", "Cancelled")


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("programme status", "Draft")
    APPROVED = "approved", pgettext_lazy("programme status", "Approved")


class CheckResult(models.TextChoices):
    NOT_CHECKED = "", pgettext_lazy("check result", "Not checked")
    CONFORMS = "conforms", pgettext_lazy("check result", "Conforms")
    OBSERVATION = "observation", pgettext_lazy("check result", "Observation")
    NONCONFORMS = "nonconforms", pgettext_lazy("check result", "Does not conform")


class FindingGrade(models.TextChoices):
    OBSERVATION = "observation", _("Observation")
    MINOR = "minor", _("Minor nonconformity")
    MAJOR = "major", _("Major nonconformity")


# Seed 3.3: what is counted per managed estate and year against the company's limit.
COUNTED_GRADES = (FindingGrade.OBSERVATION, FindingGrade.MINOR)
NONCONFORMITY_GRADES = (FindingGrade.MINOR, FindingGrade.MAJOR)


# --- nonconformities and corrective actions -----------------------------------------------------------------------


class ActionSource(models.TextChoices):
    FINDING = "finding", _("Audit finding")
    COMPLAINT = "complaint", _("Complaint")
    INCIDENT = "incident", _("Incident")
    REVIEW = "review", _("Management review")
    SURVEY = "survey", _("Customer survey")
    MANUAL = "manual", _("Raised by hand")


class ActionState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("corrective action", "Draft")
    CAUSE_ANALYSIS = "cause_analysis", pgettext_lazy("corrective action", "Cause analysis")
    ACTION_PLAN = "action_plan", pgettext_lazy("corrective action", "Action plan")
    IN_PROGRESS = "in_progress", pgettext_lazy("corrective action", "In progress")
    VERIFICATION = "verification", pgettext_lazy("corrective action", "Verification")
    CLOSED = "closed", pgettext_lazy("corrective action", "Closed")
    CANCELLED = "cancelled", pgettext_lazy("corrective action", "Cancelled")


OPEN_ACTION_STATES = (ActionState.DRAFT, ActionState.CAUSE_ANALYSIS, ActionState.ACTION_PLAN,
                      ActionState.IN_PROGRESS, ActionState.VERIFICATION)
# Past the due date in these states, a corrective action is overdue (its work is not done).
DUE_ACTION_STATES = (ActionState.ACTION_PLAN, ActionState.IN_PROGRESS)


class Effectiveness(models.TextChoices):
    EFFECTIVE = "effective", _("Effective")
    NOT_EFFECTIVE = "not_effective", _("Not effective")


# --- management review, meetings, action items, submissions (seed 1.9, 1.10) --------------------------------------


class ReviewStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("review status", "Planned")
    HELD = "held", pgettext_lazy("review status", "Held")
    CLOSED = "closed", pgettext_lazy("review status", "Closed")
    CANCELLED = "cancelled", pgettext_lazy("review status", "Cancelled")


class ReviewTopic(models.TextChoices):
    """The inputs of a management review (ISO 9001 9.3.2), compiled from wuye for the review's period."""

    PREVIOUS_ACTIONS = "previous_actions", _("Actions from previous reviews")
    OBJECTIVES = "objectives", _("Quality objectives")
    AUDITS = "audits", _("Audit results and open findings")
    COMPLAINTS = "complaints", _("Complaint statistics")
    SATISFACTION = "satisfaction", _("Customer satisfaction")
    CORRECTIVE_ACTIONS = "corrective_actions", _("Nonconformities and corrective actions")
    OTHER = "other", pgettext_lazy("review topic", "Other")


class OutputKind(models.TextChoices):
    DECISION = "decision", _("Decision")
    RESOURCE = "resource", _("Resource need")
    IMPROVEMENT = "improvement", _("Improvement action")


class ActionItemStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("action item", "Open")
    DONE = "done", pgettext_lazy("action item", "Done")
    CANCELLED = "cancelled", pgettext_lazy("action item", "Cancelled")


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular meeting")
    SPECIAL = "special", _("Special meeting")
    QUALITY = "quality", _("Quality meeting")
    OTHER = "other", pgettext_lazy("meeting kind", "Other")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("meeting status", "Planned")
    HELD = "held", pgettext_lazy("meeting status", "Minutes recorded")
    CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")


class SubmissionKind(models.TextChoices):
    REPORT = "report", _("Report")
    APPEAL = "appeal", _("Appeal")


class SubmissionState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("submission", "Submitted")
    ASSIGNED = "assigned", pgettext_lazy("submission", "Assigned")
    REPLIED = "replied", pgettext_lazy("submission", "Replied")
    CLOSED = "closed", pgettext_lazy("submission", "Closed")


OPEN_SUBMISSION_STATES = (SubmissionState.SUBMITTED, SubmissionState.ASSIGNED, SubmissionState.REPLIED)


class SubmitterKind(models.TextChoices):
    STAFF = "staff", _("Staff member")
    CUSTOMER = "customer", _("Customer")
