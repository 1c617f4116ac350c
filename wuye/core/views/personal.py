"""Reveal one personal value (phone, ID number) to a user who may see it; the view is audited."""

from django.http import Http404, HttpResponse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from ..audit import audit
from ..personal import PERSONAL_DATA_PERMISSION
from .generic import BaseView, ObjectViewMixin


@method_decorator(require_POST, name="dispatch")
class RevealPersonalDataView(ObjectViewMixin, BaseView):
    """POST ``<pk>/reveal/<field>/``: needs the view permission on the object (scope: 404) and
    ``core.view_personal_data``; answers the plain value as an HTML fragment and writes an AuditEvent."""

    permission_required = PERSONAL_DATA_PERMISSION

    def post(self, request, pk, field):
        if field not in getattr(self.model, "personal_fields", ()):
            raise Http404
        obj = self.restricted("view").filter(pk=pk).first()
        if obj is None:
            raise Http404
        audit("personal_data.reveal", actor=request.user, obj=obj, field=field, channel="web")
        return HttpResponse(format_html('<span class="personal revealed">{}</span>', getattr(obj, field) or "—"))
