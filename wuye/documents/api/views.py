"""Documents API (seed 2.1–2.9): the register with its full-text search, revisions and their steps, the
classification tree, storage locations, loans, handovers and regulations. Every queryset goes through
``restrict()`` (a document the caller may not open answers 404, like a missing one); every workflow write is a
call to ``documents.services``; transitions are POST actions; nothing is deleted."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.response import Response

from wuye.core.api.schema import step_responses
from wuye.core.api.viewsets import BaseModelViewSet, ServiceModelViewSet
from wuye.core.audit import audit

from .. import selectors, services
from ..filtersets import (
    DocumentCategoryFilterSet,
    DocumentFilterSet,
    LoanFilterSet,
    LocationFilterSet,
    RegulationFilterSet,
)
from ..models import (
    Document,
    DocumentCategory,
    Handover,
    Loan,
    Location,
    Regulation,
    Revision,
    RevisionFile,
)
from .serializers import (
    DocumentCategorySerializer,
    DocumentSearchSerializer,
    DocumentSerializer,
    HandoverConfirmSerializer,
    HandoverSerializer,
    LoanRequestSerializer,
    LoanSerializer,
    LocationSerializer,
    ReasonSerializer,
    RegulationReviewSerializer,
    RegulationSerializer,
    RevisionCreateSerializer,
    RevisionIssueSerializer,
    RevisionRejectSerializer,
    RevisionSerializer,
)


class DocumentViewSet(ServiceModelViewSet):
    """The document register (文件登记). ``q`` searches code, title, category, keywords, description and the
    text of the current revision's files (any 2+ character Chinese substring); current documents come first,
    then drafts, then obsolete ones. Secret and confidential documents are listed only to those who may open
    them (their custodian, the document controller, granted users and running borrowers); to anyone else they
    answer 404. Opening one writes an audit event."""

    queryset = Document.objects.select_related("category", "current_revision", "custodian", "location")
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilterSet
    action_permissions = {
        "revisions": "documents.view_revision",
        "add_revision": "documents.add_revision",
        "obsolete": "documents.issue_document",
        "search": "documents.view_document",
    }

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action in ("list", "search"):
            # current < draft < obsolete alphabetically: current first along documents_status_code_idx
            queryset = queryset.order_by("status", "code")
        return queryset

    def retrieve(self, request, *args, **kwargs):
        document = self.get_object()
        if document.is_restricted:
            audit("document.view", actor=request.user, obj=document, confidentiality=document.confidentiality,
                  channel="api")
        return Response(self.get_serializer(document).data)

    @extend_schema(responses={201: DocumentSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        category = data.pop("category")
        title = data.pop("title", "")
        code = data.pop("code", "")
        document = services.document_create(actor=request.user, category=category, title=title, code=code,
                                             **data)
        return self._answer(document, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        document = self.get_object()
        serializer = self.get_serializer(document, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        document = services.document_update(actor=request.user, document=document,
                                            **dict(serializer.validated_data))
        return self._answer(document)

    @extend_schema(
        parameters=[OpenApiParameter("q", str, required=True, description=_("Two or more characters."))],
        responses=DocumentSearchSerializer(many=True),
        description=_("Full-text search of the register, current documents first; the same results as the "
                      "list's ``q`` in a small shape (id, code, title, status, revision, url), and ``facets``: the "
                      "matches counted by status, confidentiality, category, department and estate."))
    @action(detail=False, methods=["get"], serializer_class=DocumentSearchSerializer, filterset_class=None)
    def search(self, request):
        q = (request.query_params.get("q") or "").strip()
        if len(q) < 2:
            raise ValidationError({"q": _("Give at least two characters.")})
        queryset = DocumentFilterSet(data={"q": q}, queryset=self.get_queryset(), request=request).qs
        page = self.paginate_queryset(queryset)
        serializer = DocumentSearchSerializer(page, many=True, context=self.get_serializer_context())
        response = self.get_paginated_response(serializer.data)
        response.data["facets"] = selectors.facets(queryset)
        return response

    # revisions -----------------------------------------------------------------------------------------------
    @extend_schema(responses=RevisionSerializer(many=True), filters=False,
                   description=_("The document's revisions, newest first, with the files the caller may open."))
    @action(detail=True, methods=["get"], serializer_class=RevisionSerializer, filterset_class=None,
            pagination_class=None)
    def revisions(self, request, pk=None):
        document = self.get_object()
        revisions = (Revision.objects.restrict(request.user, "view").filter(document=document)
                     .select_related("author").prefetch_related("files"))
        context = {**self.get_serializer_context(), "openable_files": _openable(request.user, document)}
        return Response(RevisionSerializer(revisions, many=True, context=context).data)

    @extend_schema(request={"multipart/form-data": RevisionCreateSerializer}, responses={201: RevisionSerializer},
                   description=_("A new draft revision with its files (multipart ``files``); one revision is worked "
                                 "on at a time."))
    @revisions.mapping.post
    def add_revision(self, request, pk=None):
        document = self.get_object()
        params = self._params(RevisionCreateSerializer)
        revision = services.revision_create(actor=request.user, document=document,
                                            change_description=params["change_description"],
                                            major=params["major"], mark=params["mark"],
                                            files=params.get("files") or ())
        context = {**self.get_serializer_context(), "openable_files": _openable(request.user, document)}
        return Response(RevisionSerializer(revision, context=context).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonSerializer, responses=step_responses(DocumentSerializer),
                   description=_("作废: withdraw the document, with the reason. It is kept in the register and the "
                                 "withdrawal register, marked obsolete; its files are served with the mark."))
    @action(detail=True, methods=["post"], serializer_class=DocumentSerializer)
    def obsolete(self, request, pk=None):
        document = services.document_obsolete(actor=request.user, document=self.get_object(),
                                              **self._params(ReasonSerializer))
        return self._answer(document)


def _openable(user, document) -> set[int]:
    return set(RevisionFile.objects.restrict(user, "view").filter(revision__document=document)
               .values_list("pk", flat=True))


class RevisionViewSet(ServiceModelViewSet):
    """Revisions of the documents the caller may open. A revision is created on its document
    (``POST /api/v1/documents/{id}/revisions/``); its steps are POST actions here: ``submit`` (draft → in review),
    ``approve`` and ``reject`` (by someone other than the author), ``issue`` (approved → current; the revision
    before is superseded)."""

    queryset = Revision.objects.select_related("document", "author").prefetch_related("files").order_by(
        "document__code", "-created_at", "-id")
    serializer_class = RevisionSerializer
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {
        "submit": "documents.change_revision",
        "approve": "documents.issue_document",
        "reject": "documents.issue_document",
        "issue": "documents.issue_document",
    }

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "request", None) is not None and self.request.user.is_authenticated:
            context["openable_files"] = set(RevisionFile.objects.restrict(self.request.user, "view")
                                            .values_list("pk", flat=True)) if self.action == "list" else None
        return context

    def retrieve(self, request, *args, **kwargs):
        revision = self.get_object()
        context = {**self.get_serializer_context(), "openable_files": _openable(request.user, revision.document)}
        return Response(RevisionSerializer(revision, context=context).data)

    @extend_schema(exclude=True)
    def create(self, request, *args, **kwargs):
        raise MethodNotAllowed("POST")  # a revision is created on its document

    @extend_schema(request=None, responses=step_responses(RevisionSerializer),
                   description=_("Submit a draft for review (it needs at least one file)."))
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._answer(services.revision_submit(actor=request.user, revision=self.get_object()))

    @extend_schema(request=None, responses=step_responses(RevisionSerializer),
                   description=_("Approve a revision in review (not one's own)."))
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._answer(services.revision_approve(actor=request.user, revision=self.get_object()))

    @extend_schema(request=RevisionRejectSerializer, responses=step_responses(RevisionSerializer),
                   description=_("Send a revision in review back to draft, saying what must change."))
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._answer(services.revision_reject(actor=request.user, revision=self.get_object(),
                                                     **self._params(RevisionRejectSerializer)))

    @extend_schema(request=RevisionIssueSerializer, responses=step_responses(RevisionSerializer),
                   description=_("Issue an approved revision: it becomes current, the one before is superseded."))
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        return self._answer(services.revision_issue(actor=request.user, revision=self.get_object(),
                                                    **self._params(RevisionIssueSerializer)))


class DocumentCategoryViewSet(BaseModelViewSet):
    """The classification tree (e.g. 程序文件) with each category's numbering rule. ``path`` is the full name;
    categories are retired with ``is_active=false``, never deleted."""

    queryset = DocumentCategory.objects.select_related("parent").order_by("sort_order", "path")
    serializer_class = DocumentCategorySerializer
    filterset_class = DocumentCategoryFilterSet


class LocationViewSet(BaseModelViewSet):
    """Where paper originals lie (存放位置): room, cabinet, shelf, box."""

    queryset = Location.objects.order_by("room", "cabinet", "shelf", "box")
    serializer_class = LocationSerializer
    filterset_class = LocationFilterSet


class LoanViewSet(ServiceModelViewSet):
    """The borrowing register (借阅). The document controller sees every loan; others their own and those of the
    documents in their custody. A request names the document by ``code`` (or id); it is approved or rejected by
    the custodian or the document controller (not one's own), a paper copy is then lent and returned; an
    electronic loan is lent on approval and ends by itself at ``ends_at``. The borrower may cancel a request."""

    queryset = Loan.objects.select_related("document__custodian", "borrower").order_by("-starts_at", "-id")
    serializer_class = LoanSerializer
    filterset_class = LoanFilterSet
    http_method_names = ["get", "post", "head", "options"]
    # The services decide who may decide a loan (the controller or the document's custodian), who may return
    # it and who may cancel it: the action needs only to see the loan.
    action_permissions = {"approve": "documents.view_loan", "reject": "documents.view_loan",
                          "lend": "documents.view_loan", "return_": "documents.view_loan",
                          "cancel": "documents.view_loan"}

    @extend_schema(request=LoanRequestSerializer, responses={201: LoanSerializer})
    def create(self, request, *args, **kwargs):
        params = self._params(LoanRequestSerializer)
        code = (params.pop("code", "") or "").strip()
        document_id = params.pop("document", None)
        # A confidential document is not listed to the asker, but may be asked for by its code or id: look it up
        # within the caller's estates (its confidentiality aside).
        candidates = Document.objects.filter(Document.in_scope(request.user))
        document = (get_object_or_404(candidates, code=code) if code
                    else get_object_or_404(candidates, pk=document_id))
        loan = services.loan_request(actor=request.user, document=document, **params)
        return self._answer(loan, status.HTTP_201_CREATED, LoanSerializer)

    @extend_schema(request=None, responses=step_responses(LoanSerializer),
                   description=_("Approve a request; an electronic loan is lent at once."))
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._answer(services.loan_approve(actor=request.user, loan=self.get_object()))

    @extend_schema(request=ReasonSerializer, responses=step_responses(LoanSerializer),
                   description=_("Reject a request (or an approved paper loan not yet lent), with the reason."))
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._answer(services.loan_reject(actor=request.user, loan=self.get_object(),
                                                 **self._params(ReasonSerializer)))

    @extend_schema(request=None, responses=step_responses(LoanSerializer),
                   description=_("The paper copy is handed to the borrower."))
    @action(detail=True, methods=["post"])
    def lend(self, request, pk=None):
        return self._answer(services.loan_lend(actor=request.user, loan=self.get_object()))

    @extend_schema(request=None, responses=step_responses(LoanSerializer),
                   description=_("The copy is back (an electronic loan may be ended early by its borrower)."))
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._answer(services.loan_return(actor=request.user, loan=self.get_object()))

    @extend_schema(request=None, responses=step_responses(LoanSerializer),
                   description=_("The borrower withdraws their request."))
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._answer(services.loan_cancel(actor=request.user, loan=self.get_object()))


class HandoverViewSet(ServiceModelViewSet):
    """Custodian handovers (交接). Created listing every document in ``from_staff``'s custody; ``send`` makes the
    list final; the successor confirms each document with ``confirm``; custody moves when the last one is
    confirmed. ``cancel`` with a reason. The controller sees all handovers, others those they give or receive."""

    queryset = Handover.objects.select_related("from_staff", "to_staff").prefetch_related(
        "items__document").order_by("-created_at", "-id")
    serializer_class = HandoverSerializer
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"create": "documents.manage_handover", "send": "documents.manage_handover",
                          "cancel": "documents.manage_handover", "confirm": "documents.view_handover"}

    @extend_schema(responses={201: HandoverSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        handover = services.handover_create(actor=request.user, from_staff=data["from_staff"],
                                            to_staff=data["to_staff"], reason=data.get("reason", ""))
        return self._answer(handover, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=step_responses(HandoverSerializer),
                   description=_("Make the list final and ask the successor to confirm receipt."))
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        return self._answer(services.handover_send(actor=request.user, handover=self.get_object()))

    @extend_schema(request=HandoverConfirmSerializer, responses=step_responses(HandoverSerializer),
                   description=_("The successor confirms receiving one document of the handover."))
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        handover = self.get_object()
        document_id = self._params(HandoverConfirmSerializer)["document"]
        document = Document.objects.filter(pk=document_id).first()
        if document is None:
            raise ValidationError({"document": _("This document is not in the handover.")})
        return self._answer(services.handover_confirm(actor=request.user, handover=handover, document=document))

    @extend_schema(request=ReasonSerializer, responses=step_responses(HandoverSerializer),
                   description=_("Cancel a handover being prepared or sent, with the reason."))
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._answer(services.handover_cancel(actor=request.user, handover=self.get_object(),
                                                     **self._params(ReasonSerializer)))


class RegulationViewSet(ServiceModelViewSet):
    """The regulations register (法律法规): level, status, applicable departments and the yearly validity
    review (``review``). Repealed ones stay, marked."""

    queryset = Regulation.objects.prefetch_related("departments").order_by("status", "-effective_on", "title")
    serializer_class = RegulationSerializer
    filterset_class = RegulationFilterSet
    action_permissions = {"review": "documents.review_regulation"}

    @extend_schema(request=RegulationReviewSerializer, responses=step_responses(RegulationSerializer),
                   description=_("Record the yearly review: still in force, amended or repealed."))
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        params = self._params(RegulationReviewSerializer)
        return self._answer(services.regulation_review(actor=request.user, regulation=self.get_object(),
                                                       reviewed_on=params["reviewed_on"],
                                                       status=params.get("status") or None,
                                                       notes=params.get("notes", "")))

