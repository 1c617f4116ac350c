"""Quality system (seed 1.5–1.10, section 3): policy and objectives, annual work plans, audits and findings,
nonconformities with their corrective actions, management reviews, meetings, submissions (reports and appeals)
and the files that evidence them.

One module per subject; workflow writes go through ``services/`` (``<entity>_<action>(*, actor, …)``). Nothing is
deleted: records end superseded, closed or cancelled with a reason.
"""

from .actions import CorrectiveAction
from .audits import (
    Audit,
    AuditChecklistItem,
    AuditProgramme,
    ChecklistTemplate,
    Finding,
    FindingLimit,
    IsoClause,
    TemplateQuestion,
)
from .communication import Meeting, Submission
from .files import QualityFile
from .policy import Milestone, ObjectiveMeasurement, PlanPublication, QualityObjective, QualityPolicy, WorkPlan
from .reviews import ActionItem, ManagementReview, ReviewInput

__all__ = [
    "ActionItem", "Audit", "AuditChecklistItem", "AuditProgramme", "ChecklistTemplate", "CorrectiveAction",
    "Finding", "FindingLimit", "IsoClause", "ManagementReview", "Meeting", "Milestone", "ObjectiveMeasurement",
    "PlanPublication", "QualityFile", "QualityObjective", "QualityPolicy", "ReviewInput", "Submission",
    "TemplateQuestion", "WorkPlan",
]
