"""Pages of the documents app: the register and a document's steps (``documents.py``), loans (``loans.py``),
handovers (``handovers.py``), categories, locations and regulations (``config.py``)."""

from . import config, documents, handovers, loans

urlpatterns = [*documents.urlpatterns, *loans.urlpatterns, *handovers.urlpatterns, *config.urlpatterns]
