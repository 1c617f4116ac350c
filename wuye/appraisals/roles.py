"""Who may do what with appraisals (the standard's two appraisal forms).

- The customer-service manager opens cycles, appraises their staff, finalises appraisals and sees every appraisal of
  the department (and the departments up to two levels below); top management appraises the manager and sees the
  appraisals of its own department tree the same way; the manager and the administrator keep the forms.
- Every staff member sees their own appraisals (from the acknowledgement step on) and those they are the appraiser
  of (``Appraisal.restrict_queryset``): agents hold view and change for that.
- Residents, the document controller and the quality auditor see none (404 through restrict, 403 on pages).
"""

from wuye.core.roles import Role

_FORMS_VIEW = ["appraisals.view_appraisalform", "appraisals.view_formversion", "appraisals.view_formsection",
               "appraisals.view_formitem"]
_FORMS_EDIT = ["appraisals.add_appraisalform", "appraisals.change_appraisalform", "appraisals.add_formversion",
               "appraisals.change_formversion", "appraisals.add_formsection", "appraisals.change_formsection",
               "appraisals.add_formitem", "appraisals.change_formitem"]
_OWN = ["appraisals.view_appraisal", "appraisals.change_appraisal", "appraisals.view_score",
        "appraisals.change_score"]
_CYCLES = ["appraisals.view_appraisalcycle", "appraisals.add_appraisalcycle", "appraisals.change_appraisalcycle",
           "appraisals.add_appraisal", "appraisals.manage_appraisal_cycles",
           "appraisals.view_department_appraisals"]

GRANTS = {
    Role.CS_MANAGER: _FORMS_VIEW + _FORMS_EDIT + _OWN + _CYCLES,
    Role.EXECUTIVE: _FORMS_VIEW + _OWN + _CYCLES,
    Role.ADMIN: _FORMS_VIEW + _FORMS_EDIT + _OWN + _CYCLES,
    Role.AGENT: _FORMS_VIEW + _OWN,
    Role.DOCUMENT_CONTROLLER: _FORMS_VIEW + _OWN,
    Role.QUALITY_AUDITOR: _FORMS_VIEW + _OWN,
    Role.RESIDENT: [],
}
