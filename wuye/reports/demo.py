"""Demo data of the report centre (``manage.py load_demo``).

For the demo customer-service department, last month's customer service work report (客户服务工作报告):

- 云栖雅苑 (yqya): written by the agent (张丽), submitted, accepted by the manager (陈静) with comments;
- 金桂花园 (jghy): written by the same agent, submitted and returned by the manager with instructions (指示).

Both are made through ``services`` acting as the demo users. A report is found by its kind, period and estate; each
step is taken only when the report has not reached it, so a second run changes nothing.
"""

from __future__ import annotations

from wuye.core.demo import demo_user
from wuye.estates.models import Estate

from . import services
from .choices import ReportStatus
from .models import Report
from .periods import parse_period, previous_month_text

__all__ = ["load"]

REPORTS = [
    {"estate": "yqya", "decision": "accepted",
     "texts": {"conclusions": "本月报修、投诉量较上月略有下降，处理及时率保持在目标以上；回访满意率稳定。",
               "next_steps": "下月重点：雨季前检查地下车库排水；对新入职客服专员开展投诉处理培训。"},
     "comments": "数据完整，分析到位，同意。", "instructions": ""},
    {"estate": "jghy", "decision": "returned",
     "texts": {"conclusions": "本月工作量正常。", "next_steps": "继续做好日常服务。"},
     "comments": "结论过于简单，未分析超时工单的原因。",
     "instructions": "补充超时工单的原因分析和整改措施，列出回访不满意的工单，下周一前重新提交。"},
]


def load(*, stdout, style) -> list:
    agent, manager = demo_user("agent"), demo_user("cs_manager")
    period = parse_period(previous_month_text())
    created = advanced = 0
    for spec in REPORTS:
        estate = Estate.objects.get(code=spec["estate"])
        report = (Report.objects.filter(kind="service_work", period_start=period.start, period_end=period.end,
                                        estate=estate).exclude(status=ReportStatus.CANCELLED).first())
        if report is None:
            try:
                report = services.report_generate(actor=agent, kind="service_work", period=period, estate=estate)
            except ImportError as exc:  # the kind's builder is not installed
                stdout.write(style.WARNING(f"reports: skipped ({exc})"))
                return []
            created += 1
        if report.status == ReportStatus.DRAFT and not report.reviews.exists():
            services.report_update_texts(actor=agent, report=report, texts=spec["texts"])
            services.report_submit(actor=agent, report=report)
            advanced += 1
            report.refresh_from_db()
        if report.status == ReportStatus.SUBMITTED:
            services.report_review(actor=manager, report=report, decision=spec["decision"],
                                   comments=spec["comments"], instructions=spec["instructions"])
            advanced += 1
    stdout.write(f"reports: {len(REPORTS)} service work reports of {period.label} ({created} generated, "
                 f"{advanced} steps taken)")
    return []
