"""Excel import of the customer archive and of units (all-or-nothing; errors per row and column)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from wuye.core.imports import ExcelImporter, ImportColumn

from . import services
from .choices import CustomerKind, IdType, OccupancyRole, UnitStatus, UnitUsage
from .models import Estate


def _choice(choices_class, value, key: str, *, default=None):
    """A choice by its code or its label in any of the site's languages (``业主``, ``Owner``, ``owner``)."""
    value = str(value or "").strip()
    if not value:
        if default is not None:
            return default
        raise ValidationError({key: _("This field is required.")})
    wanted = value.lower()
    for code, label in choices_class.choices:
        if wanted == code.lower():
            return code
        for lang in ("zh-hans", "en"):
            with translation.override(lang):
                if wanted == str(label).lower():
                    return code
    allowed = "、".join(str(label) for _code, label in choices_class.choices)
    raise ValidationError({key: _("“%(value)s” is not one of: %(allowed)s.") % {"value": value, "allowed": allowed}})


def _date(value, key: str):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError({key: _("Enter a date like 2024-03-01.")}) from None


def _decimal(value, key: str):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({key: _("Enter a number.")}) from None


def _int(value, key: str):
    if value in (None, ""):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValidationError({key: _("Enter a whole number.")}) from None


def _estate(actor, code) -> Estate:
    estate = Estate.objects.restrict(actor, "view").filter(code__iexact=str(code).strip()).first()
    if estate is None:
        raise ValidationError({"estate": _("No estate with the code “%(code)s” (among the estates you serve).")
                               % {"code": code}})
    return estate


class CustomerImporter(ExcelImporter):
    title = gettext_lazy("Customers")
    event_type = "customer.import"
    columns = [
        ImportColumn("estate", gettext_lazy("Estate code"), required=True, example="ljy",
                     help=gettext_lazy("The estate's code as shown on the estate's page.")),
        ImportColumn("name", pgettext_lazy("customer", "Name"), required=True, example="王芳"),
        ImportColumn("kind", gettext_lazy("Kind"), example="业主",
                     help=gettext_lazy("Owner, tenant, developer or other; empty means owner.")),
        ImportColumn("mobile", gettext_lazy("Mobile"), example="13812345678",
                     help=gettext_lazy("11 digits. An owner or tenant needs a mobile or another phone.")),
        ImportColumn("phone", gettext_lazy("Other phone"), example="010-88886666"),
        ImportColumn("id_type", gettext_lazy("ID type"), example="居民身份证",
                     help=gettext_lazy("Empty means resident ID card.")),
        ImportColumn("id_number", gettext_lazy("ID number"), example="",
                     help=gettext_lazy("Checked with its check digit; stored encrypted.")),
        ImportColumn("email", gettext_lazy("Email")),
        ImportColumn("emergency_contact", gettext_lazy("Emergency contact")),
        ImportColumn("emergency_phone", gettext_lazy("Emergency phone")),
        ImportColumn("unit", gettext_lazy("Unit number"), example="3-2-1201",
                     help=gettext_lazy("Optional: the unit the customer occupies (its occupancy starts).")),
        ImportColumn("role", gettext_lazy("Role in the unit"), example="业主",
                     help=gettext_lazy("Owner, co-owner, tenant, family member or other; empty means owner.")),
        ImportColumn("start_date", gettext_lazy("Since"), example="2020-05-01",
                     help=gettext_lazy("The date the occupancy started; empty means today.")),
        ImportColumn("notes", gettext_lazy("Notes")),
    ]

    def import_row(self, values, *, actor):
        errors: dict[str, list] = {}

        def collect(func, *args, **kwargs):
            try:
                return func(*args, **kwargs)
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    errors.setdefault(key, []).extend(messages)
                return None

        estate = collect(_estate, actor, values["estate"])
        fields = {
            "kind": collect(_choice, CustomerKind, values.get("kind"), "kind", default=CustomerKind.OWNER),
            "id_type": collect(_choice, IdType, values.get("id_type"), "id_type", default=IdType.RESIDENT_ID),
        }
        role = collect(_choice, OccupancyRole, values.get("role"), "role", default=OccupancyRole.OWNER)
        start = collect(_date, values.get("start_date"), "start_date")
        unit = None
        code = values.get("unit")
        if code and estate is not None:
            unit = services.unit_by_code(user=actor, estate=estate, code=str(code))
            if unit is None:
                errors.setdefault("unit", []).append(_("There is no unit %(code)s in %(estate)s.")
                                                     % {"code": code, "estate": estate})
        if errors:
            raise ValidationError(errors)
        for key in ("mobile", "phone", "id_number", "email", "emergency_contact", "emergency_phone", "notes"):
            fields[key] = str(values.get(key) or "").strip()
        try:
            services.customer_create(actor=actor, estate=estate, name=str(values["name"]), unit=unit,
                                     occupancy_role=role, moved_in_on=start, **fields)
        except ValidationError as exc:
            raise _rename(exc, {"end_date": "start_date", "customer": "name"}) from None


class UnitImporter(ExcelImporter):
    title = gettext_lazy("Units")
    event_type = "unit.import"
    columns = [
        ImportColumn("estate", gettext_lazy("Estate code"), required=True, example="ljy"),
        ImportColumn("building", gettext_lazy("Building number"), required=True, example="3",
                     help=gettext_lazy("Created when the estate has no building with this number yet.")),
        ImportColumn("entrance", gettext_lazy("Entrance"), example="2", help=gettext_lazy("单元; may be empty.")),
        ImportColumn("floor", gettext_lazy("Floor"), example="12"),
        ImportColumn("number", gettext_lazy("Room number"), required=True, example="1201"),
        ImportColumn("usage", gettext_lazy("Usage"), example="住宅",
                     help=gettext_lazy("Residential, shop, office, parking space, storage room or other; "
                                       "empty means residential.")),
        ImportColumn("status", gettext_lazy("Status"), example="",
                     help=gettext_lazy("Unsold, vacant, renovating, occupied or let; empty means occupied.")),
        ImportColumn("floor_area", gettext_lazy("Floor area (m²)"), example="89.5"),
    ]

    def import_row(self, values, *, actor):
        estate = _estate(actor, values["estate"])
        fields = {
            "usage": _choice(UnitUsage, values.get("usage"), "usage", default=UnitUsage.RESIDENTIAL),
            "status": _choice(UnitStatus, values.get("status"), "status", default=UnitStatus.OCCUPIED),
            "floor_area": _decimal(values.get("floor_area"), "floor_area"),
        }
        floor = _int(values.get("floor"), "floor")
        building, _created = services.building_get_or_create(actor=actor, estate=estate,
                                                             number=str(values["building"]))
        services.unit_create(actor=actor, building=building, number=str(values["number"]),
                             entrance=str(values.get("entrance") or ""), floor=floor, **fields)


def _rename(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    errors: dict[str, list] = {}
    for key, messages in exc.error_dict.items():
        errors.setdefault(names.get(key, key), []).extend(messages)
    return ValidationError(errors)
