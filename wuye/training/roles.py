"""Who may do what with training (manager form 业务工作 6).

- The customer-service manager and the administrator do everything: plans and their items, sessions, records,
  materials; they see every staff member's training record and receive the reminders of sessions without a record.
- Top management reads everything and approves plans (a plan is approved by someone who did not draft it).
- Agents read plans and sessions and their own training record (``Attendance.restrict_queryset``).
- The quality auditor reads plans, sessions and every training record (evidence for audits).
- The document controller sees their own training record only; residents nothing.
"""

from wuye.core.roles import Role

_OWN = ["training.view_attendance"]
_VIEW = ["training.view_trainingplan", "training.view_planitem", "training.view_trainingsession",
         "training.view_sessionmaterial", *_OWN]
_DEPARTMENT = ["training.view_department_training"]
_MANAGE = ["training.add_trainingplan", "training.change_trainingplan", "training.add_planitem",
           "training.change_planitem", "training.add_trainingsession", "training.change_trainingsession",
           "training.add_attendance", "training.change_attendance", "training.add_sessionmaterial",
           "training.approve_trainingplan", "training.receive_training_reminders"]

GRANTS = {
    Role.CS_MANAGER: _VIEW + _DEPARTMENT + _MANAGE,
    Role.ADMIN: _VIEW + _DEPARTMENT + _MANAGE,
    Role.EXECUTIVE: _VIEW + _DEPARTMENT + ["training.approve_trainingplan"],
    Role.AGENT: list(_VIEW),
    Role.QUALITY_AUDITOR: _VIEW + _DEPARTMENT,
    Role.DOCUMENT_CONTROLLER: list(_OWN),
    Role.RESIDENT: [],
}
