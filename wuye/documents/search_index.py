"""Documents in the full-text index: code, title, category, keywords, description, where the paper lies and
the text extracted from the current revision's files. Obsolete documents are indexed too (they must stay
findable), and the list ranks current ones first."""

from wuye.core import search

from .models import Document

# the extracted text put into the index per document: its first page or so, where the title, scope and purpose
# of a controlled document stand (the whole text would make the index of 200,000 documents ten times larger)
TEXT_LIMIT = 1_000


def _document_text(document):
    parts = [document.code, document.category.path, document.keywords, document.description,
             str(document.location) if document.location_id else ""]
    revision = document.current_revision
    if revision is not None:
        parts.append(revision.mark)
        parts += search.leading_text((f.text for f in revision.files.all()), TEXT_LIMIT)
    return parts


search.register(
    Document,
    title=lambda d: d.title,
    text=_document_text,
    estate=lambda d: d.estate_id,
    subtitle=lambda d: d.code,
    select_related=("category", "location", "current_revision"),
    prefetch_related=("current_revision__files",),
    mostly_shared=True,  # procedures, forms, regulations…: only the archives' documents belong to an estate
)
