from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..personal import mask


class RestrictedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related object by id, chosen only among those the requesting user may see: an id outside the
    user's scope is answered like an id that does not exist."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is None or queryset is None:
            return queryset
        return queryset.restrict(request.user, "view") if hasattr(queryset, "restrict") else queryset


class MaskedField(serializers.CharField):
    """Personal data: masked unless the request asked for ``unmasked=true`` and may see it (then audited)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_representation(self, value):
        value = super().to_representation(value) if value is not None else ""
        if not value:
            return value
        if self.context.get("reveal_personal_data"):
            revealed = self.context.setdefault("revealed_objects", {})
            parent = self.parent.instance if self.parent is not None else None
            obj = getattr(self, "_current_object", None) or parent
            if obj is not None and hasattr(obj, "pk"):
                revealed[obj.pk] = obj
            return value
        return mask(value)

    def get_attribute(self, instance):
        self._current_object = instance
        return super().get_attribute(instance)


@extend_schema_field(OpenApiTypes.STR)
class CodeField(serializers.ChoiceField):
    """A choice whose set also appears under another field name or in another resource (``state``, ``status``):
    a plain string in the schema (its values are listed in the description), so the schema keeps one enum name per
    choice set."""

    def __init__(self, choices, **kwargs):
        values = ", ".join(str(value) for value, _label in choices)
        help_text = kwargs.pop("help_text", "")
        kwargs["help_text"] = f"{help_text} ({values})" if help_text else values
        super().__init__(choices, **kwargs)
