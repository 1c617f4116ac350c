"""Appraisal forms as versioned data (the standard's 测评表): a form, its versions (scale, grade bands, sections
with weights, items in order), drafting a new version from the one in use, editing the draft, publishing it.

A version in use is never changed: it is active, or retired, or has appraisals or cycles. Every edit service
refuses it with a clear error; a change is made on a new draft (``form_version_draft``), and publishing the draft
retires the version before it. Appraisals keep the version they were made with. Each service is atomic, checks
its permission, refuses bad input with a field-keyed ``ValidationError`` (nothing changed) and is audited.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as

from ..choices import FormStatus
from ..models import AppraisalForm, FormItem, FormSection, FormVersion, default_bands, default_scale

__all__ = [
    "ADD_FORM", "ADD_ITEM", "ADD_SECTION", "ADD_VERSION", "CHANGE_FORM", "CHANGE_ITEM", "CHANGE_SECTION",
    "CHANGE_VERSION", "UNSET", "appraisal_form_create", "appraisal_form_update", "clean_bands", "clean_scale",
    "form_item_add", "form_item_update", "form_section_add", "form_section_update", "form_version_draft",
    "form_version_publish", "form_version_update", "version_in_use",
]

ADD_FORM = "appraisals.add_appraisalform"
CHANGE_FORM = "appraisals.change_appraisalform"
ADD_VERSION = "appraisals.add_formversion"
CHANGE_VERSION = "appraisals.change_formversion"
ADD_SECTION = "appraisals.add_formsection"
CHANGE_SECTION = "appraisals.change_formsection"
ADD_ITEM = "appraisals.add_formitem"
CHANGE_ITEM = "appraisals.change_formitem"

LABEL_MAX = 20  # a grade is stored on the appraisal (``Appraisal.grade``, 20 characters)
VALUE_MAX = 100


class _Unset:
    def __repr__(self):
        return "UNSET"


UNSET = _Unset()  # "not given": the value stays as it is


def _require(actor, permission: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(_("You may not do this."))


# --- scale and bands ---------------------------------------------------------------------------------------------


def _int(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def clean_scale(scale) -> list[dict]:
    """The scale as stored: ``[{"value": int, "label": str}, …]`` best first. At least two levels, distinct whole
    values from 0 to 100, each with a label (distinct, at most 20 characters)."""
    if not isinstance(scale, (list, tuple)) or not all(isinstance(level, dict) for level in scale):
        raise ValidationError({"scale": _("Give the scale as levels, each with a value and a label.")})
    levels = []
    for level in scale:
        value = _int(level.get("value"))
        label = str(level.get("label") or "").strip()
        if value is None or not 0 <= value <= VALUE_MAX:
            raise ValidationError({"scale": _("Each level's value is a whole number from 0 to %(max)s.")
                                   % {"max": VALUE_MAX}})
        if not label:
            raise ValidationError({"scale": _("Each level needs a label (e.g. 5 优秀).")})
        if len(label) > LABEL_MAX:
            raise ValidationError({"scale": _("A level's label has at most %(max)s characters.") % {"max": LABEL_MAX}})
        levels.append({"value": value, "label": label})
    if len(levels) < 2:
        raise ValidationError({"scale": _("A scale has at least two levels.")})
    if len({level["value"] for level in levels}) != len(levels):
        raise ValidationError({"scale": _("Each level of the scale has its own value.")})
    if len({level["label"] for level in levels}) != len(levels):
        raise ValidationError({"scale": _("Each level of the scale has its own label.")})
    return sorted(levels, key=lambda level: level["value"], reverse=True)


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _stored(number: Decimal):
    number = number.quantize(Decimal("0.01"))
    return int(number) if number == number.to_integral_value() else float(number)


def clean_bands(bands, scale) -> list[dict]:
    """The grade bands as stored: ``[{"min": number, "grade": str}, …]`` highest first. A weighted total gets the
    first band whose minimum it reaches. Minimums are distinct, from 0 up to the scale's best value; the lowest
    band starts at or below the scale's lowest value (so every total has a grade), the others above it."""
    levels = clean_scale(scale)
    top, bottom = levels[0]["value"], levels[-1]["value"]
    if not isinstance(bands, (list, tuple)) or not bands or not all(isinstance(band, dict) for band in bands):
        raise ValidationError({"bands": _("Give the grade bands, each with its lowest total and a grade.")})
    rows = []
    for band in bands:
        minimum = _number(band.get("min"))
        grade = str(band.get("grade") or "").strip()
        if minimum is None or minimum < 0:
            raise ValidationError({"bands": _("Each band's lowest total is a number, 0 or more.")})
        if not grade:
            raise ValidationError({"bands": _("Each band needs a grade (e.g. 4.5 优秀).")})
        if len(grade) > LABEL_MAX:
            raise ValidationError({"bands": _("A grade has at most %(max)s characters.") % {"max": LABEL_MAX}})
        rows.append((minimum, grade))
    rows.sort(key=lambda row: row[0], reverse=True)
    if len({row[0] for row in rows}) != len(rows):
        raise ValidationError({"bands": _("Each band has its own lowest total.")})
    if len({row[1] for row in rows}) != len(rows):
        raise ValidationError({"bands": _("Each band has its own grade.")})
    if rows[0][0] > top:
        raise ValidationError({"bands": _("No band may start above the scale's best value (%(top)s).")
                               % {"top": top}})
    if rows[-1][0] > bottom:
        raise ValidationError({"bands": _("The lowest band must start at or below the scale's lowest value "
                                          "(%(bottom)s), so that every total has a grade.") % {"bottom": bottom}})
    if len(rows) > 1 and rows[-2][0] <= bottom:
        raise ValidationError({"bands": _("Only the lowest band starts at or below the scale's lowest value "
                                          "(%(bottom)s).") % {"bottom": bottom}})
    return [{"min": _stored(minimum), "grade": grade} for minimum, grade in rows]


