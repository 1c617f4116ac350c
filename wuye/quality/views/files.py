"""Evidence files: downloaded through ``restrict()`` on the record they belong to, always as an attachment; every
opening is audited."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path

from wuye.core.audit import audit
from wuye.core.querysets import restrict
from wuye.core.views import BaseView
from wuye.documents.files import file_response

from ..models import QualityFile


class QualityFileView(BaseView):
    permission_required = "quality.view_qualityfile"

    def get(self, request, pk):
        stored = get_object_or_404(restrict(QualityFile.objects.select_related("owner_type"), request.user, "view"),
                                   pk=pk)
        model = stored.owner_type.model_class()
        if model is None or not restrict(model._default_manager.filter(pk=stored.owner_id), request.user,
                                         "view").exists():
            raise Http404
        audit("quality.download", actor=request.user, obj=stored.owner, file=stored.name, sha256=stored.sha256)
        return file_response(stored, withdrawn=False)


urlpatterns = [path("files/<int:pk>/", QualityFileView.as_view(), name="file")]
