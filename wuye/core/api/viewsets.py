"""Base API viewset: restrict() for every queryset, no hard delete, audited reveals of personal data."""

from __future__ import annotations

from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from ..audit import audit_objects
from ..context import ActingContext, _current, current
from ..personal import may_view_personal_data
from .permissions import ACTION_VERBS


def _truthy(value) -> bool:
    return str(value).lower() in {"1", "true", "yes", "on"}


class BaseModelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    # List, retrieve, create, update. Records are never hard-deleted through the API.
    # Subclasses name ``queryset``, ``serializer_class`` and ``filterset_class``, and carry a docstring of their
    # own (it is the endpoint's description in the OpenAPI schema; a comment here, so it is not inherited).
    # Extra actions declare their permission in ``action_permissions = {"assign": "tickets.assign_ticket"}``.

    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    action_permissions: dict[str, str] = {}

    def get_queryset(self):
        verb = ACTION_VERBS.get(self.action, "view")
        if verb == "add":
            verb = "view"
        return super().get_queryset().restrict(self.request.user, verb)

    # personal data ------------------------------------------------------------------------------------------
    def reveal_requested(self) -> bool:
        return (
            self.request.method == "GET"
            and _truthy(self.request.query_params.get("unmasked"))
            and may_view_personal_data(self.request.user)
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["reveal_personal_data"] = self.reveal_requested()
        context["revealed_objects"] = {}
        self._serializer_context = context
        return context

    # acting user (token auth is resolved by DRF, after Django's middleware) -------------------------------
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        outer = current()
        self._acting_token = _current.set(
            ActingContext(user=request.user, ip=outer.ip if outer else None,
                          user_agent=outer.user_agent if outer else "")
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        context = getattr(self, "_serializer_context", None)
        if context and context.get("revealed_objects") and response.status_code < 400:
            objects = context["revealed_objects"]
            model = next(iter(objects.values())).__class__
            audit_objects("personal_data.reveal", objects.values(), actor=request.user, channel="api",
                          model=model._meta.label_lower)
        token = getattr(self, "_acting_token", None)
        if token is not None:
            _current.reset(token)
            self._acting_token = None
        return response


class ServiceModelViewSet(BaseModelViewSet):
    # A viewset whose writes and POST actions call services: ``_params(serializer_class)`` validates an action's
    # body, ``_answer(obj)`` answers with the fresh object (read again through ``queryset``).

    def _params(self, serializer_class) -> dict:
        params = serializer_class(data=self.request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        return dict(params.validated_data)

    def _answer(self, obj, status_code=status.HTTP_200_OK, serializer_class=None) -> Response:
        serializer_class = serializer_class or self.get_serializer_class()
        fresh = self.queryset.get(pk=obj.pk)
        return Response(serializer_class(fresh, context=self.get_serializer_context()).data, status=status_code)
