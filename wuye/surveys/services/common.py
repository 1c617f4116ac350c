"""What the survey services share: permission checks, the actor's estates, yearly numbering."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from wuye.core.numbering import next_number  # noqa: F401  (campaign numbers SV-<year>-NN)
from wuye.core.scope import user_scope

__all__: list[str] = []


def require(actor, permission: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(_("You may not do this."))


def require_estates(actor, estates, field: str = "estates") -> None:
    """Every estate must be one the actor serves (or the actor sees all estates): a clear error otherwise."""
    scope = user_scope(actor)
    outside = [e for e in estates if not scope.covers_estate(e.pk)]
    if outside:
        raise ValidationError({field: _("You do not serve %(estates)s: a survey covers only estates you serve.") % {
            "estates": "、".join(str(e) for e in outside)}})
