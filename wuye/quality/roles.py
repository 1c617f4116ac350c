"""What each role may do in the quality system (seed 1.5–1.10, section 3).

- Top management (executive) approves the policy and objectives, publishes them, sets the yearly external-finding
  limit, holds management reviews, verifies and cancels corrective actions, sees confidential appeals.
- The quality auditor (内审员) drafts the policy, runs the audit programme and audits (checklists, findings),
  raises, plans, verifies and cancels corrective actions, prepares management reviews.
- The customer-service manager (department head) drafts and publishes work plans, plans corrective actions of the
  department, holds meetings, handles reports and appeals.
- Agents read the work plans and acknowledge them, read meetings, work on the corrective actions they own and file
  reports and appeals; residents file reports and appeals and see their own.
- The document controller reads the quality records.
"""

from wuye.core.roles import Role

_MODELS = ["qualitypolicy", "qualityobjective", "objectivemeasurement", "workplan", "milestone", "planpublication",
           "checklisttemplate", "templatequestion", "auditprogramme", "audit", "auditchecklistitem", "finding",
           "findinglimit", "correctiveaction", "managementreview", "reviewinput", "actionitem", "meeting",
           "submission", "qualityfile"]
_VIEW = [f"quality.view_{m}" for m in _MODELS] + ["quality.view_selfcheck"]

# policy and objectives
_POLICY_DRAFT = ["quality.add_qualitypolicy", "quality.change_qualitypolicy", "quality.add_qualityobjective",
                 "quality.change_qualityobjective", "quality.add_objectivemeasurement",
                 "quality.change_objectivemeasurement", "quality.add_qualityfile"]
_POLICY_APPROVE = ["quality.approve_qualitypolicy", "quality.publish_qualitypolicy"]
# work plans
_PLANS = ["quality.add_workplan", "quality.change_workplan", "quality.publish_workplan", "quality.add_milestone",
          "quality.change_milestone"]
_PLAN_READ = ["quality.view_workplan", "quality.view_milestone", "quality.view_planpublication"]
# audits
_AUDITS = ["quality.add_auditprogramme", "quality.change_auditprogramme", "quality.add_audit",
           "quality.change_audit", "quality.conduct_audit", "quality.add_auditchecklistitem",
           "quality.change_auditchecklistitem", "quality.add_finding", "quality.change_finding",
           "quality.add_checklisttemplate", "quality.change_checklisttemplate", "quality.add_templatequestion",
           "quality.change_templatequestion", "quality.add_qualityfile"]
_LIMITS = ["quality.add_findinglimit", "quality.change_findinglimit"]
# corrective actions
_CA_RAISE = ["quality.add_correctiveaction", "quality.change_correctiveaction", "quality.add_qualityfile"]
_CA_DECIDE = ["quality.verify_correctiveaction", "quality.cancel_correctiveaction"]
_CA_WORK = ["quality.view_correctiveaction", "quality.view_qualityfile", "quality.add_qualityfile"]
# management reviews
_REVIEW_PREPARE = ["quality.add_managementreview", "quality.change_managementreview", "quality.change_reviewinput",
                   "quality.add_actionitem", "quality.change_actionitem"]
_REVIEW_HOLD = ["quality.hold_managementreview"]
# meetings and submissions
_MEETINGS = ["quality.add_meeting", "quality.change_meeting", "quality.add_actionitem", "quality.change_actionitem"]
_SUBMIT = ["quality.add_submission", "quality.view_submission"]
_HANDLE = ["quality.handle_submission"]
_CONFIDENTIAL = ["quality.view_confidential_submission"]
_REMINDERS = ["quality.receive_quality_reminders"]

GRANTS = {
    Role.EXECUTIVE: _VIEW + _POLICY_APPROVE + _LIMITS + _CA_DECIDE + _REVIEW_PREPARE + _REVIEW_HOLD + _MEETINGS
    + _SUBMIT + _HANDLE + _CONFIDENTIAL + _REMINDERS + _PLANS,
    Role.QUALITY_AUDITOR: _VIEW + _POLICY_DRAFT + ["quality.publish_qualitypolicy"] + _AUDITS + _LIMITS + _CA_RAISE
    + _CA_DECIDE + _REVIEW_PREPARE + _MEETINGS + _SUBMIT + _REMINDERS,
    Role.CS_MANAGER: _VIEW + _PLANS + _CA_RAISE + _MEETINGS + _SUBMIT + _HANDLE + _REMINDERS
    + ["quality.add_objectivemeasurement", "quality.add_qualityfile"],
    Role.DOCUMENT_CONTROLLER: _VIEW + _SUBMIT,
    Role.AGENT: _PLAN_READ + _CA_WORK + ["quality.view_meeting", "quality.view_actionitem"] + _SUBMIT,
    Role.RESIDENT: list(_SUBMIT),
    Role.ADMIN: _VIEW + _POLICY_DRAFT + ["quality.publish_qualitypolicy"] + _PLANS + _AUDITS + _LIMITS + _CA_RAISE
    + _CA_DECIDE + _REVIEW_PREPARE + _REVIEW_HOLD + _MEETINGS + _SUBMIT + _HANDLE + _CONFIDENTIAL,
}
