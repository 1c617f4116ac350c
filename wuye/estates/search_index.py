"""What of the estates app is findable through the global search box."""

from wuye.core import search

from .models import Building, Customer, Estate, Occupancy, Unit


def _customer_text(customer):
    # Only language-neutral text: the index is built by commands too, where no user language is active.
    return [o.unit.code for o in customer.occupancies.all()] if customer.pk else []


search.register(
    Customer,
    title=lambda c: c.name,
    text=_customer_text,
    estate=lambda c: c.estate_id,
    prefetch_related=("occupancies__unit",),
    depends_on={Occupancy: lambda occ: [occ.customer]},
)
search.register(Estate, title=lambda e: e.name, text=lambda e: [e.code, e.address, e.district, e.city],
                estate=lambda e: e.pk)
search.register(Building, title=lambda b: str(b), text=lambda b: [b.number, b.name], estate=lambda b: b.estate_id,
                select_related=("estate",))
search.register(Unit, title=lambda u: str(u), text=lambda u: [u.code], estate=lambda u: u.estate_id,
                select_related=("estate",))
