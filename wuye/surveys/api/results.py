"""The ``results`` action of ``/api/v1/survey-campaigns/{id}/results/`` (mixed into the campaign viewset): the
campaign's results for the estates the caller serves (``?estate=<id>`` narrows them), as plain JSON. Anonymous
campaigns: figures only, never a unit, a user or a time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from ..selectors.results import campaign_results


def as_json(value):
    """Decimals as numbers, dates as ISO strings, lazy strings as strings, recursively."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def results_json(campaign, user, estate_ids=None) -> dict:
    return as_json(campaign_results(campaign, user, estate_ids))


class ResultsMixin:
    """Adds ``results``; its permission (``surveys.view_campaign``) joins the viewset's ``action_permissions``
    whatever the viewset declares."""

    RESULTS_PERMISSION = "surveys.view_campaign"
    action_permissions = {"results": RESULTS_PERMISSION}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        declared = dict(getattr(cls, "action_permissions", None) or {})
        declared.setdefault("results", cls.RESULTS_PERMISSION)
        cls.action_permissions = declared

    @extend_schema(
        summary="Results of a survey campaign",
        description=("Per estate the caller serves and overall: invited, answered, response rate; per service "
                     "dimension the answers, average (of 5), satisfaction rate (percent of 满意 + 基本满意), the "
                     "distribution over the five levels and whether it is flagged under the campaign's low score, with "
                     "the change against the previous campaign; the recommendation score (NPS); the counts per option "
                     "of choice questions; callback satisfaction from tickets in the campaign period."),
        parameters=[OpenApiParameter("estate", int, description="Only this estate (one the caller serves).")],
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        campaign = self.get_object()
        raw = request.query_params.get("estate") or ""
        estate_ids = [int(raw)] if raw.isdigit() else None
        return Response(results_json(campaign, request.user, estate_ids))
