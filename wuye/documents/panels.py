"""What the documents app shows on other apps' pages: the archives (seed 2.4) on the customer, estate and
building pages with their completeness check, and the document controller's panel on the home page.
Registered in ``DocumentsConfig.ready``."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from wuye.core.querysets import restrict

from . import selectors
from .choices import ArchiveType
from .models import Loan, Regulation


def _archive_panel(request, archive_type, owner, field, title, icon, order=40):
    user = request.user
    if not user.has_perm("documents.view_document"):
        return None
    archive = selectors.archive(user=user, archive_type=archive_type, owner=owner)
    add_url = None
    if user.has_perm("documents.add_document"):
        params = {field: owner.pk, "estate": owner.pk if field == "estate" else owner.estate_id}
        add_url = f"{reverse('documents:document_add')}?{urlencode(params)}"
    return {"title": title, "icon": icon, "order": order, "count": len(archive["documents"]),
            "template": "documents/panels/archive.html", "archive_type": archive_type, **archive,
            "add_url": add_url}


def customer_archive_panel(request, customer):
    return _archive_panel(request, ArchiveType.CUSTOMER, customer, "customer", _("Customer archive"), "archive")


def estate_archive_panel(request, estate):
    return _archive_panel(request, ArchiveType.PROPERTY, estate, "estate", _("Property archive"), "archive")


def building_archive_panel(request, building):
    return _archive_panel(request, ArchiveType.ENGINEERING, building, "building", _("Engineering archive"),
                          "tools")


def controller_dashboard_panel(request):
    """The document controller's day: loan requests waiting, overdue paper loans, regulations due for review,
    documents past their review-by date."""
    user = request.user
    if not (user.has_perm("documents.decide_loan") or user.has_perm("documents.review_regulation")):
        return None
    overdue, waiting = selectors.loans_needing_attention()
    loans = restrict(Loan.objects.all(), user, "view")
    register = reverse("documents:loan_list")
    parts = [
        {"name": "waiting", "label": _("Loan requests waiting"), "color": "primary",
         "count": loans.filter(pk__in=waiting.values("pk")).count(),
         "url": f"{register}?{urlencode({'state': 'requested'})}"},
        {"name": "overdue", "label": _("Overdue paper loans"), "color": "danger",
         "count": loans.filter(pk__in=overdue.values("pk")).count(),
         "url": f"{register}?{urlencode({'state': 'lent', 'medium': 'paper'})}"},
        {"name": "regulations", "label": _("Regulations due for review"), "color": "warning",
         "count": selectors.regulations_due(restrict(Regulation.objects.all(), user, "view")).count(),
         "url": f"{reverse('documents:regulation_list')}?review_due=true"},
        {"name": "review", "label": _("Documents past their review date"), "color": "warning",
         "count": selectors.documents_past_review(user=user).count(),
         "url": f"{reverse('documents:document_list')}?status=current"},
    ]
    return {"template": "documents/panels/controller.html", "css": "col-12 col-xl-6", "parts": parts}
