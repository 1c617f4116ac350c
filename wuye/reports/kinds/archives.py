"""客户服务档案文件编制报告 (customer service archives report): the controlled documents of the period — revisions
issued (new documents and revisions), documents made obsolete (the withdrawal register), loans (lent, returned,
overdue), custodian handovers completed, regulations reviewed — and the completeness of the archives now.

Documents are not always estate-bound: the estate scope leaves out only the rows filed to another estate;
company-wide documents (no estate), handovers and regulations are always counted."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.documents.choices import ArchiveType, DocumentStatus, LoanState
from wuye.documents.models import ArchiveRequirement, Document, Handover, Loan, Regulation, Revision
from wuye.tickets.reports import Period

from .common import content, figure, list_url, rate, section, shorten, table, text


def _scope(queryset, estate_ids, prefix: str = ""):
    """Rows filed to no estate, or to one of ``estate_ids``."""
    if estate_ids is None:
        return queryset
    return queryset.filter(Q(**{f"{prefix}estate__isnull": True}) | Q(**{f"{prefix}estate_id__in": list(estate_ids)}))


def _day(value):
    return timezone.localtime(value).date() if value else None


def _between(field: str, period: Period) -> dict:
    return {f"{field}__gte": period.start_at, f"{field}__lt": period.end_at}


def revisions_issued(period: Period, estate_ids):
    earlier = Revision.objects.filter(document=OuterRef("document"), issued_at__lt=OuterRef("issued_at"))
    return (_scope(Revision.objects.filter(**_between("issued_at", period)), estate_ids, "document__")
            .annotate(is_revision=Exists(earlier)).select_related("document").order_by("issued_at", "id"))


def archive_completeness(estate_ids) -> list[dict]:
    """Per archive (customer, engineering = building, property = estate): how many owners in the scope have a
    current document of every required category (a subcategory fulfils its parent), as ``documents.selectors.
    archive`` counts one owner. Counted now, not at the end of the period."""
    from wuye.estates.models import Building, Customer, Estate

    owners = {ArchiveType.CUSTOMER: (Customer.objects.all(), "customer", "estate_id"),
              ArchiveType.ENGINEERING: (Building.objects.all(), "building", "estate_id"),
              ArchiveType.PROPERTY: (Estate.objects.all(), "estate", "pk")}
    result = []
    for archive_type, label in ArchiveType.choices:
        queryset, field, estate_field = owners[archive_type]
        if estate_ids is not None:
            queryset = queryset.filter(**{f"{estate_field}__in": list(estate_ids)})
        required = list(ArchiveRequirement.objects.filter(archive_type=archive_type, is_active=True)
                        .select_related("category").order_by("category__path"))
        total = queryset.count()
        if not required:
            result.append({"type": archive_type, "label": text(label), "owners": total, "complete": None,
                           "required": 0, "missing": {}})
            continue
        documents = Document.objects.filter(status=DocumentStatus.CURRENT, **{f"{field}__isnull": False})
        if archive_type == ArchiveType.PROPERTY:
            documents = documents.filter(building__isnull=True, unit__isnull=True, customer__isnull=True)
        if estate_ids is not None:
            documents = documents.filter(**{f"{field}__in": queryset.values("pk")})
        present: dict[int, set] = {}
        for owner_id, path in documents.values_list(f"{field}_id", "category__path").distinct():
            present.setdefault(owner_id, set()).add(path)
        complete, missing = 0, {}
        for paths in present.values():
            lacking = [r.category.path for r in required
                       if not any(p == r.category.path or p.startswith(r.category.path + "/") for p in paths)]
            if not lacking:
                complete += 1
            for path in lacking:
                missing[path] = missing.get(path, 0) + 1
        # owners without any current document lack every required category
        for r in required:
            missing[r.category.path] = missing.get(r.category.path, 0) + total - len(present)
        result.append({"type": archive_type, "label": text(label), "owners": total, "complete": complete,
                       "required": len(required), "missing": missing})
    return result


LIST_LIMIT = 100  # rows listed per table; the counts cover every row, the registers list them all


def _latest(queryset, field: str) -> list:
    """The latest ``LIST_LIMIT`` rows by ``field``, oldest first."""
    return list(reversed(queryset.order_by(f"-{field}", "-id")[:LIST_LIMIT]))


def _limit_note(listed: int, total: int) -> list[str]:
    if listed >= total:
        return []
    return [_("%(total)s rows: the latest %(listed)s are listed here; the register holds them all.")
            % {"total": total, "listed": listed}]


def build(*, period: Period, estate_ids: list[int] | None, department=None) -> dict:
    now = timezone.now()
    revisions = revisions_issued(period, estate_ids)
    issued_count = revisions.count()
    revised_count = revisions.filter(is_revision=True).count()
    listed_revisions = _latest(revisions, "issued_at")
    obsolete = _scope(Document.objects.filter(**_between("obsoleted_at", period)), estate_ids)
    obsolete_count = obsolete.count()
    listed_obsolete = _latest(obsolete, "obsoleted_at")
    issued = section("documents", _("Documents issued, revised and withdrawn"), figures=[
        figure("issued", _("Revisions issued"), issued_count),
        figure("new", _("New documents issued"), issued_count - revised_count),
        figure("revised", _("Documents revised"), revised_count),
        figure("obsolete", _("Documents made obsolete"), obsolete_count,
               url=list_url("documents:withdrawal_register")),
    ], tables=[
        table("issued", _("Revisions issued"), [_("issued on"), _("code"), _("title"), _("revision"), _("new")],
              [[_day(r.issued_at), r.document.code, shorten(r.document.title), r.mark,
                text(_("new") if not r.is_revision else _("revision"))] for r in listed_revisions]),
        table("obsolete", _("Withdrawal register"), [_("withdrawn on"), _("code"), _("title"), _("reason")],
              [[_day(d.obsoleted_at), d.code, shorten(d.title), shorten(d.obsolete_reason)]
               for d in listed_obsolete]),
    ], notes=[_("New: the first issued revision of a document; revised: a later one."),
              *_limit_note(len(listed_revisions), issued_count), *_limit_note(len(listed_obsolete), obsolete_count)])

    loans = _scope(Loan.objects.all(), estate_ids, "document__")
    lent = loans.filter(**_between("lent_at", period))
    returned = loans.filter(**_between("returned_at", period)).count()
    late = lent.filter(Q(returned_at__gt=F("ends_at")) | Q(returned_at__isnull=True, ends_at__lt=now))
    late_count = late.count()
    listed_late = _latest(late.select_related("document", "borrower"), "lent_at")
    loans_section = section("loans", _("Loans"), figures=[
        figure("lent", _("Loans started"), lent.count(), url=list_url("documents:loan_list")),
        figure("returned", _("Loans returned"), returned),
        figure("late", _("Returned late or overdue"), late_count),
        figure("still_out", _("Not yet returned"), lent.filter(state=LoanState.LENT).count()),
    ], tables=[table("late", _("Loans returned late or overdue"),
                     [_("code"), _("title"), _("borrower"), _("lent on"), _("due"), _("returned on")],
                     [[loan.document.code, shorten(loan.document.title), loan.borrower.get_full_name()
                       or loan.borrower.username, _day(loan.lent_at), _day(loan.ends_at), _day(loan.returned_at)]
                      for loan in listed_late])],
        notes=[_("Loans lent in the period; late: returned after their end, or not returned and past it now."),
               *_limit_note(len(listed_late), late_count)])

    handovers = list(Handover.objects.filter(**_between("completed_at", period))
                     .select_related("from_staff", "to_staff").order_by("completed_at", "id"))
    reviewed = list(Regulation.objects.filter(last_reviewed_on__gte=period.start, last_reviewed_on__lte=period.end)
                    .order_by("last_reviewed_on", "id"))
    custody = section("custody", _("Handovers and regulations"), figures=[
        figure("handovers", _("Handovers completed"), len(handovers), url=list_url("documents:handover_list")),
        figure("regulations_reviewed", _("Regulations reviewed"), len(reviewed),
               url=list_url("documents:regulation_list")),
    ], tables=[
        table("handovers", _("Handovers completed"), [_("completed on"), _("handed over by"), _("received by"),
                                                      _("documents")],
              [[_day(h.completed_at), h.from_staff.name, h.to_staff.name, h.items.count()] for h in handovers]),
        table("regulations", _("Regulations reviewed"), [_("reviewed on"), _("title"), _("issued by")],
              [[r.last_reviewed_on, shorten(r.title), r.authority] for r in reviewed]),
    ], notes=[_("A regulation counts by its latest review only.")])

    completeness = archive_completeness(estate_ids)
    rows, missing_rows = [], []
    for c in completeness:
        rows.append([c["label"], c["owners"], c["required"], c["complete"],
                     rate(c["complete"], c["owners"]) if c["complete"] is not None else None])
        for path, n in sorted(c["missing"].items(), key=lambda item: (-item[1], item[0])):
            if n:
                missing_rows.append([c["label"], path, n])
    archives = section("archives", _("Archive completeness"), figures=[
        figure(f"complete_{c['type']}", c["label"], rate(c["complete"], c["owners"])
               if c["complete"] is not None else None, "%") for c in completeness
    ], tables=[
        table("completeness", _("Archive completeness"), [_("archive"), _("files"), _("required categories"),
                                                          _("complete"), _("complete %")], rows),
        table("missing", _("Missing documents"), [_("archive"), _("category"), _("files without it")],
              missing_rows),
    ], notes=[_("Complete: the customer (customer archive), building (engineering archive) or estate (property "
                "archive) has a current document of every required category of its archive. Counted now, for the "
                "estates of the report; no value where no category is required."),
              _("Documents without an estate are counted in every estate scope.")])
    return content(_("Customer service archives report"), [issued, loans_section, custody, archives])

