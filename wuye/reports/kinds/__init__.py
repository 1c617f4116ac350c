"""The registry of report kinds (manager form 审查报告 1–6 and the 工作总结).

Each kind names its builder by dotted path (imported lazily): ``build(*, period, estate_ids, department) -> dict``
returning JSON-serialisable content ``{"title", "sections": [{"key", "title", "figures", "tables", "chart",
"notes"}]}`` with every label already translated. The framework (pages, PDF, Excel, API) renders any such content.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

DEFAULT_PERIODS = ("month", "quarter", "year")
DEFAULT_TEXT_FIELDS = (("conclusions", _("Conclusions")), ("next_steps", _("Plan for the next period")))


@dataclass(frozen=True)
class KindSpec:
    kind: str
    label: object
    builder: str
    periods: tuple = DEFAULT_PERIODS
    estate_scoped: bool = True
    text_fields: tuple = field(default=DEFAULT_TEXT_FIELDS)
    permission: str = "reports.add_report"  # who may generate it (besides seeing it)

    def build(self, *, period, estate_ids, department) -> dict:
        return import_string(self.builder)(period=period, estate_ids=estate_ids, department=department)

    @property
    def text_keys(self) -> list[str]:
        return [key for key, _label in self.text_fields]


KINDS = {  # kind -> spec; order = menu order
    # 客户服务计划性报告
    "service_plan": KindSpec("service_plan", _("Customer service plan report"),
                             "wuye.reports.kinds.service_plan.build"),
    # 客户需求意见报告
    "customer_needs": KindSpec("customer_needs", _("Customer needs and opinions report"),
                               "wuye.reports.kinds.customer_needs.build"),
    # 客户服务工作报告
    "service_work": KindSpec("service_work", _("Customer service work report"),
                             "wuye.reports.kinds.service_work.build"),
    # 客户服务意外事故报告
    "incidents": KindSpec("incidents", _("Customer service incident report"), "wuye.reports.kinds.incidents.build"),
    # 部门服务经费控制报告
    "budget": KindSpec("budget", _("Department service budget control report"), "wuye.reports.kinds.budget.build",
                       estate_scoped=False),
    # 客户服务档案文件编制报告
    "archives": KindSpec("archives", _("Customer service archives report"), "wuye.reports.kinds.archives.build",
                         permission="reports.generate_archives_report"),
    # 工作总结
    "work_summary": KindSpec("work_summary", _("Work summary"), "wuye.reports.kinds.work_summary.build",
                             periods=("year",), permission="reports.generate_work_summary"),
}

KIND_CHOICES = [(spec.kind, spec.label) for spec in KINDS.values()]


def get_spec(kind: str) -> KindSpec | None:
    return KINDS.get(kind)
