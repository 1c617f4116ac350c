"""Benchmark operations of the documents app (see ``wuye.core.bench``), through the real views: the register
searched for a two-character word (``电梯``), the register's first page, and a document's page (a current one
with its revisions). Issue 4's goals at 200,000 documents: search p95 ≤ 100 ms, document page p95 ≤ 30 ms.
``manage.py bench documents`` runs just these.

The bench users are an agent (internal and public documents, the company-wide ones and those of their estate)
and the manager; the sample document is the newest current internal document.
"""

from __future__ import annotations

from wuye.core.bench import BenchContext, Operation
from wuye.core.roles import Role

from .choices import Confidentiality, DocumentStatus
from .models import Document

SEARCH = "电梯"


def setup(ctx: BenchContext) -> None:
    ctx.info["documents"] = Document.objects.count()
    sample = Document.objects.filter(status=DocumentStatus.CURRENT, confidentiality=Confidentiality.INTERNAL,
                                     estate__isnull=True).order_by("-pk").values_list("pk", flat=True).first()
    ctx.samples["documents"] = {"document": sample}


def _ready(ctx: BenchContext) -> bool:
    return bool((ctx.samples.get("documents") or {}).get("document"))


def _search_query(ctx: BenchContext) -> dict | None:
    return {"q": SEARCH} if _ready(ctx) else None


def _list_query(ctx: BenchContext) -> dict | None:
    return {} if _ready(ctx) else None


def _document_args(ctx: BenchContext) -> list | None:
    return [ctx.samples["documents"]["document"]] if _ready(ctx) else None


OPERATIONS = [
    Operation("document_search", "documents:document_list", f"文件检索：两个汉字 ?q={SEARCH}", query=_search_query,
              roles=(Role.AGENT, Role.CS_MANAGER)),
    Operation("document_list", "documents:document_list", "文件登记表第一页（现行在前）", query=_list_query),
    Operation("document_page", "documents:document", "文件页面（现行的内部文件）", args=_document_args),
]
