"""Reads of the appraisal forms: the version in use for a post, a version's outline (sections with their items,
as the paper form lays them out), the list's active version."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from ..choices import FormStatus
from ..models import AppraisalForm, FormItem, FormSection, FormVersion

__all__ = ["active_version_for_post", "draft_version", "form_outline", "scale_columns", "with_active_version"]


def active_version_for_post(post) -> FormVersion | None:
    """The version in use of the form that applies to ``post`` (a Post or its id); with several such forms, the
    first by name. None when no form applies to the post."""
    if post is None:
        return None
    post_id = getattr(post, "pk", post)
    return (FormVersion.objects.filter(status=FormStatus.ACTIVE, form__posts=post_id)
            .select_related("form").order_by("form__name", "form__pk").first())


def draft_version(form: AppraisalForm) -> FormVersion | None:
    return form.versions.filter(status=FormStatus.DRAFT).order_by("-number").first()


def form_outline(version: FormVersion) -> list[FormSection]:
    """The sections of ``version`` in order, each with its items in order (``section.items.all()`` is prefetched;
    ``section.item_list`` is the same as a list). Two queries, whatever the size of the form."""
    sections = list(FormSection.objects.filter(version=version).order_by("sort_order", "id").prefetch_related(
        Prefetch("items", queryset=FormItem.objects.order_by("number", "id"))))
    for section in sections:
        section.item_list = list(section.items.all())
    return sections


def scale_columns(version: FormVersion) -> list[dict]:
    """The scale's levels best first (the columns of the paper form)."""
    return sorted(({"value": int(level["value"]), "label": level["label"]} for level in version.scale),
                  key=lambda level: level["value"], reverse=True)


def with_active_version(queryset: QuerySet) -> QuerySet:
    """Forms annotated with the number and title of their version in use (``active_number``,
    ``active_title``; None when only a draft exists)."""
    active = FormVersion.objects.filter(form=OuterRef("pk"), status=FormStatus.ACTIVE)
    return queryset.annotate(active_number=Subquery(active.values("number")[:1]),
                             active_title=Subquery(active.values("title")[:1]))
