from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..history import HIDDEN_FIELDS
from ..personal import mask as mask_value
from ..personal import may_view_personal_data

register = template.Library()


@register.simple_tag(takes_context=True)
def list_link(context, model):
    meta = model._meta
    try:
        url = reverse(f"{meta.app_label}:{meta.model_name}_list")
    except NoReverseMatch:
        return meta.verbose_name_plural
    return format_html('<a href="{}">{}</a>', url, meta.verbose_name_plural)


@register.filter
def masked(value):
    return mask_value(value)


@register.simple_tag(takes_context=True)
def personal(context, obj, field_name):
    """A masked personal value with, for users who may see it, a button that reveals it (audited)."""
    value = getattr(obj, field_name, "")
    if not value:
        return "—"
    user = context["request"].user
    meta = obj._meta
    if not may_view_personal_data(user):
        return format_html('<span class="personal masked">{}</span>', mask_value(value))
    try:
        url = reverse(f"{meta.app_label}:{meta.model_name}_reveal", args=[obj.pk, field_name])
    except NoReverseMatch:
        return format_html('<span class="personal masked">{}</span>', mask_value(value))
    return format_html(
        '<span class="personal masked" id="{id}">{masked} '
        '<button type="button" class="btn btn-link btn-sm p-0 align-baseline" hx-post="{url}" '
        'hx-target="#{id}" hx-swap="outerHTML" title="{title}"><i class="bi bi-eye"></i> {label}</button></span>',
        id=f"pd-{meta.model_name}-{obj.pk}-{field_name}", masked=mask_value(value), url=url,
        title=_("Reveal (the view is recorded)"), label=_("Show"),
    )


def _value(obj, field):
    if field.name in getattr(type(obj), "personal_fields", ()):
        return mask_value(getattr(obj, field.name))
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    value = getattr(obj, field.name)
    if field.is_relation and value is not None and hasattr(value, "get_absolute_url"):
        try:
            return format_html('<a href="{}">{}</a>', value.get_absolute_url(), value)
        except NoReverseMatch:
            return value
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


@register.inclusion_tag("core/includes/object_fields.html")
def object_fields(obj, exclude=""):
    skip = set(HIDDEN_FIELDS) | set(filter(None, exclude.split(",")))
    rows = []
    for field in obj._meta.fields:
        if field.name in skip or not field.editable and field.name not in ("code",):
            continue
        if field.name.endswith("_digest") or field.name.endswith("_tail"):
            continue
        value = _value(obj, field)
        rows.append((field.verbose_name, value if value not in (None, "") else "—"))
    return {"rows": rows}


@register.filter
def role_label(name):
    from ..roles import role_label as label

    return label(name)
