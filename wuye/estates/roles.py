from wuye.core.roles import STAFF_ROLES, Role

_MODELS = ["estate", "building", "unit", "customer", "occupancy", "ownerscommittee", "committeemember"]
_VIEW = [f"estates.view_{m}" for m in _MODELS]
_ARCHIVE = ["estates.add_customer", "estates.change_customer", "estates.add_occupancy",
            "estates.change_occupancy"]
_STRUCTURE = ["estates.add_estate", "estates.change_estate", "estates.add_building", "estates.change_building",
              "estates.add_unit", "estates.change_unit"]
_COMMITTEE = ["estates.add_ownerscommittee", "estates.change_ownerscommittee", "estates.add_committeemember",
              "estates.change_committeemember"]

GRANTS = {role: list(_VIEW) for role in STAFF_ROLES}
GRANTS[Role.AGENT] += _ARCHIVE
GRANTS[Role.DOCUMENT_CONTROLLER] += _ARCHIVE
GRANTS[Role.CS_MANAGER] += _ARCHIVE + _STRUCTURE + _COMMITTEE
GRANTS[Role.ADMIN] += _ARCHIVE + _STRUCTURE + _COMMITTEE
# Residents see their own record, units and estate (restrict() narrows them to their occupancies).
GRANTS[Role.RESIDENT] = list(_VIEW)
