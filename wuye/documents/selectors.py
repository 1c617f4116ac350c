"""Reads of the documents app: custody, archives and their completeness, loans that need attention."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.querysets import restrict

from .choices import ArchiveType, DocumentStatus, LoanMedium, LoanState
from .models import ArchiveRequirement, Document, Loan


def documents():
    return Document.objects.all()


# the facets of a search of the register (seed 2.1 "findable in a minute"): (filter name, label source)
FACETS = ("status", "confidentiality", "category", "department", "estate")


def facets(queryset, *, limit: int = 8) -> list[dict]:
    """Counts of ``queryset`` (a search of the register: at most a thousand documents, see
    ``core.search.filter_queryset``) by status, confidentiality, category, department and estate, each value with
    its count, largest first. Values without a document are left out, and a facet with a single value (it would
    narrow nothing).

    One query reads the five columns (and the related names) of the matches, counted here: five grouped queries
    would each repeat the search's access conditions (a fifth of the page's time at 200,000 documents)."""
    from collections import Counter

    from .choices import Confidentiality

    names = {"status": dict(DocumentStatus.choices), "confidentiality": dict(Confidentiality.choices)}
    label_of = {"category": "category__path", "department": "department__name", "estate": "estate__name"}
    columns = [column for field in FACETS for column in ((field, label_of[field]) if field in label_of else (field,))]
    rows = list(queryset.order_by().values_list(*columns))
    result = []
    for field in FACETS:
        at = columns.index(field)
        counts = Counter((row[at], row[at + 1] if field in label_of else names[field].get(row[at], row[at]))
                         for row in rows if row[at] is not None)
        if len(counts) < 2:
            continue
        top = sorted(counts.items(), key=lambda item: (-item[1], str(item[0][1])))[:limit]
        result.append({"name": field, "label": str(Document._meta.get_field(field).verbose_name),
                       "values": [{"value": value, "label": str(label), "count": n} for (value, label), n in top]})
    return result


def custody_of(staff):
    """The documents in ``staff``'s custody (every status: obsolete paper is still somebody's to keep)."""
    return Document.objects.filter(custodian=staff).order_by("code")


def custody_blocks_leaving(staff) -> str | None:
    """Registered with ``org.hooks``: a custodian of documents must hand them over before leaving."""
    count = custody_of(staff).count()
    if count:
        return _("%(name)s is still the custodian of %(count)d documents: complete a handover to a successor "
                 "first.") % {"name": staff.name, "count": count}
    return None


ARCHIVE_FIELD = {ArchiveType.CUSTOMER: "customer", ArchiveType.ENGINEERING: "building",
                 ArchiveType.PROPERTY: "estate"}


def archive(*, user, archive_type: str, owner):
    """The documents filed in ``owner``'s archive (a customer, a building or an estate) that ``user`` may see,
    current first; and the archive's completeness: each required category with the current document that
    fulfils it (or None: missing)."""
    field = ARCHIVE_FIELD[archive_type]
    filed = restrict(Document.objects.filter(**{field: owner}), user, "view").select_related(
        "category", "current_revision", "location")
    if archive_type == ArchiveType.PROPERTY:  # the estate's own property archive, not its buildings' or units'
        filed = filed.filter(building__isnull=True, unit__isnull=True, customer__isnull=True)
    rows = sorted(filed, key=lambda d: (d.status == DocumentStatus.OBSOLETE, d.category.path, d.code))
    # completeness is counted on every filed document, also those the user may not open (they exist)
    present = set(Document.objects.filter(**{field: owner}, status=DocumentStatus.CURRENT)
                  .values_list("category__path", flat=True))
    required = []
    for requirement in ArchiveRequirement.objects.filter(archive_type=archive_type, is_active=True).select_related(
            "category"):
        path = requirement.category.path
        ok = any(p == path or p.startswith(path + "/") for p in present)
        required.append({"category": requirement.category, "present": ok})
    return {"documents": rows, "required": required, "missing": [r["category"] for r in required
                                                                  if not r["present"]]}


def loans_needing_attention(*, now=None):
    """Paper loans past their end and not returned (overdue), and requests waiting for a decision."""
    now = now or timezone.now()
    overdue = Loan.objects.filter(state=LoanState.LENT, medium=LoanMedium.PAPER, ends_at__lte=now)
    waiting = Loan.objects.filter(state=LoanState.REQUESTED, ends_at__gt=now)
    return overdue, waiting


def paper_conflicts(*, document, starts_at, ends_at, exclude_pk=None):
    """Paper loans of ``document`` approved or lent for a period that overlaps [starts_at, ends_at)."""
    from .choices import HOLDING_STATES

    qs = Loan.objects.filter(document=document, medium=LoanMedium.PAPER, state__in=HOLDING_STATES,
                             starts_at__lt=ends_at).filter(Q(ends_at__gt=starts_at) | Q(state=LoanState.LENT))
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def with_running_loan(queryset, user, *, now=None):
    """Annotate ``has_loan``: whether ``user`` borrows the document right now."""
    now = now or timezone.now()
    running = Loan.objects.filter(document=OuterRef("pk"), borrower=user, state=LoanState.LENT,
                                  starts_at__lte=now).filter(Q(ends_at__gt=now) | Q(medium=LoanMedium.PAPER))
    return queryset.annotate(has_loan=Exists(running))


def regulations_due(queryset=None, *, today=None):
    """Regulations in force or amended whose yearly review is due: a year after the last review (or after they
    came into force, if never reviewed), by ``today``; never reviewed and undated ones are due at once."""
    from django.db.models.functions import Coalesce

    from .choices import RegulationStatus
    from .models import Regulation

    today = today or timezone.localdate()
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    queryset = Regulation.objects.all() if queryset is None else queryset
    return queryset.exclude(status=RegulationStatus.REPEALED).annotate(
        review_base=Coalesce("last_reviewed_on", "effective_on", "issued_on")).filter(
        Q(review_base__lte=year_ago) | Q(review_base__isnull=True))


def documents_past_review(*, user, today=None):
    """Current documents whose review-by date has passed (that ``user`` may see)."""
    today = today or timezone.localdate()
    return restrict(Document.objects.filter(status=DocumentStatus.CURRENT, review_by__lt=today), user, "view")
