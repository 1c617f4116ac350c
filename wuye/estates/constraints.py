"""Constraint errors reported on the field the user can correct (see FieldErrorConstraintsMixin)."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import router


class FieldErrorConstraintsMixin:
    """Report a violated constraint against the field the user can correct, not as a form-wide error.

    ``constraint_fields = {"constraint_name": "field"}``; a field gets at most one constraint message (fields
    that ``clean()`` already faulted are excluded by ``full_clean()``).
    """

    constraint_fields: dict[str, str] = {}

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict[str, list] = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as exc:
                    key = self.constraint_fields.get(constraint.name, NON_FIELD_ERRORS)
                    if exclude and key in exclude:  # the field is not on the form: say it form-wide
                        key = NON_FIELD_ERRORS
                    if key != NON_FIELD_ERRORS and errors.get(key):
                        continue  # one constraint message per field is enough (unit: number and code)
                    errors.setdefault(key, []).extend(exc.messages)
        if errors:
            raise ValidationError(errors)
