"""The OpenAPI schema and its docs page: for logged-in users (or token holders), assets served locally."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated


class SchemaView(SpectacularAPIView):
    permission_classes = [IsAuthenticated]


class SwaggerView(SpectacularSwaggerView):
    permission_classes = [IsAuthenticated]
