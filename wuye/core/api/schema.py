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


ERROR_RESPONSES = {
    "400": _("The input is wrong (field errors), or the step cannot be taken now."),
    "401": _("Not logged in: no valid session or token."),
    "403": _("The caller may not do this."),
    "404": _("No such object, or not one the caller may see."),
}


def document_errors(result, generator, request, public):
    """Postprocessing hook: every operation documents the error answers any operation may give (400, 401, 403,
    404), so a client knows them and the schemathesis suite can check that no other status code comes back."""
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, description in ERROR_RESPONSES.items():
                operation["responses"].setdefault(code, {"description": str(description)})
    return result
