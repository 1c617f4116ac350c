"""Demo data of the quality policy: version 1 drafted by the quality auditor (吴刚), approved by top management
(郑国华, the executive demo user) and published, with four objectives: 投诉处理及时率 ≥ 98% and 回访满意率 ≥ 90%
(computed from the tickets), 客户满意率 ≥ 90% (from the surveys) and 文件一分钟内取阅率 100%
(measured by hand, with a measurement and its evidence file). Found by version number: a second run changes
nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wuye.core.demo import demo_user

from .. import services
from ..choices import Comparison, Metric
from ..models import QualityPolicy

__all__ = ["load"]

STATEMENT = ("以顾客为关注焦点，规范服务，持续改进；\n"
             "诚信守约，快速响应，让业主满意、放心。")

OBJECTIVES = [
    ("QO-01", "投诉处理及时率", Metric.COMPLAINT_TIMELY, "98", "按投诉处理时限办结的投诉 ÷ 期内办结的投诉。"),
    ("QO-02", "回访满意率", Metric.CALLBACK_SATISFACTION, "90", "回访评价为基本满意及以上 ÷ 有评价的回访。"),
    ("QO-03", "客户满意率", Metric.SURVEY_SATISFACTION, "90", "年度客户满意度调查（调查模块上线后自动计算）。"),
    ("QO-04", "文件一分钟内取阅率", Metric.MANUAL, "100", "每季度由文控随机抽取20份受控文件，计时取阅。"),
]

EVIDENCE = ("文件取阅抽查记录\n抽查20份受控文件，全部在一分钟内取阅。\n抽查人：周婷\n").encode()


def load(*, stdout, style):
    if QualityPolicy.objects.filter(version=1).exists():
        stdout.write("quality policy: version 1 already there")
        return []
    auditor, executive = demo_user("quality_auditor"), demo_user("executive")
    policy = services.quality_policy_create(actor=auditor, title="澄和物业质量方针", statement=STATEMENT,
                                            change_note="首版")
    for n, (code, title, metric, target, notes) in enumerate(OBJECTIVES):
        services.quality_objective_add(actor=auditor, policy=policy, code=code, title=title, metric=metric,
                                       comparison=Comparison.AT_LEAST, target=Decimal(target), unit="%",
                                       sort_order=n, notes=notes)
    services.quality_policy_approve(actor=executive, policy=policy)
    services.quality_policy_publish(actor=auditor, policy=policy)
    today = timezone.localdate()
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    start = quarter_start if quarter_start < today else dt.date(today.year, 1, 1)
    objective = policy.objectives.get(metric=Metric.MANUAL)
    services.objective_measurement_record(
        actor=auditor, objective=objective, period_start=start, period_end=today, value=Decimal("100"),
        note="抽查20份受控文件，全部在一分钟内取阅。",
        files=[SimpleUploadedFile("文件取阅抽查记录.txt", EVIDENCE, content_type="text/plain")])
    stdout.write("quality policy: version 1 published with 4 objectives")
    return []
