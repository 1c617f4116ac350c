"""Permission-matrix cases of the tickets app: imports (collected by test_permissions.py).

The import pages belong to the holders of ``tickets.import_tickets``: the customer-service manager and the
administrator; every other role gets 403.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wuye.core.roles import Role
from wuye.core.testing.matrix import Route

IMPORTERS = {Role.CS_MANAGER, Role.ADMIN}


def _job_url(w):
    from wuye.tickets.models import ImportJob

    job = ImportJob.objects.create(name="old.csv", format="csv", created_by=w.users["admin"])
    return reverse("tickets:import_job", args=[job.pk])


def _upload(w):
    from wuye.tickets.imports import COLUMNS

    header = ",".join(str(c.header) for c in COLUMNS)
    row = ",".join(["OLD-1", "ljy", "", "报修", "", "", "", "漏水", "", "", "", "", "2024-03-05 09:00", "已受理",
                    "", "", "", "", ""])
    return {"file": SimpleUploadedFile("old.csv", f"{header}\n{row}\n".encode()), "format": ""}


CASES = [
    Route("tickets:ticket_import", lambda w: reverse("tickets:ticket_import"), IMPORTERS),
    Route("tickets:ticket_import", lambda w: reverse("tickets:ticket_import"), IMPORTERS, method="post",
          data=_upload, ok=(302,)),
    Route("tickets:import_template", lambda w: reverse("tickets:import_template"), IMPORTERS),
    Route("tickets:import_job", _job_url, IMPORTERS),
]
