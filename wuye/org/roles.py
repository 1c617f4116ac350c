from wuye.core.roles import STAFF_ROLES, Role

_VIEW = ["org.view_company", "org.view_department", "org.view_departmentinterface", "org.view_post",
         "org.view_jobstandard", "org.view_staff"]
_MANAGE_POSTS = ["org.add_post", "org.change_post", "org.add_jobstandard", "org.change_jobstandard",
                 "org.add_departmentinterface", "org.change_departmentinterface", "org.change_department"]
_MANAGE_STAFF = ["org.add_staff", "org.change_staff"]

GRANTS = {role: list(_VIEW) for role in STAFF_ROLES}
for role in STAFF_ROLES:
    GRANTS[role].append("org.add_acknowledgement")  # confirm having read one's own job standard
GRANTS[Role.CS_MANAGER] += _MANAGE_POSTS + _MANAGE_STAFF + ["org.publish_jobstandard", "org.view_acknowledgement"]
GRANTS[Role.EXECUTIVE] += ["org.publish_jobstandard", "org.view_acknowledgement"]
GRANTS[Role.QUALITY_AUDITOR] += ["org.view_acknowledgement"]
GRANTS[Role.ADMIN] += _MANAGE_POSTS + _MANAGE_STAFF + [
    "org.add_company", "org.change_company", "org.add_department", "org.publish_jobstandard",
    "org.view_acknowledgement",
]
GRANTS[Role.RESIDENT] = []
