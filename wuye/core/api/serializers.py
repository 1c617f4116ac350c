"""Base serializer: every resource has ``id``, ``url`` and ``display`` (DESIGN.md §6)."""

from rest_framework import serializers

from .fields import RestrictedPrimaryKeyRelatedField


class BaseModelSerializer(serializers.ModelSerializer):
    serializer_related_field = RestrictedPrimaryKeyRelatedField

    url = serializers.SerializerMethodField()
    display = serializers.SerializerMethodField()

    base_fields = ("id", "url", "display")

    def get_display(self, obj) -> str:
        return str(obj)

    def get_url(self, obj) -> str:
        from django.urls import reverse

        name = f"api:{self.Meta.model._meta.app_label}-{self.Meta.model._meta.model_name}-detail"
        path = reverse(name, kwargs={"pk": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def validate(self, attrs):
        """Run the model's own validation (clean()) so API and pages refuse the same input."""
        from django.core.exceptions import ValidationError as DjangoValidationError

        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = self.instance or model()
        m2m = {}
        for key, value in attrs.items():
            field = next((f for f in model._meta.get_fields() if f.name == key), None)
            if field is not None and field.many_to_many:
                m2m[key] = value
                continue
            setattr(instance, key, value)
        try:
            instance.full_clean(exclude=self._clean_exclude(model))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        return attrs

    def _clean_exclude(self, model):
        writable = {name for name, f in self.fields.items() if not f.read_only}
        return [f.name for f in model._meta.fields if f.name not in writable]


class TreeNodeSerializerMixin:
    """For a serializer of a ``core.models.TreeNodeMixin`` model: the full name is derived (the name under its
    parent), so the base validation skips its uniqueness; ask the model's own constraints about the full name the
    change produces, and answer on ``name``."""

    def validate(self, attrs):
        from django.core.exceptions import ValidationError as DjangoValidationError

        attrs = super().validate(attrs)
        model, current = self.Meta.model, self.instance
        probe = model(pk=current.pk if current else None, name=attrs.get("name", current.name if current else ""),
                      parent=attrs.get("parent", current.parent if current else None))
        probe.path = probe.compute_path()
        probe._state.adding = current is None
        try:
            probe.validate_constraints()
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"name": exc.messages}) from exc
        return attrs
