"""Who may do what with customer surveys (manager form 业务工作 1: 定期对客户进行调查; 管理监督 2: 监督调查实施).

- The customer-service manager keeps the questionnaires and the service dimensions, runs campaigns over the
  estates they serve (all of them: ``core.view_all_estates``), enters answers taken by phone or on paper, sees the
  results with the household behind a named answer, sets the schedule and raises corrective actions from low scores.
- Agents see the questionnaires and the campaigns of the estates they serve, enter answers from phone calls and
  paper forms, and see those estates' results (households hidden).
- Top management and the quality auditor (who supervises the surveys) see every campaign and its results.
- Residents answer on the portal the invitations of their own household (``Invitation.resident_scope``); a personal
  link needs no login (its one-time key is the credential).
- The administrator has everything the manager has.
"""

from wuye.core.roles import Role

_QUESTIONNAIRES_VIEW = ["surveys.view_dimension", "surveys.view_questionnaire", "surveys.view_questionnaireversion",
                        "surveys.view_questionsection", "surveys.view_question"]
_QUESTIONNAIRES_EDIT = ["surveys.add_dimension", "surveys.change_dimension", "surveys.add_questionnaire",
                        "surveys.change_questionnaire", "surveys.add_questionnaireversion",
                        "surveys.change_questionnaireversion", "surveys.add_questionsection",
                        "surveys.change_questionsection", "surveys.add_question", "surveys.change_question"]
_CAMPAIGNS_VIEW = ["surveys.view_campaign", "surveys.view_invitation", "surveys.view_response",
                   "surveys.view_answer", "surveys.view_surveyschedule"]
_CAMPAIGNS_RUN = ["surveys.add_campaign", "surveys.change_campaign", "surveys.change_invitation",
                  "surveys.change_surveyschedule", "surveys.view_household_answers"]
_ENTER = ["surveys.add_response"]

GRANTS = {
    Role.CS_MANAGER: _QUESTIONNAIRES_VIEW + _QUESTIONNAIRES_EDIT + _CAMPAIGNS_VIEW + _CAMPAIGNS_RUN + _ENTER,
    Role.ADMIN: _QUESTIONNAIRES_VIEW + _QUESTIONNAIRES_EDIT + _CAMPAIGNS_VIEW + _CAMPAIGNS_RUN + _ENTER,
    Role.AGENT: _QUESTIONNAIRES_VIEW + _CAMPAIGNS_VIEW + _ENTER,
    Role.EXECUTIVE: _QUESTIONNAIRES_VIEW + _CAMPAIGNS_VIEW,
    Role.QUALITY_AUDITOR: _QUESTIONNAIRES_VIEW + _CAMPAIGNS_VIEW,
    Role.DOCUMENT_CONTROLLER: [],
    Role.RESIDENT: ["surveys.view_invitation", "surveys.add_response"],
}
