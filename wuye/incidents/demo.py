"""Demo data of the incidents app (``manage.py load_demo``).

Five incidents across the demo estates, reported by the agents who serve them and taken on by the customer-service
manager (cs_manager) through ``services``, each in another state:

- 云栖雅苑: an owner slipped in a wet lobby — investigated, reviewed, a corrective action raised, closed;
- 金桂花园: the underground garage flooded in a storm — investigated, awaiting the manager's review;
- 钱塘明珠苑: people trapped in a lift — under investigation;
- 金桂花园: a parcel locker forced open — just reported;
- 云栖雅苑: smoke from the refuse room, reported twice — the duplicate withdrawn.

An incident is found by its estate and title; each step is taken only when the incident has not reached it, so a
second run changes nothing. The dates are fixed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from wuye.core.demo import demo_user
from wuye.estates.models import Estate

from . import services
from .choices import IncidentStatus, Severity
from .models import Incident, IncidentKind

__all__ = ["load"]

S = IncidentStatus
ORDER = [S.REPORTED, S.INVESTIGATING, S.INVESTIGATED, S.REVIEWED, S.CLOSED]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


INCIDENTS = [
    {
        "estate": "yqya", "reporter": "agent", "target": S.CLOSED, "action": True,
        "fields": {
            "title": "业主在3号楼大堂滑倒", "occurred_at": (dt.date(2026, 9, 14), 8, 20), "place": "3号楼一层大堂",
            "kind": "injury", "severity": Severity.SERIOUS, "people_involved": "3号楼业主王女士；保洁员刘阿姨",
            "description": "雨天大堂地面湿滑，未放置警示牌，业主进门时滑倒，左手腕着地。", "injured_count": 1,
            "injuries": "左手腕扭伤，送医检查无骨折。", "losses": "医药费由公司先行垫付。",
            "loss_amount": Decimal("860.00"),
            "immediate_measures": "现场放置警示牌并拖干地面；客服陪同业主就医；通知保险公司。",
        },
        "investigation": ("雨天未按保洁作业规程在入口铺设防滑垫、放置警示牌。",
                          "保洁班组未执行雨天作业要求，负主要责任；客服巡查未发现，负次要责任。"),
        "review": ("调查属实，同意处理意见。", "修订雨天保洁作业指导书；全体保洁员培训；一个月内复查执行情况。"),
    },
    {
        "estate": "jghy", "reporter": "agent", "target": S.INVESTIGATED,
        "fields": {
            "title": "地下车库进水", "occurred_at": (dt.date(2026, 10, 3), 22, 40), "place": "地下车库B区",
            "kind": "flood", "severity": Severity.MAJOR, "people_involved": "车库值班保安；B区车主三户",
            "description": "暴雨期间车库入口挡水板未及时放下，雨水倒灌，B区积水约20厘米。", "injured_count": 0,
            "losses": "三辆车底盘进水，车主要求赔偿。", "loss_amount": Decimal("18500.00"),
            "immediate_measures": "放下挡水板，启动排水泵，通知车主挪车，拍照取证。",
        },
        "investigation": ("暴雨预警后未按防汛预案提前放下挡水板；一台排水泵故障未及时报修。",
                          "秩序维护部值班人员未执行防汛预案；工程部设备巡检不到位。"),
    },
    {
        "estate": "qtmzy", "reporter": "agent2", "target": S.INVESTIGATING,
        "fields": {
            "title": "5号楼电梯困人", "occurred_at": (dt.date(2026, 11, 2), 18, 5), "place": "5号楼2号电梯",
            "kind": "equipment", "severity": Severity.MINOR, "people_involved": "两名住户（一名老人）",
            "description": "电梯运行中停在8、9层之间，两名住户被困约25分钟。", "injured_count": 0,
            "immediate_measures": "安抚被困人员，通知维保单位到场救援，救出后停梯检修。",
        },
    },
    {
        "estate": "jghy", "reporter": "agent", "target": S.REPORTED,
        "fields": {
            "title": "快递柜被撬", "occurred_at": (dt.date(2026, 11, 20), 3, 30), "place": "2号门快递柜",
            "kind": "security", "severity": Severity.MINOR, "people_involved": "快递柜运营方",
            "description": "夜间快递柜两个柜门被撬，监控拍到一名可疑人员。", "injured_count": 0,
            "losses": "两件包裹丢失，价值待核实。",
            "immediate_measures": "报警并保存监控录像，通知相关业主和快递柜运营方。",
        },
    },
    {
        "estate": "yqya", "reporter": "agent", "target": S.WITHDRAWN,
        "withdraw": "与保安队当晚的报告重复，已合并处理。",
        "fields": {
            "title": "垃圾房冒烟", "occurred_at": (dt.date(2026, 11, 8), 20, 15), "place": "北侧垃圾房",
            "kind": "fire", "severity": Severity.MINOR, "people_involved": "保安队员",
            "description": "垃圾房有烟冒出，疑似烟头引燃纸箱。", "injured_count": 0,
            "immediate_measures": "用灭火器扑灭，清理可燃物。",
        },
    },
]


def _fields(spec: dict, estate: Estate) -> dict:
    fields = dict(spec["fields"])
    day, hour, minute = fields["occurred_at"]
    fields["occurred_at"] = _at(day, hour, minute)
    fields["kind"] = IncidentKind.objects.get(code=fields["kind"])
    fields["estate"] = estate
    return fields


def load(*, stdout, style) -> list:
    services.ensure_default_kinds()
    manager = demo_user("cs_manager")
    created = advanced = 0
    for spec in INCIDENTS:
        estate = Estate.objects.get(code=spec["estate"])
        incident = Incident.objects.filter(estate=estate, title=spec["fields"]["title"]).first()
        if incident is None:
            incident = services.incident_report(actor=demo_user(spec["reporter"]), **_fields(spec, estate))
            created += 1
        target = spec["target"]
        if target == S.WITHDRAWN:
            if incident.status != S.WITHDRAWN:
                services.incident_withdraw(actor=manager, incident=incident, reason=spec["withdraw"])
                advanced += 1
            continue
        step = ORDER.index(incident.status) if incident.status in ORDER else len(ORDER)
        goal = ORDER.index(target)
        if step < 1 <= goal:
            incident = services.incident_start_investigation(actor=manager, incident=incident)
            advanced += 1
        if step < 2 <= goal:
            cause, responsibility = spec["investigation"]
            incident = services.incident_record_investigation(actor=manager, incident=incident, cause=cause,
                                                              responsibility=responsibility)
            advanced += 1
        if step < 3 <= goal:
            comment, instructions = spec["review"]
            incident = services.incident_review(actor=manager, incident=incident, comment=comment,
                                                instructions=instructions)
            advanced += 1
        if spec.get("action") and incident.corrective_action_id is None:
            services.incident_raise_action(actor=manager, incident=incident)
            incident.refresh_from_db()
            advanced += 1
        if step < 4 <= goal:
            services.incident_close(actor=manager, incident=incident)
            advanced += 1
    stdout.write(f"incidents: {len(INCIDENTS)} incidents ({created} reported, {advanced} steps taken)")
    return []
