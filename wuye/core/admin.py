"""Admin base: history on every object, no hard delete, personal data masked unless the user may see it
(and then every unmasked change form is audited)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .audit import audit
from .models import AuditEvent
from .personal import mask, may_view_personal_data


def _masked(field_name, label):
    def column(obj):
        return mask(getattr(obj, field_name, ""))

    column.short_description = label
    column.admin_order_field = field_name
    return column


class BaseAdmin(SimpleHistoryAdmin):
    readonly_fields = ()

    def personal_fields(self):
        return tuple(getattr(self.model, "personal_fields", ()))

    def has_delete_permission(self, request, obj=None):
        return False

    def get_list_display(self, request):
        result = []
        for name in super().get_list_display(request):
            if name in self.personal_fields():
                label = self.model._meta.get_field(name).verbose_name
                result.append(_masked(name, label))
            else:
                result.append(name)
        return result

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if not may_view_personal_data(request.user):
            exclude += list(self.personal_fields())
        return exclude

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not may_view_personal_data(request.user):
            fields += [f"masked_{name}" for name in self.personal_fields()]
        return fields

    def __getattr__(self, name):
        if name.startswith("masked_"):
            field = name[len("masked_"):]
            if field in getattr(self.model, "personal_fields", ()):
                return _masked(field, self.model._meta.get_field(field).verbose_name)
        raise AttributeError(name)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and self.personal_fields() and may_view_personal_data(request.user):
            obj = self.get_object(request, object_id)
            if obj is not None:
                audit("personal_data.reveal", actor=request.user, obj=obj, channel="admin")
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "actor", "event_type", "object_repr", "ip")
    list_filter = ("event_type",)
    search_fields = ("object_repr", "event_type", "actor__username")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
