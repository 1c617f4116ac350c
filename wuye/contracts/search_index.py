"""Contracts in the full-text index: number, title, counterparty, kind and the start of the text extracted from
their files. Ended contracts stay findable."""

from wuye.core import search

from .models import Contract

TEXT_LIMIT = 1_000


def _contract_text(contract):
    return [contract.number, contract.party_name, contract.get_kind_display(), contract.notes,
            *search.leading_text((f.text for f in contract.files.all()), TEXT_LIMIT)]


search.register(
    Contract,
    title=lambda c: c.title,
    text=_contract_text,
    estate=lambda c: c.estate_id,
    subtitle=lambda c: c.number,
    prefetch_related=("files",),
)
