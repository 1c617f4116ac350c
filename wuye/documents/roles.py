"""What each role may do with documents (seed 2.1–2.9). The document controller (文控) runs the register;
every staff member may read what their role and the confidentiality rule allow and ask to borrow."""

from wuye.core.roles import STAFF_ROLES, Role

_MODELS = ["document", "revision", "revisionfile", "documentcategory", "location", "documentgrant", "loan",
           "handover", "handoveritem", "regulation", "archiverequirement"]
_VIEW = [f"documents.view_{m}" for m in _MODELS] + ["documents.add_loan"]
_AUTHOR = ["documents.add_document", "documents.change_document", "documents.add_revision",
           "documents.change_revision", "documents.add_revisionfile"]
_CONTROL = _AUTHOR + [f"documents.{a}_{m}" for a in ("add", "change") for m in _MODELS
                      if m not in ("document", "revision", "revisionfile", "loan")] + [
    "documents.view_restricted_document", "documents.issue_document", "documents.print_labels",
    "documents.decide_loan", "documents.change_loan", "documents.manage_handover", "documents.review_regulation"]

GRANTS = {role: list(_VIEW) for role in STAFF_ROLES}
GRANTS[Role.DOCUMENT_CONTROLLER] += _CONTROL
GRANTS[Role.CS_MANAGER] += _AUTHOR + ["documents.issue_document", "documents.print_labels"]
GRANTS[Role.EXECUTIVE] += ["documents.issue_document"]
GRANTS[Role.ADMIN] += _CONTROL
GRANTS[Role.RESIDENT] = []