# --- checks ------------------------------------------------------------------------------------------------------


def version_in_use(version: FormVersion) -> bool:
    """Active or retired, or already holding appraisals or cycles: never changed."""
    return (version.status != FormStatus.DRAFT or version.appraisals.exists() or version.cycles.exists())


def _locked_version(version: FormVersion) -> FormVersion:
    return FormVersion.objects.select_for_update().select_related("form").get(pk=version.pk)


def _editable(version: FormVersion) -> FormVersion:
    """The version, locked, if it may still change; otherwise a clear refusal."""
    version = _locked_version(version)
    if version.status != FormStatus.DRAFT:
        raise ValidationError(_("Version %(number)s of this form is %(status)s and is never changed: make a new "
                                "version and edit that.") % {"number": version.number,
                                                             "status": version.get_status_display()})
    if version.appraisals.exists() or version.cycles.exists():
        raise ValidationError(_("Version %(number)s of this form already has appraisals and is never changed: "
                                "make a new version and edit that.") % {"number": version.number})
    return version


def _changed(obj, fields: dict) -> list[str]:
    return sorted(name for name, value in fields.items() if value is not UNSET and getattr(obj, name) != value)


def _text(value, field: str, message) -> str:
    value = str(value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


# --- the form ----------------------------------------------------------------------------------------------------


@transaction.atomic
def appraisal_form_create(*, actor, code, name, posts=(), title=None) -> AppraisalForm:
    """A new form with a draft version 1 (the default scale and bands, no sections yet)."""
    _require(actor, ADD_FORM)
    _require(actor, ADD_VERSION)
    name = _text(name, "name", _("Give the form a name."))
    title = str(title or "").strip() or name
    with acting_as(actor):
        form = AppraisalForm(code=str(code or "").strip(), name=name)
        form.full_clean()
        form.save()
        form.posts.set(list(posts or ()))
        version = FormVersion(form=form, number=1, title=title, scale=default_scale(), bands=default_bands())
        version.full_clean()
        version.save()
        audit("appraisal_form.create", actor=actor, obj=form, code=form.code, version=version.pk,
              posts=sorted(p.pk for p in form.posts.all()))
    return form


@transaction.atomic
def appraisal_form_update(*, actor, form: AppraisalForm, name=UNSET, posts=UNSET) -> AppraisalForm:
    """The form's name and the posts it applies to (its versions' content changes only through a new version)."""
    _require(actor, CHANGE_FORM)
    form = AppraisalForm.objects.select_for_update().get(pk=form.pk)
    changed = []
    with acting_as(actor):
        if name is not UNSET:
            name = _text(name, "name", _("Give the form a name."))
            if name != form.name:
                form.name = name
                changed.append("name")
        form.full_clean()
        form.save()
        if posts is not UNSET:
            new = {p.pk for p in posts or ()}
            if new != set(form.posts.values_list("pk", flat=True)):
                form.posts.set(list(posts or ()))
                changed.append("posts")
        if changed:
            audit("appraisal_form.update", actor=actor, obj=form, fields=changed,
                  posts=sorted(form.posts.values_list("pk", flat=True)))
    return form


# --- versions ----------------------------------------------------------------------------------------------------


@transaction.atomic
def form_version_draft(*, actor, form: AppraisalForm, change_note: str = "") -> FormVersion:
    """A new draft version copying the version in use: title, scale, bands, sections and items. One draft at a
    time."""
    _require(actor, ADD_VERSION)
    form = AppraisalForm.objects.select_for_update().get(pk=form.pk)
    draft = form.versions.filter(status=FormStatus.DRAFT).order_by("-number").first()
    if draft is not None:
        raise ValidationError(_("This form already has a draft, version %(number)s: edit or publish it first.")
                              % {"number": draft.number})
    base = (form.versions.filter(status=FormStatus.ACTIVE).first()
            or form.versions.order_by("-number").first())
    number = (form.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    with acting_as(actor):
        version = FormVersion(form=form, number=number, title=base.title if base else form.name,
                              scale=[dict(level) for level in base.scale] if base else default_scale(),
                              bands=[dict(band) for band in base.bands] if base else default_bands(),
                              change_note=str(change_note or "").strip())
        version.full_clean()
        version.save()
        if base is not None:
            for section in base.sections.prefetch_related("items").order_by("sort_order", "id"):
                copy = FormSection.objects.create(version=version, title=section.title, weight=section.weight,
                                                  sort_order=section.sort_order)
                FormItem.objects.bulk_create([FormItem(section=copy, number=item.number, text=item.text)
                                              for item in sorted(section.items.all(), key=lambda i: i.number)])
        audit("form_version.draft", actor=actor, obj=version, form=form.pk, number=number,
              copied_from=base.pk if base else None)
    return version


@transaction.atomic
def form_version_update(*, actor, version: FormVersion, title=UNSET, scale=UNSET, bands=UNSET,
                        change_note=UNSET) -> FormVersion:
    """A draft's title, scale, grade bands and note of what changed. The bands are checked against the scale the
    version will have."""
    _require(actor, CHANGE_VERSION)
    version = _editable(version)
    fields = {"title": title, "change_note": change_note}
    if title is not UNSET:
        fields["title"] = _text(title, "title", _("Give the title printed on the form."))
    if change_note is not UNSET:
        fields["change_note"] = str(change_note or "").strip()
    new_scale = clean_scale(scale) if scale is not UNSET else version.scale
    if scale is not UNSET:
        fields["scale"] = new_scale
    if bands is not UNSET or scale is not UNSET:
        fields["bands"] = clean_bands(version.bands if bands is UNSET else bands, new_scale)
    changed = _changed(version, fields)
    with acting_as(actor):
        for name in changed:
            setattr(version, name, fields[name])
        version.full_clean()
        version.save()
        if changed:
            audit("form_version.update", actor=actor, obj=version, fields=changed)
    return version


def _check_publishable(version: FormVersion) -> None:
    if not version.title.strip():
        raise ValidationError({"title": _("Give the title printed on the form.")})
    clean_bands(version.bands, clean_scale(version.scale))
    sections = list(version.sections.prefetch_related("items"))
    if not sections:
        raise ValidationError(_("Add at least one section with its items before publishing."))
    for section in sections:
        numbers = sorted(item.number for item in section.items.all())
        if not numbers:
            raise ValidationError(_("The section “%(section)s” has no items: add them before publishing.")
                                  % {"section": section.title})
        if numbers != list(range(1, len(numbers) + 1)):  # pragma: no cover - the item services keep them so
            raise ValidationError(_("The items of “%(section)s” are not numbered 1, 2, 3 … in order.")
                                  % {"section": section.title})
    if not any(section.weight > 0 for section in sections):
        raise ValidationError(_("At least one section needs a weight above 0."))


@transaction.atomic
def form_version_publish(*, actor, version: FormVersion) -> FormVersion:
    """Draft → in use; the version in use before it is retired. New appraisals and cycles take the new version;
    those made before keep theirs."""
    _require(actor, CHANGE_VERSION)
    AppraisalForm.objects.select_for_update().get(pk=version.form_id)
    version = _editable(version)
    _check_publishable(version)
    now = timezone.now()
    with acting_as(actor):
        retired = []
        for old in FormVersion.objects.select_for_update().filter(form_id=version.form_id, status=FormStatus.ACTIVE):
            old.status = FormStatus.RETIRED
            old.save()
            retired.append(old.pk)
        version.status = FormStatus.ACTIVE
        version.published_at = now
        version.full_clean()
        version.save()
        audit("form_version.publish", actor=actor, obj=version, form=version.form_id, number=version.number,
              retired=retired)
    return version


# --- sections ----------------------------------------------------------------------------------------------------


def _weight(value):
    number = _number(value)
    if number is None:
        raise ValidationError({"weight": _("The weight is a number, 0 or more.")})
    if number < 0:
        raise ValidationError({"weight": _("The weight is a number, 0 or more.")})
    return number


@transaction.atomic
def form_section_add(*, actor, version: FormVersion, title, weight=Decimal("1"), sort_order=None) -> FormSection:
    """A section at the end of a draft version (or at ``sort_order``)."""
    _require(actor, ADD_SECTION)
    version = _editable(version)
    title = _text(title, "title", _("Give the section a title."))
    if sort_order in (None, ""):
        sort_order = (version.sections.aggregate(n=Max("sort_order"))["n"] or 0) + 1
    with acting_as(actor):
        section = FormSection(version=version, title=title, weight=_weight(weight), sort_order=sort_order)
        section.full_clean()
        section.save()
        audit("form_section.add", actor=actor, obj=section, version=version.pk, title=title)
    return section


@transaction.atomic
def form_section_update(*, actor, section: FormSection, title=UNSET, weight=UNSET, sort_order=UNSET) -> FormSection:
    _require(actor, CHANGE_SECTION)
    _editable(section.version)
    section = FormSection.objects.select_for_update().get(pk=section.pk)
    fields = {"title": title, "weight": weight, "sort_order": sort_order}
    if title is not UNSET:
        fields["title"] = _text(title, "title", _("Give the section a title."))
    if weight is not UNSET:
        fields["weight"] = _weight(weight)
    changed = _changed(section, fields)
    with acting_as(actor):
        for name in changed:
            setattr(section, name, fields[name])
        section.full_clean()
        section.save()
        if changed:
            audit("form_section.update", actor=actor, obj=section, version=section.version_id, fields=changed)
    return section


# --- items -------------------------------------------------------------------------------------------------------


def _renumber(section: FormSection, order: list[FormItem]) -> None:
    """Number ``order`` 1, 2, 3 … (two passes, so the unique (section, number) never clashes on the way)."""
    FormItem.objects.filter(section=section).update(number=F("number") + 10000)
    for number, item in enumerate(order, start=1):
        item.number = number
        item.save()


def _position(number, count: int, field: str = "number") -> int:
    value = _int(number)
    if value is None or not 1 <= value <= count:
        raise ValidationError({field: _("The number is from 1 to %(max)s: the items of a section are numbered "
                                        "1, 2, 3 … without gaps.") % {"max": count}})
    return value


@transaction.atomic
def form_item_add(*, actor, section: FormSection, text, number=None) -> FormItem:
    """An item at the end of a draft's section, or at ``number`` (the items after it move down one)."""
    _require(actor, ADD_ITEM)
    _editable(section.version)
    section = FormSection.objects.select_for_update().get(pk=section.pk)
    text = _text(text, "text", _("Write the item's text."))
    items = list(section.items.order_by("number", "id"))
    position = len(items) + 1 if number in (None, "") else _position(number, len(items) + 1)
    with acting_as(actor):
        item = FormItem(section=section, number=len(items) + 1, text=text)
        item.full_clean()
        item.save()
        if position != item.number:
            _renumber(section, items[:position - 1] + [item] + items[position - 1:])
        audit("form_item.add", actor=actor, obj=item, section=section.pk, number=item.number)
    return item


@transaction.atomic
def form_item_update(*, actor, item: FormItem, text=UNSET, number=UNSET) -> FormItem:
    """A draft's item: its text, or its place in the section (the others close up around it)."""
    _require(actor, CHANGE_ITEM)
    _editable(item.section.version)
    item = FormItem.objects.select_for_update().select_related("section").get(pk=item.pk)
    section = item.section
    changed = []
    with acting_as(actor):
        if text is not UNSET:
            text = _text(text, "text", _("Write the item's text."))
            if text != item.text:
                item.text = text
                changed.append("text")
        item.full_clean()
        item.save()
        if number is not UNSET and number not in (None, ""):
            others = [other for other in section.items.order_by("number", "id") if other.pk != item.pk]
            position = _position(number, len(others) + 1)
            if position != item.number:
                _renumber(section, others[:position - 1] + [item] + others[position - 1:])
                changed.append("number")
        if changed:
            audit("form_item.update", actor=actor, obj=item, section=section.pk, fields=changed)
    return item

