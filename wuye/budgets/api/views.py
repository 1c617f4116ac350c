"""Budgets API: ``/budgets/`` (lines nested; actions ``approve``, ``close``, ``lines`` to add a line, ``execution``
GET), ``/budget-lines/`` (read, ``PATCH`` through ``line_update``), ``/expenses/`` (recorded through
``expense_record``, action ``reverse``), ``/budget-categories/``. Every queryset goes through ``restrict()``; every
write is a service call; nothing is deleted."""

from __future__ import annotations

from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from wuye.core.api.schema import step_responses
from wuye.core.api.viewsets import BaseModelViewSet, ServiceModelViewSet

from .. import selectors, services
from ..filtersets import BudgetCategoryFilterSet, BudgetFilterSet, BudgetLineFilterSet, ExpenseFilterSet
from ..models import Budget, BudgetCategory, BudgetLine, Expense
from .serializers import (
    BudgetCategorySerializer,
    BudgetCloseSerializer,
    BudgetLineSerializer,
    BudgetSerializer,
    ExecutionSerializer,
    ExpenseReverseSerializer,
    ExpenseSerializer,
)


class BudgetViewSet(ServiceModelViewSet):
    """Department budgets (one per department and year) with their lines. Filters: ``department``, ``year``,
    ``status``, ``q``. A budget is created as a draft of the caller's own department, approved by top management
    (not by the one who drafted it) and closed when its year is over (earlier with a reason). ``execution`` gives the
    lines × months planned, actual, variance and execution %, with the warnings (90 % and overrun of the annual
    amount)."""

    queryset = Budget.objects.select_related("department").prefetch_related("lines__category")
    serializer_class = BudgetSerializer
    filterset_class = BudgetFilterSet
    action_permissions = {
        "approve": services.APPROVE,
        "close": services.CLOSE,
        "lines": services.CHANGE,
        "execution": "budgets.view_budget",
    }

    def get_queryset(self):
        if self.action == "lines":
            return Budget.objects.restrict(self.request.user, "change")
        return super().get_queryset()

    @extend_schema(responses={201: BudgetSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        budget = services.budget_create(actor=request.user, department=data.get("department"), year=data.get("year"),
                                        notes=data.get("notes", ""))
        return self._answer(budget, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        budget = self.get_object()
        serializer = self.get_serializer(budget, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        budget = services.budget_update(actor=request.user, budget=budget, **dict(serializer.validated_data))
        return self._answer(budget)

    @extend_schema(request=None, responses=step_responses(BudgetSerializer),
                   description=_("Approve a draft budget (top management; not the one who drafted it)."))
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._answer(services.budget_approve(actor=request.user, budget=self.get_object()))

    @extend_schema(request=BudgetCloseSerializer, responses=step_responses(BudgetSerializer),
                   description=_("Close an approved budget: no more expenses. Before the year is over only with a "
                                 "reason."))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        budget = self.get_object()
        params = self._params(BudgetCloseSerializer)
        return self._answer(services.budget_close(actor=request.user, budget=budget, reason=params.get("reason", "")))

    @extend_schema(request=BudgetLineSerializer, responses={201: BudgetLineSerializer},
                   description=_("Add a line (on an approved budget a revision: give the reason)."))
    @action(detail=True, methods=["post"])
    def lines(self, request, pk=None):
        budget = self.get_object()
        params = self._params(BudgetLineSerializer)
        line = services.line_add(actor=request.user, budget=budget, category=params.get("category"),
                                 amount=params.get("amount"), description=params.get("description", ""),
                                 phasing=params.get("phasing"), reason=params.get("reason", ""))
        return Response(BudgetLineSerializer(line, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[OpenApiParameter("until", str, description=_(
        "A date (YYYY-MM-DD): expenses after it are left out; to date means the months begun by it."))],
        responses=ExecutionSerializer)
    @action(detail=True, methods=["get"])
    def execution(self, request, pk=None):
        budget = self.get_object()
        raw = request.query_params.get("until")
        until = parse_date(raw) if raw else None
        if raw and until is None:
            raise drf_serializers.ValidationError({"until": _("Enter a date like 2026-06-30.")})
        return Response(ExecutionSerializer(selectors.budget_execution(budget, until=until)).data)


class BudgetLineViewSet(ServiceModelViewSet):
    """Budget lines. ``PATCH`` changes a line through ``line_update()``: on an approved budget a revision that needs
    ``reason``; a new ``amount`` without ``phasing`` is split evenly again. Lines are added on the budget
    (``/budgets/{id}/lines/``)."""

    queryset = BudgetLine.objects.select_related("budget", "category")
    serializer_class = BudgetLineSerializer
    filterset_class = BudgetLineFilterSet
    http_method_names = ["get", "put", "patch", "head", "options"]

    def update(self, request, *args, **kwargs):
        line = self.get_object()
        serializer = self.get_serializer(line, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        line = services.line_update(actor=request.user, line=line, reason=reason, **data)
        return self._answer(line)


class ExpenseViewSet(ServiceModelViewSet):
    """Expenses against budget lines. Filters: ``budget``, ``line``, ``category``, ``year``, ``status``,
    ``spent_after``, ``spent_before``, ``q`` (voucher, payee, description). ``POST`` records one through
    ``expense_record()``: refused on a draft or closed budget, a line of another department, a date outside the
    budget year or in the future, an amount not above zero, a voucher number already recorded in the budget.
    Never changed afterwards: ``reverse`` takes it back with a reason."""

    queryset = Expense.objects.select_related("budget", "line").prefetch_related("files")
    serializer_class = ExpenseSerializer
    filterset_class = ExpenseFilterSet
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"reverse": services.REVERSE}

    @extend_schema(responses={201: ExpenseSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expense = services.expense_record(actor=request.user, line=data.get("line"), amount=data.get("amount"),
                                          spent_on=data.get("spent_on"), voucher_number=data.get("voucher_number", ""),
                                          description=data.get("description", ""), payee=data.get("payee", ""),
                                          file=data.get("file"))
        return self._answer(expense, status.HTTP_201_CREATED)

    @extend_schema(request=ExpenseReverseSerializer, responses=step_responses(ExpenseSerializer),
                   description=_("Take back an expense recorded by mistake, with the reason."))
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        expense = self.get_object()
        params = self._params(ExpenseReverseSerializer)
        return self._answer(services.expense_reverse(actor=request.user, expense=expense, reason=params["reason"]))


class BudgetCategoryViewSet(BaseModelViewSet):
    """The budget categories (办公费, 培训费 …): renamed or deactivated, never deleted."""

    queryset = BudgetCategory.objects.all()
    serializer_class = BudgetCategorySerializer
    filterset_class = BudgetCategoryFilterSet
