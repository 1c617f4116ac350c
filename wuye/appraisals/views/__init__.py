"""Pages of the appraisals app, one module per subject, each defining ``urlpatterns``."""

from . import appraisals, forms_pages, reports

urlpatterns = [*forms_pages.urlpatterns, *appraisals.urlpatterns, *reports.urlpatterns]
