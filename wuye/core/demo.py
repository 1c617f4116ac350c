"""Demo data of core: one login per role. Also the helpers every app's ``demo.py`` uses.

``manage.py load_demo`` calls ``load()`` of every app in INSTALLED_APPS order (core first), so the users made
here exist when ``org`` attaches their staff records and ``estates`` links the resident to a customer.

Idempotence: objects are found by a natural key and only written when something differs (``ensure``), so a
second run changes nothing: no duplicate rows, no new history rows, no new audit events.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.db import models

from .roles import Role


@dataclass
class DemoLogin:
    """One row of the login table printed by ``load_demo``. Later apps may return a row with the same
    username to fill in what that user sees (non-empty fields replace the earlier ones)."""

    username: str
    role: str = ""
    password: str = ""
    sees: str = ""


ROLE_ZH = {
    Role.AGENT: "客服专员", Role.CS_MANAGER: "客服经理", Role.DOCUMENT_CONTROLLER: "文控",
    Role.QUALITY_AUDITOR: "内审员", Role.EXECUTIVE: "最高管理者", Role.RESIDENT: "业主",
    Role.ADMIN: "系统管理员",
}
ROLE_EN = {
    Role.AGENT: "agent", Role.CS_MANAGER: "customer-service manager", Role.DOCUMENT_CONTROLLER: "document controller",
    Role.QUALITY_AUDITOR: "quality auditor", Role.EXECUTIVE: "top management", Role.RESIDENT: "resident",
    Role.ADMIN: "administrator",
}

# username, role, the person's name, what they see (estates.demo refines the estate-specific ones)
DEMO_USERS = [
    ("admin", Role.ADMIN, "何伟", "超级用户：全部数据与后台 /admin/，角色和权限管理"),
    ("executive", Role.EXECUTIVE, "郑国华", "全部管理项目（只读）；批准发布岗位标准；审计日志"),
    ("cs_manager", Role.CS_MANAGER, "陈静",
     "全部管理项目；部门、岗位与岗位标准维护和发布；员工管理；未确认岗位标准的员工名单"),
    ("agent", Role.AGENT, "张丽", "只看到所服务的管理项目：客户档案、快速查询、房屋"),
    ("agent2", Role.AGENT, "王磊", "另一个客服专员，服务其他管理项目（对比数据范围）"),
    ("document_controller", Role.DOCUMENT_CONTROLLER, "周婷", "全部管理项目（客户电话和身份证号显示为掩码）"),
    ("quality_auditor", Role.QUALITY_AUDITOR, "吴刚", "全部管理项目（只读）；审计日志；职责确认情况"),
    ("resident", Role.RESIDENT, "李梅", "业主门户：只看到本人的房屋和档案"),
]


def demo_password(username: str) -> str:
    return f"{username}-demo"


def _differs(obj: models.Model, field: models.Field, value) -> bool:
    if field.is_relation:
        new = value.pk if isinstance(value, models.Model) else value
        return getattr(obj, field.attname) != new
    return getattr(obj, field.attname) != field.to_python(value)


def ensure(model: type[models.Model], lookup: dict, defaults: dict | None = None, *,
           validate: bool = True) -> tuple[models.Model, bool]:
    """Get the object by its natural key ``lookup``; create it, or update the fields of ``defaults`` that
    differ. Saves (with ``full_clean()``, so demo data passes the same checks as a form) only when needed.
    Returns ``(obj, changed)``."""
    defaults = defaults or {}
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **defaults)
    else:
        changed = [name for name, value in defaults.items() if _differs(obj, model._meta.get_field(name), value)]
        if not changed:
            return obj, False
        for name in changed:
            setattr(obj, name, defaults[name])
    if validate:
        obj.full_clean()
    obj.save()
    return obj, True


def ensure_user(username: str, *, role: Role, name: str, superuser: bool = False) -> tuple[User, bool]:
    """A login in exactly the group of ``role``. The demo password is set only when the user is made (or
    has none), so a password changed since is left alone."""
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username)
    wanted = {"first_name": name, "email": f"{username}@example.com", "is_staff": superuser,
              "is_superuser": superuser, "is_active": True}
    changed = created or any(getattr(user, k) != v for k, v in wanted.items())
    for key, value in wanted.items():
        setattr(user, key, value)
    if created or not user.has_usable_password():
        user.set_password(demo_password(username))
        changed = True
    if changed:
        user.save()
    group = Group.objects.get(name=role.value)
    if set(user.groups.values_list("pk", flat=True)) != {group.pk}:
        user.groups.set([group])
        changed = True
    return user, changed


def demo_user(username: str) -> User:
    return User.objects.get(username=username)


def load(*, stdout, style) -> list[DemoLogin]:
    logins = []
    created = 0
    for username, role, name, sees in DEMO_USERS:
        _user, changed = ensure_user(username, role=role, name=name, superuser=role == Role.ADMIN)
        created += changed
        logins.append(DemoLogin(username=username, role=f"{ROLE_ZH[role]} {ROLE_EN[role]}",
                                password=demo_password(username), sees=sees))
    stdout.write(f"core: {len(DEMO_USERS)} demo logins ({created} created or updated)")
    return logins
