"""What each role may do with contracts (seed 2.10–2.14). The customer-service manager drafts contracts, sends
them to review, renews them and records takeovers; top management reviews and signs; the document controller and
the quality auditor read the register. Agents and residents see no contracts."""

from wuye.core.roles import Role

_MODELS = ["contract", "contractreview", "contractfile", "takeover", "renewaltask", "reviewchecklistitem"]
_VIEW = [f"contracts.view_{m}" for m in _MODELS]
_DRAFT = ["contracts.add_contract", "contracts.change_contract", "contracts.add_contractfile",
          "contracts.record_takeover", "contracts.add_takeover", "contracts.change_renewaltask",
          "contracts.receive_contract_alerts"]
_DECIDE = ["contracts.review_contract", "contracts.sign_contract"]
_CHECKLIST = ["contracts.add_reviewchecklistitem", "contracts.change_reviewchecklistitem"]

GRANTS = {
    Role.CS_MANAGER: _VIEW + _DRAFT,
    Role.EXECUTIVE: _VIEW + _DECIDE + _CHECKLIST + ["contracts.receive_contract_alerts"],
    Role.DOCUMENT_CONTROLLER: _VIEW + ["contracts.add_contractfile"],
    Role.QUALITY_AUDITOR: list(_VIEW),
    Role.ADMIN: _VIEW + _DRAFT + _DECIDE + _CHECKLIST,
    Role.AGENT: [],
    Role.RESIDENT: [],
}
