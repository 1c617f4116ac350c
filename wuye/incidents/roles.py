"""Who may do what with incidents (意外事故, manager form 审查报告 4).

- Agents report incidents of the estates they serve, attach photos and see those estates' incidents.
- The customer-service manager and the administrator do everything: investigate, review (never an incident they
  reported themselves), close, withdraw, raise the corrective action, keep the list of kinds.
- The quality auditor and top management read every incident and the period's report.
- The document controller and residents see none.
"""

from wuye.core.roles import Role

_VIEW = ["incidents.view_incident", "incidents.view_incidentfile", "incidents.view_incidentkind"]
_REPORT = ["incidents.add_incident", "incidents.add_incidentfile"]
_MANAGE = ["incidents.change_incident", "incidents.investigate_incident", "incidents.review_incident",
           "incidents.close_incident", "incidents.add_incidentkind", "incidents.change_incidentkind"]

GRANTS = {
    Role.AGENT: _VIEW + _REPORT,
    Role.CS_MANAGER: _VIEW + _REPORT + _MANAGE,
    Role.ADMIN: _VIEW + _REPORT + _MANAGE,
    Role.QUALITY_AUDITOR: list(_VIEW),
    Role.EXECUTIVE: list(_VIEW),
    Role.DOCUMENT_CONTROLLER: [],
    Role.RESIDENT: [],
}
