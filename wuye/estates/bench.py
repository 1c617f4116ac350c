"""Benchmark set-up and operations of the estates app (see ``wuye.core.bench``): the phone-call lookups, the
customer list, its search, API and Excel export, the global search and the customer's 360° page."""

from __future__ import annotations

from django.db.models import Count

from wuye.core.bench import BenchContext, Operation
from wuye.core.roles import Role
from wuye.estates.models import Building, Customer, Estate, Occupancy, Unit


def add_arguments(parser) -> None:
    parser.add_argument("--agent-estates", type=int, default=2,
                        help="the bench agent serves this many estates, those with the most customers (default 2)")


def setup(ctx: BenchContext) -> None:
    """The agent serves the estates with the most customers; a customer of theirs is the sample to look up."""
    served = list(Estate.objects.annotate(n=Count("customers")).order_by("-n", "pk")
                  [: max(1, ctx.options.get("agent_estates") or 2)])
    agent = ctx.users.get(Role.AGENT.value)
    if agent is not None and hasattr(agent, "staff"):
        agent.staff.estates.set(served)
    ctx.info.update({
        "estates": Estate.objects.count(), "buildings": Building.objects.count(), "units": Unit.objects.count(),
        "customers": Customer.objects.count(), "occupancies": Occupancy.objects.count(),
        "agent serves": ", ".join(f"{e.name} ({e.n} customers)" for e in served),
    })
    candidates = (Customer.objects.filter(estate__in=served).exclude(mobile="")
                  .filter(occupancies__end_date__isnull=True).order_by("pk"))
    count = candidates.count()
    customer = candidates[count // 2] if count else None
    if customer is not None:
        occupancy = customer.occupancies.select_related("unit").order_by("-start_date").first()
        ctx.samples["customer"] = {"pk": customer.pk, "name": customer.name, "mobile": customer.mobile,
                                   "unit": occupancy.unit.code}


def _sample(key: str):
    def get(ctx: BenchContext) -> dict | None:
        customer = ctx.samples.get("customer")
        if customer is None:
            return None
        return {"q": customer["mobile"][-4:] if key == "tail" else customer[key]}

    return get


def _customer_args(ctx: BenchContext) -> list | None:
    customer = ctx.samples.get("customer")
    return [customer["pk"]] if customer else None


OPERATIONS = [
    Operation("lookup_phone_tail", "estates:lookup", "来电查询：手机尾号4位（唯一时跳转 302）", query=_sample("tail")),
    Operation("lookup_full_phone", "estates:lookup", "来电查询：完整手机号", query=_sample("mobile")),
    Operation("lookup_unit", "estates:lookup", "来电查询：房号（如 3-2-1201）", query=_sample("unit")),
    Operation("lookup_name", "estates:lookup", "来电查询：姓名", query=_sample("name")),
    Operation("customer_list", "estates:customer_list", "客户列表第一页"),
    Operation("customer_list_search", "estates:customer_list", "客户列表按姓名筛选 ?q=", query=_sample("name")),
    Operation("api_customer_list", "api:estates-customer-list", "API 客户列表第一页"),
    Operation("global_search", "search", "全局搜索（姓名）", query=_sample("name")),
    Operation("customer_360", "estates:customer", "客户360°页面", args=_customer_args),
    Operation("customer_export", "estates:customer_list", "客户列表导出 Excel（全部可见客户）",
              query=lambda ctx: {"export": "xlsx"}, max_repeat=3, warmup=False),
]
