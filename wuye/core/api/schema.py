"""What the OpenAPI schema says of the answers every workflow step (a POST action) may give."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse


def step_responses(ok) -> dict:
    """The schema's answers of a step: 200 with ``ok``; 400 (refused, with field errors), 403 and 404,
    nothing else."""
    return {
        200: ok,
        400: OpenApiResponse(description=_("The step cannot be taken now, or the input is wrong (field errors).")),
        403: OpenApiResponse(description=_("The caller may not take this step.")),
        404: OpenApiResponse(description=_("No such object, or not one the caller may see.")),
    }
