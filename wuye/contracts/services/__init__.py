"""Every workflow write of the contracts app (seed 2.10–2.14). Each service is atomic, checks the actor's
permission and estate scope, refuses bad input with a message in the user's language (nothing changed) and
writes an audit event.

The contract's life: draft → under review → review passed → signed → in force → expiring → expired, or
terminated, or superseded (a preliminary contract, on the day a service contract of its estate takes effect).
A review returned with comments puts the contract back to draft. Dates move a signed contract on: ``refresh``
(run daily by ``manage.py contracts_refresh``, and at once for the contract being signed) sets the status its
dates call for, supersedes preliminary contracts, closes renewal tasks and sends the expiry alerts.
"""

from .common import CHANGE, CONTRACT_FIELDS, LATE_FIELDS, REVIEW, SIGN, TAKEOVER, alert_days
from .contracts import (
    contract_add_file,
    contract_create,
    contract_pass_review,
    contract_renew,
    contract_return_review,
    contract_sign,
    contract_submit_review,
    contract_terminate,
    contract_update,
    current_review,
    next_number,
    overlapping,
    renewal_defaults,
)
from .dates import refresh, status_on
from .renewals import renewal_cancel, renewal_open
from .takeovers import takeover_basis, takeover_contracts, takeover_record, takeover_rule

__all__ = [
    "CHANGE", "CONTRACT_FIELDS", "LATE_FIELDS", "REVIEW", "SIGN", "TAKEOVER", "alert_days", "contract_add_file",
    "contract_create", "contract_pass_review", "contract_renew", "contract_return_review", "contract_sign",
    "contract_submit_review", "contract_terminate", "contract_update", "current_review", "next_number",
    "overlapping", "refresh", "renewal_cancel", "renewal_defaults", "renewal_open", "status_on", "takeover_basis",
    "takeover_contracts", "takeover_record", "takeover_rule",
]
