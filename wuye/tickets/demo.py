"""Demo data and the bulk generator of the tickets app.

``load()`` (``manage.py load_demo``): about forty tickets of the three demo estates in every state — repairs,
complaints (urgent and overdue ones among them), consultations, a suggestion and praise; callbacks with
ratings (one dissatisfied, which reopens its ticket), public and internal progress notes, portal submissions
waiting to be accepted and one rated by the resident on the portal. Every step goes through ``services`` as the
demo user who would take it (agent, agent2, cs_manager, resident); the step times are then moved back to the
story's dates (``update()``), spread over the last months. A ticket is found by its estate and summary, so a
second run adds nothing. At the end the time-limit check runs once, so overdue tickets are marked and notified.

``generate()`` / ``add_arguments()`` (``manage.py generate_data --tickets N``): see ``generate``.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from array import array
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.utils import timezone

from wuye.core import search
from wuye.core.demo import DemoLogin, demo_user
from wuye.core.management.bulk import indexes_dropped
from wuye.core.models import SearchEntry
from wuye.core.personal import encrypt

from . import services
from .choices import (
    OPEN_STATUSES,
    CallbackMethod,
    CallbackOutcome,
    CancelReason,
    Channel,
    NoteVisibility,
    Priority,
    Step,
    TicketKind,
    TicketStatus,
)
from .models import Callback, DailySequence, ProgressNote, ServiceLevel, Ticket, TicketCategory, TicketEvent

__all__ = ["add_arguments", "generate", "load"]

K, P, C = TicketKind, Priority, Channel
PUBLIC, INTERNAL = NoteVisibility.PUBLIC, NoteVisibility.INTERNAL
TIME_FIELDS = ("accepted_at", "assigned_at", "responded_at", "started_at", "resolved_at", "called_back_at",
               "closed_at", "cancelled_at")


def T(estate, unit, kind, category, channel, priority, title, description, *, ago, by="agent", location="",
      steps=()):
    """One demo ticket: reported ``ago`` days before the load, by ``by``; ``steps`` are
    ``(name, hours after reporting, *arguments)`` run in order through the services."""
    return {"estate": estate, "unit": unit, "kind": kind, "category": category, "channel": channel,
            "priority": priority, "title": title, "description": description, "ago": ago, "by": by,
            "location": location, "steps": steps}


def _done(h, how, *, note=None, rate=None, close=True, analysis=None, by=None, handler="KF003"):
    """The usual life: assigned, started, (a note), resolved, (called back), (closed)."""
    steps = [("assign", h[0], handler, None), ("start", h[1])]
    if note:
        steps.append(("note", (h[1] + h[2]) / 2, PUBLIC, note))
    steps.append(("resolve", h[2], how, analysis or {}))
    if rate is not None:
        steps.append(("callback", h[3], rate, ""))
    if close:
        steps.append(("close", h[-1]))
    return tuple(steps)


VALID = {"is_valid_complaint": True, "responsible_department": "cs", "cause": "岗位培训不到位，服务用语不规范。",
         "measures": "对当班人员进行服务规范再培训，纳入月度考核。"}
SECURITY = {"is_valid_complaint": True, "responsible_department": "sec", "cause": "夜间巡逻频次不足。",
            "measures": "调整夜班巡逻路线，增加地下车库巡查两次。"}
NOT_VALID = {"is_valid_complaint": False, "cause": "属业主之间的民事纠纷，非物业服务质量问题。",
             "measures": "已协助双方沟通，告知可向社区调解委员会申请调解。"}

TICKETS = [
    # --- 云栖雅苑 (yqya): new-build estate, the agent and 赵敏 (KF005) serve it ---
    T("yqya", "3-2-1201", K.REPAIR, "工程维修/水电", C.PHONE, P.NORMAL, "厨房水槽下水管漏水",
      "业主来电：厨房水槽下方下水管接头处漏水，橱柜底板已泡湿。", location="厨房", ago=86,
      steps=_done((1, 20, 26, 50, 52), "更换下水管接头及密封圈，试水无渗漏。", rate=5)),
    T("yqya", "3-2-1201", K.REPAIR, "工程维修/门窗", C.PORTAL, P.NORMAL, "主卧窗户关不严",
      "主卧推拉窗关闭后有缝隙，下雨时窗台进水。", location="主卧", ago=12, by="agent",
      steps=(("assign", 1, "KF005", None), ("start", 22),
             ("note", 23, PUBLIC, "师傅已上门查看，滑轮磨损，需订购配件，预计3天到货。"),
             ("resolve", 96, "更换窗扇滑轮并调整锁点，关闭严密。", {}), ("rate", 100, 5, "师傅很专业"),
             ("close", 120))),
    T("yqya", "1-1-502", K.REPAIR, "工程维修/房屋渗漏", C.PHONE, P.URGENT, "卫生间顶板渗水严重",
      "楼上卫生间渗水到本户吊顶，吊顶已鼓包，业主担心漏电。", location="卫生间", ago=41,
      steps=_done((0.2, 0.4, 30, 60, 62), "楼上防水层破损，已重做防水并闭水试验48小时，吊顶已修复。",
                  note="已关闭楼上进水阀，联系楼上业主配合维修。", rate=4, handler="KF005")),
    T("yqya", "2-1-1602", K.REPAIR, "工程维修/电梯", C.PHONE, P.URGENT, "2号楼1单元电梯困人",
      "业主来电：2号楼1单元电梯停在15、16层之间，轿厢内有2人。", location="2号楼1单元电梯", ago=63,
      steps=(("assign", 0.05, "KF003", "eng"), ("start", 0.3),
             ("note", 0.4, PUBLIC, "维保单位已到场，被困人员已安全救出。"),
             ("resolve", 5, "门机皮带老化打滑导致停梯，维保单位已更换皮带并检测运行正常。", {}),
             ("callback", 26, 5, "业主对救援速度满意"), ("close", 30))),
    T("yqya", None, K.REPAIR, "工程维修/公共设施", C.PATROL, P.NORMAL, "地下车库B区照明灯不亮",
      "巡查发现地下车库B区有6盏灯不亮，影响行车安全。", location="地下车库B区", ago=33, by="cs_manager",
      steps=_done((1, 4, 8), "更换LED灯管6根。", handler="KF005")),
    T("yqya", "1-2-801", K.COMPLAINT, "服务态度", C.PHONE, P.NORMAL, "前台接待态度冷淡",
      "业主反映到客服中心办理门禁卡时，前台人员一直低头看手机，回答不耐烦。", ago=55,
      steps=(("assign", 2, "KF001", None), ("start", 4), ("note", 5, INTERNAL, "已调取前台监控核实，情况属实。"),
             ("resolve", 28, "已向业主当面致歉，当事员工已作书面检查。", VALID),
             ("callback", 70, 3, "业主表示基本满意，希望今后改进。"), ("close", 75))),
    T("yqya", "3-1-1502", K.COMPLAINT, "秩序维护", C.WECHAT, P.URGENT, "地下车库电动车被盗",
      "业主在微信反映：停在地下车库的电动车昨夜被盗，要求调取监控。", location="地下车库", ago=20,
      steps=(("assign", 0.5, "KF001", "sec"), ("start", 1),
             ("note", 2, PUBLIC, "已调取监控并协助业主向派出所报案。"),
             ("resolve", 20, "协助报案，监控资料已移交派出所；车库增设巡逻点。", SECURITY),
             ("callback", 70, 2, "业主认为车库管理存在漏洞，不满意。"),
             ("assign", 75, "KF001", "sec"), ("start", 76),
             ("note", 90, PUBLIC, "车库出入口已加装电动车识别摄像头，夜间每两小时巡查一次。"),
             ("resolve", 120, "整改措施已落实并告知业主。", {}),
             ("callback", 140, 3, "业主认可整改措施。"), ("close", 150))),
    T("yqya", "2-2-601", K.COMPLAINT, "邻里纠纷", C.WALK_IN, P.NORMAL, "楼上深夜拖动家具噪音",
      "业主到客服中心投诉楼上住户连续一周深夜拖动家具，影响休息。", ago=9,
      steps=(("assign", 2, "KF003", None), ("start", 20),
             ("note", 21, PUBLIC, "已上门与楼上住户沟通，对方表示会注意。"),
             ("resolve", 48, "双方已沟通，楼上住户承诺22点后不再搬动家具。", NOT_VALID))),
    T("yqya", "1-1-1202", K.COMPLAINT, "工程维修/房屋渗漏", C.PHONE, P.NORMAL, "外墙渗水多次维修未解决",
      "业主投诉：客厅外墙渗水已报修三次仍未解决，要求物业给出书面答复。", location="客厅外墙", ago=13,
      steps=(("assign", 3, "KF005", "eng"), ("start", 30),
             ("note", 31, INTERNAL, "需搭吊篮施工，已联系开发商保修单位。"),
             ("note", 80, PUBLIC, "保修单位已确认方案，天气转好后施工。"))),
    T("yqya", None, K.COMPLAINT, "环境卫生", C.PHONE, P.URGENT, "垃圾房异味严重无人清理",
      "业主来电：2号楼旁垃圾房两天未清运，气味很大，要求立即处理。", location="2号楼旁垃圾房", ago=0.2),
    T("yqya", "3-2-402", K.CONSULTATION, "收费", C.PHONE, P.NORMAL, "物业费发票如何开具",
      "业主咨询物业费电子发票的开具方式。", ago=25,
      steps=(("resolve", 0.5, "已告知可在业主门户“缴费记录”中申请电子发票，并发送操作说明。", {}),
             ("close", 1))),
    T("yqya", "1-2-1801", K.CONSULTATION, "装修管理", C.WALK_IN, P.NORMAL, "装修申请需要哪些材料",
      "业主到前台咨询装修申报流程与所需材料。", ago=3, by="agent",
      steps=(("note", 1, PUBLIC, "已提供装修申报表及装修管理规定。"),)),
    T("yqya", None, K.SUGGESTION, "绿化", C.PORTAL, P.NORMAL, "建议在儿童游乐区增加遮阳",
      "夏天儿童游乐区太晒，建议加装遮阳棚或种植乔木。", location="中心花园儿童游乐区", ago=40,
      steps=(("assign", 5, None, "env"), ("resolve", 200, "已纳入明年绿化改造计划，先加装两把遮阳伞。", {}),
             ("close", 210))),
    T("yqya", "2-1-902", K.PRAISE, "服务态度", C.WECHAT, P.NORMAL, "感谢保安帮忙搬运重物",
      "业主在微信群表扬2号楼门岗保安主动帮老人搬运大米。", ago=18,
      steps=(("resolve", 2, "已转达表扬，并在月度例会上通报。", {}), ("close", 3))),
    T("yqya", "1-1-302", K.REPAIR, "工程维修/水电", C.PHONE, P.NORMAL, "客厅插座跳闸",
      "客厅一路插座频繁跳闸。", ago=1.5,
      steps=(("assign", 0.5, "KF005", None),)),
    T("yqya", "3-1-201", K.REPAIR, "工程维修/公共设施", C.PHONE, P.NORMAL, "单元门禁刷卡无反应",
      "3号楼1单元门禁刷卡无反应，只能按门铃进入。", location="3号楼1单元门禁", ago=6,
      steps=(("assign", 1, "KF005", "eng"), ("start", 3),
             ("note", 4, PUBLIC, "门禁主板损坏，已向供应商订购，到货后更换。"))),
    T("yqya", "2-2-1101", K.REPAIR, "工程维修/水电", C.PHONE, P.NORMAL, "阳台地漏返水",
      "阳台地漏返水，怀疑楼上排水管堵塞。", ago=7,
      steps=(("cancel", 1, CancelReason.DUPLICATE, "同一问题已于前一日报修。"),)),
    # --- 金桂花园 (jghy): old estate, the agent and 孙悦 (KF006) serve it ---
    T("jghy", "2-1-301", K.REPAIR, "工程维修/水电", C.PHONE, P.URGENT, "家中突然停电",
      "业主来电：家中全部停电，邻居家有电。", ago=74,
      steps=_done((0.1, 0.4, 1.5, 20, 22), "入户总开关老化损坏，已更换。", rate=5)),
    T("jghy", "4-2-502", K.REPAIR, "工程维修/房屋渗漏", C.PHONE, P.NORMAL, "顶楼屋面漏水",
      "顶楼业主反映下雨时卧室天花板滴水。", location="卧室天花板", ago=58,
      steps=_done((2, 24, 100, 130, 132), "屋面防水卷材局部修补，经雨天验证无渗漏。",
                  note="需等连续晴天施工，已告知业主。", rate=4)),
    T("jghy", "1-1-101", K.REPAIR, "工程维修/水电", C.WALK_IN, P.NORMAL, "楼道水管冻裂",
      "一楼楼道明装水管冻裂漏水。", location="1号楼1单元楼道", ago=28,
      steps=_done((0.5, 1, 5, 40, 42), "更换冻裂管段并加装保温棉。", rate=1, close=False)
      + (("assign", 44, "KF003", None), ("start", 46), ("resolve", 52, "复查发现保温棉包裹不全，已重新包裹。", {}),
         ("callback", 70, 4, "业主满意"), ("close", 72))),
    T("jghy", "3-2-602", K.COMPLAINT, "停车", C.PHONE, P.NORMAL, "固定车位被外来车辆占用",
      "业主投诉自己的固定车位经常被外来车辆占用，门岗未登记。", location="3号楼东侧车位", ago=47,
      steps=(("assign", 1, "KF002", "sec"), ("start", 2),
             ("resolve", 30, "加强门岗外来车辆登记，车位加装地锁。", SECURITY),
             ("callback", 80, 4, ""), ("close", 90))),
    T("jghy", "2-2-401", K.COMPLAINT, "收费", C.WALK_IN, P.NORMAL, "对公摊电费计算有异议",
      "业主认为公摊电费分摊方式不合理，要求公示计算明细。", ago=16, by="agent",
      steps=(("assign", 4, "KF002", "fin"), ("start", 30),
             ("note", 31, INTERNAL, "财务部正在整理近12个月公摊电费明细。"))),
    T("jghy", "1-2-602", K.COMPLAINT, "工程维修/公共设施", C.PHONE, P.NORMAL, "楼道灯坏了两周没人修",
      "业主投诉：1号楼2单元5楼楼道灯坏了两周，报修后无人处理。", location="1号楼2单元5楼", ago=11,
      steps=(("assign", 2, "KF006", "eng"),)),
    T("jghy", "S-103", K.REPAIR, "工程维修/水电", C.WALK_IN, P.NORMAL, "商铺卷帘门电机故障",
      "沿街商铺卷帘门无法升降，影响营业。", ago=4,
      steps=(("assign", 0.5, "KF006", None), ("start", 3))),
    T("jghy", "4-1-201", K.CONSULTATION, "其他", C.PHONE, P.NORMAL, "小区何时进行老旧小区改造",
      "业主咨询小区是否列入老旧小区改造计划。", ago=2,
      steps=(("note", 3, PUBLIC, "已向街道了解，明年第一批名单公布后告知。"),)),
    T("jghy", None, K.SUGGESTION, "环境卫生", C.PORTAL, P.NORMAL, "建议增设旧衣物回收箱",
      "建议在小区门口增设旧衣物回收箱。", ago=35,
      steps=(("assign", 10, None, "env"), ("start", 30))),
    T("jghy", "3-1-302", K.REPAIR, "工程维修/门窗", C.PHONE, P.NORMAL, "单元防盗门闭门器损坏",
      "单元防盗门闭门器漏油，门无法自动关闭。", location="3号楼1单元", ago=1.2),
    T("jghy", "2-1-602", K.REPAIR, "其他", C.PHONE, P.NORMAL, "空调外机支架松动",
      "业主担心空调外机支架松动坠落。", ago=21,
      steps=(("cancel", 2, CancelReason.NOT_OURS, "空调外机属业主自有设备，已建议联系空调售后。"),)),
    # --- 钱塘明珠苑 (qtmzy): agent2 (KF004) serves it ---
    T("qtmzy", "1-1-1501", K.REPAIR, "工程维修/电梯", C.PHONE, P.NORMAL, "电梯运行有异响",
      "1号楼1单元电梯运行时有明显异响。", location="1号楼1单元电梯", ago=66, by="agent2",
      steps=_done((1, 5, 30, 60, 62), "维保单位更换导靴，运行平稳。", rate=5, handler="KF004")),
    T("qtmzy", "2-2-802", K.COMPLAINT, "服务态度", C.PHONE, P.URGENT, "保安与业主发生争执",
      "业主投诉门岗保安在外卖车辆进出问题上与其发生争执，言语不当。", ago=30, by="agent2",
      steps=(("assign", 0.5, "KF004", "sec"), ("start", 1),
             ("resolve", 20, "当事保安已向业主道歉并调岗。", VALID), ("callback", 60, 4, ""), ("close", 62))),
    T("qtmzy", "1-2-301", K.COMPLAINT, "环境卫生", C.WECHAT, P.NORMAL, "楼道保洁不及时",
      "业主反映楼道地面经常有垃圾，保洁不到位。", ago=24, by="agent2",
      steps=(("assign", 3, "KF004", "env"), ("start", 20),
             ("resolve", 50, "调整保洁排班，增加每日巡检。", VALID),
             ("callback", 100, 1, "回访时楼道仍有垃圾，业主非常不满意。"))),
    T("qtmzy", "2-1-1402", K.REPAIR, "工程维修/水电", C.PHONE, P.NORMAL, "热水器排烟管脱落",
      "业主报修：燃气热水器排烟管脱落。", ago=5, by="agent2",
      steps=(("assign", 0.5, "KF004", None), ("start", 2),
             ("resolve", 3, "重新固定排烟管并检测密封。", {}), ("callback", 50, 4, "业主满意"))),
    T("qtmzy", "1-1-702", K.CONSULTATION, "停车", C.PHONE, P.NORMAL, "如何办理月租车位",
      "业主咨询月租车位的办理手续和费用。", ago=14, by="agent2",
      steps=(("resolve", 1, "已告知办理流程及收费标准。", {}), ("close", 2))),
    T("qtmzy", None, K.PRAISE, "服务态度", C.WALK_IN, P.NORMAL, "表扬客服及时协调停水通知",
      "业主到前台表扬客服提前两天通知停水并安排送水。", ago=44, by="agent2",
      steps=(("resolve", 1, "已转达表扬。", {}), ("close", 2))),
    T("qtmzy", "2-2-1202", K.REPAIR, "工程维修/房屋渗漏", C.PHONE, P.NORMAL, "飘窗渗水",
      "下雨时飘窗台面渗水。", ago=8, by="agent2",
      steps=(("assign", 1, "KF004", "eng"),)),
]

# Portal submissions by the resident, waiting to be accepted (hours before the load).
PORTAL = [
    ("3-2-1201", K.REPAIR, "工程维修/水电", "卫生间水龙头一直滴水", "卫生间洗手盆水龙头关不紧，一直滴水。", 5),
    ("3-2-1201", K.COMPLAINT, "邻里纠纷", "楼下邻居油烟影响", "楼下邻居做饭油烟从窗户飘进来，希望物业协调。", 2),
    ("3-2-1201", K.CONSULTATION, "收费", "车位管理费怎么交", "想了解地下车位管理费的缴纳方式。", 0.5),
]


class _Loader:
    def __init__(self, now):
        from wuye.estates.models import Estate, Occupancy, Unit
        from wuye.org.models import Department, Staff

        self.now = now
        self.estates = {e.code: e for e in Estate.objects.filter(code__in={t["estate"] for t in TICKETS})}
        self.units = {(u.estate.code, u.code): u for u in Unit.objects.filter(estate__in=self.estates.values())
                      .select_related("estate")}
        self.occupant = {}
        for occ in (Occupancy.objects.filter(unit__estate__in=self.estates.values(), end_date__isnull=True)
                    .select_related("customer").order_by("-is_primary_contact", "pk")):
            self.occupant.setdefault(occ.unit_id, occ.customer)
        self.categories = {c.path: c for c in TicketCategory.objects.all()}
        self.staff = {s.employee_no: s for s in Staff.objects.all()}
        self.departments = {d.code: d for d in Department.objects.all()}
        self.users = {}
        self.made = 0

    def user(self, name):
        if name not in self.users:
            self.users[name] = demo_user(name)
        return self.users[name]

    def retime(self, ticket, t0, when, **extra):
        """Move what a step wrote at or after ``t0`` to the story's time ``when``."""
        fresh = Ticket.objects.get(pk=ticket.pk)
        fields = {name: when for name in TIME_FIELDS if getattr(fresh, name) is not None and getattr(fresh, name) >= t0}
        if fresh.callback_due is not None and fresh.callback_due >= t0:
            fields["callback_due"] = when + (fresh.callback_due - fresh.resolved_at)
        fields.update(extra)
        if fields:
            Ticket.objects.filter(pk=ticket.pk).update(**fields)
        TicketEvent.objects.filter(ticket=ticket, at__gte=t0).update(at=when)
        ProgressNote.objects.filter(ticket=ticket, noted_at__gte=t0).update(noted_at=when, created_at=when)
        Callback.objects.filter(ticket=ticket, called_at__gte=t0).update(called_at=when, created_at=when)

    def ticket(self, spec):
        estate = self.estates[spec["estate"]]
        if Ticket.objects.filter(estate=estate, title=spec["title"]).exists():
            return
        unit = self.units[(spec["estate"], spec["unit"])] if spec["unit"] else None
        customer = self.occupant.get(unit.pk) if unit else None
        reported = (self.now - dt.timedelta(days=spec["ago"])).replace(second=0, microsecond=0)
        actor = self.user(spec["by"])
        t0 = timezone.now()
        ticket = services.ticket_create(
            actor=actor, estate=estate, unit=unit, customer=customer, kind=spec["kind"], priority=spec["priority"],
            channel=spec["channel"], category=self.categories.get(spec["category"]), title=spec["title"],
            description=spec["description"], location=spec["location"], reported_at=reported)
        self.retime(ticket, t0, reported, created_at=reported)
        for step in spec["steps"]:
            ticket = self.step(Ticket.objects.get(pk=ticket.pk), spec, reported, *step)
        self.settle(ticket)
        self.made += 1

    def step(self, ticket, spec, reported, name, hours, *args):
        when = reported + dt.timedelta(hours=hours)
        if when > self.now:
            raise ValueError(f"demo ticket {spec['title']}: step {name} after the load time")
        agent = self.user(spec["by"])
        t0 = timezone.now()
        if name == "assign":
            number, department = args
            assignee = self.staff[number] if number else None
            services.ticket_assign(actor=agent, ticket=ticket, assignee=assignee,
                                   department=self.departments[department] if department else None)
        elif name == "start":
            services.ticket_start(actor=agent, ticket=ticket)
        elif name == "note":
            visibility, body = args
            services.note_add(actor=agent, ticket=ticket, body=body, visibility=visibility)
        elif name == "resolve":
            resolution, analysis = args
            analysis = dict(analysis)
            if "responsible_department" in analysis:
                analysis["responsible_department"] = self.departments[analysis["responsible_department"]]
            services.ticket_resolve(actor=agent, ticket=ticket, resolution=resolution,
                                    **(analysis if ticket.is_complaint else {}))
        elif name == "callback":
            satisfaction, comment = args
            services.ticket_callback(actor=agent, ticket=ticket, satisfaction=satisfaction, comment=comment)
        elif name == "rate":
            satisfaction, comment = args
            services.ticket_rate(actor=self.user("resident"), ticket=ticket, satisfaction=satisfaction,
                                 comment=comment)
        elif name == "close":
            ticket = Ticket.objects.get(pk=ticket.pk)
            if ticket.status == TicketStatus.RESOLVED and ticket.callback_required:
                # the repair was drawn for a callback (services choose a share of repairs at random)
                services.ticket_callback(actor=agent, ticket=ticket, satisfaction=5, comment="")
                ticket = Ticket.objects.get(pk=ticket.pk)
            services.ticket_close(actor=self.user("cs_manager"), ticket=ticket)
        elif name == "cancel":
            reason, comment = args
            services.ticket_cancel(actor=agent, ticket=ticket, reason=reason, comment=comment)
        else:  # pragma: no cover - a typo in the spec
            raise ValueError(name)
        self.retime(ticket, t0, when)
        return Ticket.objects.get(pk=ticket.pk)

    def submission(self, unit_code, kind, category, title, description, hours):
        unit = self.units[("yqya", unit_code)]
        if Ticket.objects.filter(estate=unit.estate, title=title).exists():
            return
        reported = (self.now - dt.timedelta(hours=hours)).replace(second=0, microsecond=0)
        t0 = timezone.now()
        ticket = services.ticket_submit(actor=self.user("resident"), unit=unit, kind=kind,
                                        category=self.categories.get(category), title=title, description=description)
        number = ticket.number
        if timezone.localdate(reported) != timezone.localdate(ticket.reported_at):
            number = services.next_number(reported)  # just after midnight "half an hour ago" is yesterday
        ticket.reported_at = reported
        services.apply_deadlines(ticket)
        self.retime(ticket, t0, reported, reported_at=reported, created_at=reported, response_due=ticket.response_due,
                    onsite_due=ticket.onsite_due, resolution_due=ticket.resolution_due, number=number)
        self.made += 1

    def settle(self, ticket):
        """Whether each limit was met and the handling time, from the story's times."""
        t = Ticket.objects.get(pk=ticket.pk)
        fields = {"response_met": None if t.responded_at is None or t.response_due is None
                  else t.responded_at <= t.response_due,
                  "onsite_met": None if t.started_at is None or t.onsite_due is None else t.started_at <= t.onsite_due,
                  "resolution_met": None if t.resolved_at is None or t.resolution_due is None
                  else t.resolved_at <= t.resolution_due,
                  "handling_minutes": None if t.resolved_at is None
                  else int((t.resolved_at - t.reported_at).total_seconds() // 60)}
        Ticket.objects.filter(pk=t.pk).update(**fields)


def load(*, stdout, style):
    started = time.perf_counter()
    now = timezone.now()
    loader = _Loader(now)
    if len(loader.estates) < 3:
        stdout.write("tickets: the demo estates are missing (estates.demo runs first); no demo tickets")
        return []
    for spec in TICKETS:
        loader.ticket(spec)
    for args in PORTAL:
        loader.submission(*args)
    escalated = services.tickets_escalate(now=now)
    demo = Ticket.objects.filter(estate__in=loader.estates.values())
    stdout.write(f"tickets: {demo.count()} demo tickets ({loader.made} made now, {escalated} time limits newly "
                 f"passed) in {time.perf_counter() - started:.1f} s")
    return _logins(loader)


def _logins(loader) -> list[DemoLogin]:
    """What each login sees, the estates' part included (a row replaces the earlier apps' text for that user)."""
    from wuye.core.demo import DEMO_USERS

    def served(number):
        staff = loader.staff.get(number)
        return "、".join(e.name for e in staff.estates.order_by("pk")) if staff else ""

    manager = next(sees for name, _role, _n, sees in DEMO_USERS if name == "cs_manager")
    resident = demo_user("resident")
    home = Ticket.objects.filter(Ticket.resident_scope(resident)).select_related("unit", "estate").first()
    where = f"（{home.estate.name} {home.unit.code}）" if home and home.unit_id else ""
    return [
        DemoLogin("agent", sees=f"只服务 {served('KF003')}：客户档案、快速查询、工单队列（紧急投诉置顶、超时标红）、"
                                f"来电受理；{served('KF004')} 的客户和工单打开是 404"),
        DemoLogin("agent2", sees=f"只服务 {served('KF004')} 的客户和工单（与 agent 对比数据范围）"),
        DemoLogin("cs_manager", sees=f"{manager}；全部工单、投诉登记追踪表与统计表、时限设置、历史工单导入"),
        DemoLogin("resident", sees=f"业主 {resident.first_name}{where}：本户的房屋、档案和工单；门户报修、投诉、"
                                   "查看进展与评价"),
    ]


# --- the bulk generator (manage.py generate_data --tickets N) ------------------------------------------------
#
# A year and a half of tickets up to now over the estates of the run (those ``estates.demo`` generated; else
# the most recently generated ones), with handlers made per estate: kinds, categories, channels, priorities,
# every state (older tickets mostly closed, recent ones open), step times with time limits met or missed,
# overdue open tickets already marked, callbacks with satisfaction, complaint analysis, reopened ones, progress
# notes, the timeline and the search index. Tickets are made day by day in reporting order, numbered after
# each day's ``DailySequence`` (moved on at the end).
#
# Fast: values are made ready for the database here and written with one ``executemany`` per table and batch
# (``_Inserter``: even ``insert_rows`` spends ~5 µs per datetime value in Django's adapters, and a ticket has
# a dozen; the contact phone is encrypted here, as its field would); search tokens are computed from memoised
# parts. No ``save()``, signals or change history.
# Memory stays bounded: one batch of rows at a time, plus the estates' unit and customer ids.

GEN_SPAN_DAYS = 548
EPOCH_DAY = dt.date(1970, 1, 1).toordinal()
GEN_STAFF_PER_ESTATE = 6
KIND_WEIGHTS = [(K.REPAIR, 60), (K.COMPLAINT, 15), (K.CONSULTATION, 15), (K.SUGGESTION, 5), (K.PRAISE, 5)]
CHANNEL_WEIGHTS = [(C.PHONE, 45), (C.WALK_IN, 14), (C.PORTAL, 16), (C.WECHAT, 15), (C.EMAIL, 2), (C.PATROL, 6),
                   (C.OTHER, 2)]
OPENERS = {C.PHONE: "业主来电反映：", C.WALK_IN: "业主到客服中心反映：", C.PORTAL: "业主在门户提交：",
           C.WECHAT: "业主微信反映：", C.EMAIL: "业主来信反映：", C.PATROL: "巡查发现：", C.OTHER: ""}
ISSUES = {
    "工程维修/水电": ["厨房水管漏水", "卫生间下水道堵塞", "客厅插座跳闸", "热水器不出热水", "水压不足", "家中停电",
                  "水表箱漏水", "入户阀门关不严"],
    "工程维修/电梯": ["电梯困人", "电梯运行异响", "电梯按钮失灵", "电梯门关不上", "电梯停运"],
    "工程维修/门窗": ["单元门闭门器损坏", "窗户关不严", "入户门锁损坏", "防火门无法关闭"],
    "工程维修/公共设施": ["楼道灯不亮", "门禁刷卡无反应", "道闸不抬杆", "监控摄像头损坏", "快递柜故障",
                    "健身器材损坏"],
    "工程维修/房屋渗漏": ["卫生间顶板漏水", "外墙渗水", "阳台漏水", "地下车库漏水", "飘窗渗水", "屋面漏水"],
    "工程维修/其他维修": ["信报箱损坏", "楼梯扶手松动", "窨井盖破损"],
    "秩序维护": ["外来人员随意进出", "高空抛物", "电动车楼道充电", "夜间有人喧哗", "消防通道被占用"],
    "环境卫生": ["垃圾未及时清运", "楼道有异味", "蟑螂鼠患", "公共区域积水"],
    "绿化": ["绿化带杂草丛生", "树枝遮挡窗户", "草坪被踩踏"],
    "停车": ["车位被占用", "车库车辆乱停", "月租车位办理"],
    "收费": ["物业费缴纳方式", "物业费发票开具", "公摊电费有异议", "停车费标准"],
    "服务态度": ["前台接待态度差", "保安态度生硬", "维修师傅未按约上门"],
    "邻里纠纷": ["楼上噪音扰民", "邻居占用公共走道", "宠物狗吠扰民", "空调外机噪音"],
    "装修管理": ["装修噪音扰民", "装修垃圾乱堆", "装修申请流程"],
    "其他": ["社区活动报名", "失物招领", "其他事项"],
}
KIND_CATEGORIES = {
    K.REPAIR: [("工程维修/水电", 30), ("工程维修/房屋渗漏", 20), ("工程维修/公共设施", 20), ("工程维修/电梯", 10),
               ("工程维修/门窗", 12), ("工程维修/其他维修", 8)],
    K.COMPLAINT: [("邻里纠纷", 20), ("服务态度", 15), ("环境卫生", 15), ("秩序维护", 15), ("停车", 12),
                  ("装修管理", 10), ("工程维修/房屋渗漏", 8), ("收费", 5)],
    K.CONSULTATION: [("收费", 40), ("停车", 20), ("装修管理", 20), ("其他", 20)],
    K.SUGGESTION: [("绿化", 30), ("环境卫生", 30), ("秩序维护", 20), ("其他", 20)],
    K.PRAISE: [("服务态度", 70), ("其他", 30)],
}
KIND_PREFIX = {K.COMPLAINT: "投诉：", K.CONSULTATION: "咨询：", K.SUGGESTION: "建议：", K.PRAISE: "表扬："}
DETAILS = ["情况已持续两天。", "影响正常生活，请尽快处理。", "希望下午上门。", "已是第二次反映。", "现场有积水。",
           "老人独居，请提前电话联系。", "同单元其他住户也有反映。", "请处理后回复。", ""]
COMMON_AREAS = ["地下车库", "中心花园", "南门", "北门", "会所", "1号楼大堂", "垃圾房", "消防通道"]
NOTE_TEXTS = [("已联系业主，约定上门时间。", PUBLIC), ("师傅已上门查看，需订购配件。", PUBLIC),
              ("配件已到，明日上门更换。", PUBLIC), ("已协调相关部门处理。", INTERNAL),
              ("业主不在家，改约时间。", INTERNAL), ("已上报项目经理。", INTERNAL)]
RESOLUTIONS = ["已处理完毕，业主确认正常。", "已更换配件，试用正常。", "已协调解决并告知业主。", "已答复业主。",
               "已清理完毕。", "已整改并加强巡查。"]
CAUSES = ["人员培训不到位", "巡查频次不足", "设备老化", "外包单位响应慢", "业主之间的纠纷"]
SATISFACTION = [(5, 45), (4, 35), (3, 12), (2, 6), (1, 2)]
GEN_TICKET_COLUMNS = (
    "number", "kind", "status", "priority", "channel", "estate", "unit", "customer", "contact_name",
    "contact_phone", "location", "category", "title", "description", "reported_at", "assignee", "department",
    "resolution", "accepted_at", "assigned_at", "responded_at", "started_at", "resolved_at", "called_back_at",
    "closed_at", "cancelled_at", "cancel_reason", "cancel_comment", "response_due", "onsite_due", "resolution_due",
    "response_met", "onsite_met", "resolution_met", "is_overdue", "overdue_limits", "handling_minutes",
    "callback_required", "callback_due", "satisfaction", "flagged", "reopen_count", "is_valid_complaint",
    "responsible_department", "cause", "measures", "version", "legacy_ref", "created_at", "updated_at",
)
GEN_EVENT_COLUMNS = ("ticket", "step", "at", "from_status", "to_status", "comment", "data")
GEN_NOTE_COLUMNS = ("ticket", "body", "visibility", "noted_at", "created_at", "updated_at")
GEN_CALLBACK_COLUMNS = ("ticket", "called_at", "method", "outcome", "satisfaction", "comment", "created_at",
                        "updated_at")
GEN_SEARCH_COLUMNS = ("content_type", "object_id", "estate_id", "title", "subtitle", "tokens", "updated_at")
S = TicketStatus
NO_LEVEL = ((None, None), (None, None), (None, None), False)


def add_arguments(parser) -> None:
    group = parser.add_argument_group("tickets")
    group.add_argument("--tickets", type=int, default=0,
                       help="tickets to generate over the last year and a half (default 0)")
    group.add_argument("--ticket-estates", type=int, default=None,
                       help="spread them over this many generated estates (default: --estates)")


class _Inserter:
    """``INSERT`` of rows whose values are already what the database driver takes (see ``_Clock``), all columns
    given (so no defaults to compute), one ``executemany`` per call. JSON columns take JSON text."""

    def __init__(self, model, columns, connection, json_columns=()):
        qn = connection.ops.quote_name
        opts = model._meta
        marks = ["%s::jsonb" if c in json_columns and connection.vendor == "postgresql" else "%s" for c in columns]
        self.model = model
        self.sql = (f"INSERT INTO {qn(opts.db_table)} ({', '.join(qn(opts.get_field(c).column) for c in columns)}) "  # nosec B608
                    f"VALUES ({', '.join(marks)})")
        self.connection = connection
        self.count = 0
        self.seconds = 0.0

    def write(self, rows: list) -> None:
        if rows:
            started = time.perf_counter()
            with self.connection.cursor() as cursor:
                cursor.executemany(self.sql, rows)
            self.count += len(rows)
            self.seconds += time.perf_counter() - started


class _Clock:
    """Times as epoch seconds while generating; ``db(ts)`` gives what the driver stores: SQLite a UTC text like
    Django writes it, PostgreSQL an aware datetime. Local dates use the current time zone's offset now (China
    has no daylight saving)."""

    def __init__(self, connection):
        self.sqlite = connection.vendor == "sqlite"
        self.offset = int(timezone.localtime().utcoffset().total_seconds())
        self._workdays: dict[tuple[int, int], int] = {}
        self._utc_days: dict[int, str] = {}

    def db(self, ts):
        if ts is None:
            return None
        if self.sqlite:
            day, seconds = divmod(int(ts), 86400)
            text = self._utc_days.get(day)
            if text is None:
                text = self._utc_days[day] = dt.date.fromordinal(EPOCH_DAY + day).isoformat()
            return f"{text} {seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
        return dt.datetime.fromtimestamp(ts, dt.UTC)

    def day(self, ts) -> int:
        """The local date's ordinal."""
        return EPOCH_DAY + (int(ts) + self.offset) // 86400

    def add(self, ts, value, unit):
        if not value:
            return None
        if unit == "minutes":
            return ts + value * 60
        if unit == "hours":
            return ts + value * 3600
        if unit == "days":
            return ts + value * 86400
        day = self.day(ts)
        key = (day, value)
        if key not in self._workdays:
            from .workdays import add_working_days

            start = dt.datetime.fromordinal(day)
            self._workdays[key] = (add_working_days(start, value) - start).days
        return ts + self._workdays[key] * 86400


def _weighted(rng, pairs):
    values = [v for v, _w in pairs]
    cum, total = [], 0
    for _v, w in pairs:
        total += w
        cum.append(total)
    return lambda: values[_bisect(cum, rng.random() * total)]


def _bisect(cum, x):
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cum[mid] > x:
            hi = mid
        else:
            lo = mid + 1
    return lo


class _Tokens:
    """``core.search.document_tokens`` of a ticket, from memoised parts (titles, descriptions and units repeat)."""

    def __init__(self):
        self._parts: dict[str, str] = {}
        self._titles: dict[str, str] = {}

    def part(self, text: str) -> str:
        found = self._parts.get(text)
        if found is None:
            found = " ".join(search.tokenize(text))
            if len(self._parts) < 200_000:
                self._parts[text] = found
        return found

    def __call__(self, title, number, description, location, unit_code, tail, name) -> str:
        """``description`` may be given as a tuple of parts that punctuation separates in the text."""
        head = self._titles.get(title)
        if head is None:
            head = (self.part(title), " ".join(search._unigrams(title)))
            self._titles[title] = head
        text = " ".join(self.part(p) for p in description if p) if isinstance(description, tuple) \
            else self.part(description)
        parts = [head[0], _number_tokens(number), text]
        parts += [self.part(p) for p in (location, unit_code, tail, name) if p]
        parts.append(head[1])
        return " ".join(p for p in parts if p)


def _number_tokens(number: str) -> str:
    """``GD20261127-0001`` -> ``gd20261127 0001`` (what ``core.search.tokenize`` makes of it, without the work)."""
    return number.lower().replace("-", " ")


def _gen_estates(options):
    from wuye.estates.models import Estate, Unit

    wanted = options.get("ticket_estates") or options.get("estates") or 20
    generated = list(Estate.objects.filter(code__regex=r"^gen[0-9]+$").order_by("-pk")[:wanted])
    estates = generated or list(Estate.objects.order_by("pk")[:wanted])
    with_units = set(Unit.objects.filter(estate__in=estates).values_list("estate_id", flat=True).distinct())
    return sorted((e for e in estates if e.pk in with_units), key=lambda e: e.pk)


def _gen_staff(estates, rng) -> dict[int, list[tuple[int, int]]]:
    """Handlers for each estate (made once per estate, numbered ``G<estate id>-NN``): ``{estate: [(staff, dept)]}``."""
    from wuye.core.management.fakedata import person
    from wuye.estates.models import Estate
    from wuye.org.models import Company, Department, Post, Staff

    post = Post.objects.select_related("department").order_by("pk").first()
    if post is None:
        company = Company.objects.order_by("pk").first() or Company.objects.create(name="基准测试物业服务有限公司")
        department = Department.objects.create(company=company, name="客户服务部", code="gen-cs")
        post = Post.objects.create(department=department, name="客服专员", code="gen-agent")
    handlers = {}
    for estate in estates:
        prefix = f"G{estate.pk}-"
        existing = list(Staff.objects.filter(employee_no__startswith=prefix).values_list("pk", "department_id"))
        if not existing:
            made = Staff.objects.bulk_create([
                Staff(employee_no=f"{prefix}{n:02d}", name=person(rng)[0], department=post.department, post=post)
                for n in range(1, GEN_STAFF_PER_ESTATE + 1)])
            Estate.staff.through.objects.bulk_create([Estate.staff.through(estate_id=estate.pk, staff_id=s.pk)
                                                      for s in made])
            existing = [(s.pk, s.department_id) for s in made]
        handlers[estate.pk] = existing
    return handlers


def _gen_places(estate):
    """The estate's units with their current primary occupant: parallel arrays and lists."""
    from wuye.estates.models import Occupancy, Unit

    occupant = {}
    for unit_id, customer_id, name, mobile in (Occupancy.objects.filter(unit__estate=estate, end_date__isnull=True)
                                               .order_by("-is_primary_contact", "pk")
                                               .values_list("unit_id", "customer_id", "customer__name",
                                                            "customer__mobile").iterator(chunk_size=5000)):
        if unit_id not in occupant:
            occupant[unit_id] = (customer_id, name, mobile)
    ids, codes, customers, names, mobiles = array("q"), [], array("q"), [], []
    for unit_id, code in Unit.objects.filter(estate=estate).order_by("pk").values_list("pk", "code").iterator(
            chunk_size=5000):
        ids.append(unit_id)
        codes.append(code)
        customer = occupant.get(unit_id)
        customers.append(customer[0] if customer else 0)
        names.append(customer[1] if customer else "")
        mobiles.append(customer[2] if customer else "")
    return SimpleNamespace(ids=ids, codes=codes, customers=customers, names=names, mobiles=mobiles)


def _day_counts(total: int, days: list[int], rng) -> list[int]:
    """``total`` split over ``days`` (ordinals): fewer at weekends and around the Spring Festival, more in summer."""
    weights = []
    for day in days:
        date = dt.date.fromordinal(day)
        w = 0.75 if date.weekday() >= 5 else 1.0
        w *= 1.15 if date.month in (6, 7, 8) else 0.8 if date.month == 2 else 1.0
        weights.append(w * rng.uniform(0.85, 1.15))
    scale = total / sum(weights)
    counts, carry = [], 0.0
    for w in weights:
        carry += w * scale
        n = int(carry)
        carry -= n
        counts.append(n)
    counts[-1] += total - sum(counts)
    return counts


class _Generator:
    def __init__(self, options, stdout, connection):
        from wuye.org.models import Department

        self.rng = random.Random(f"tickets-{options['seed']}")
        self.batch = max(1000, options["batch_size"])
        self.stdout = stdout
        self.clock = _Clock(connection)
        self.now = time.time()
        self.tokens = _Tokens()
        rng = self.rng
        self.kind = _weighted(rng, KIND_WEIGHTS)
        self.channel = _weighted(rng, CHANNEL_WEIGHTS)
        self.category = {kind: _weighted(rng, pairs) for kind, pairs in KIND_CATEGORIES.items()}
        self.satisfaction = _weighted(rng, SATISFACTION)
        self.categories = dict(TicketCategory.objects.values_list("path", "pk"))
        self.departments = list(Department.objects.values_list("pk", flat=True)) or [None]
        self.levels = {}
        for sl in ServiceLevel.objects.all():
            self.levels[(sl.kind, sl.priority)] = (sl.limit("response"), sl.limit("onsite"), sl.limit("resolution"),
                                                   sl.callback_required)
        from .models import TicketSettings

        policy = TicketSettings.current()
        self.callback_days, self.repair_callback = policy.callback_within_days, policy.repair_callback_percent / 100
        json_cols = ("overdue_limits", "data")
        self.w_tickets = _Inserter(Ticket, GEN_TICKET_COLUMNS, connection, json_cols)
        self.w_events = _Inserter(TicketEvent, GEN_EVENT_COLUMNS, connection, json_cols)
        self.w_notes = _Inserter(ProgressNote, GEN_NOTE_COLUMNS, connection)
        self.w_callbacks = _Inserter(Callback, GEN_CALLBACK_COLUMNS, connection)
        self.w_search = _Inserter(SearchEntry, GEN_SEARCH_COLUMNS, connection)
        self.ct = ContentType.objects.get_for_model(Ticket).pk
        self.last_pk = Ticket.objects.aggregate(m=Max("pk"))["m"] or 0
        self.stamp = self.clock.db(self.now)
        self.pending: list[tuple] = []   # (ticket row, events, notes, callback, search parts)

    # -- one ticket --
    def ticket(self, number, ts, estate_id, places, handlers):
        rng, clock, now = self.rng, self.clock, self.now
        kind = self.kind()
        urgent = rng.random() < (0.1 if kind in (K.REPAIR, K.COMPLAINT) else 0.03)
        priority = P.URGENT if urgent else P.NORMAL
        channel = self.channel()
        path = self.category[kind]()
        issue = rng.choice(ISSUES[path])
        title = KIND_PREFIX.get(kind, "") + issue
        unit_id = customer_id = None
        unit_code = contact_name = contact_phone = location = ""
        if rng.random() < 0.85 and places.ids:
            k = rng.randrange(len(places.ids))
            unit_id, unit_code = places.ids[k], places.codes[k]
            customer_id = places.customers[k] or None
            contact_name, contact_phone = places.names[k], places.mobiles[k] or ""
            parts = unit_code.split("-")
            where = f"{parts[0]}号楼{parts[1]}单元{parts[-1]}室" if len(parts) == 3 else f"{unit_code}室"
        else:
            location = where = rng.choice(COMMON_AREAS)
        detail = rng.choice(DETAILS)
        opener = OPENERS[channel]
        description = f"{opener}{where}，{issue}。{detail}"
        response, onsite, resolution, level_callback = self.levels.get((kind, priority), NO_LEVEL)
        response_due, onsite_due = clock.add(ts, *response), clock.add(ts, *onsite)
        resolution_due = clock.add(ts, *resolution)
        age = (now - ts) / 86400

        # how far it got, by its age
        r = rng.random()
        if age > 30:
            status = S.CLOSED if r < 0.86 else S.CANCELLED if r < 0.90 else S.CALLED_BACK if r < 0.93 \
                else S.RESOLVED if r < 0.97 else S.IN_PROGRESS if r < 0.985 else S.ASSIGNED
        elif age > 7:
            status = S.CLOSED if r < 0.55 else S.CALLED_BACK if r < 0.62 else S.RESOLVED if r < 0.77 \
                else S.IN_PROGRESS if r < 0.85 else S.ASSIGNED if r < 0.90 else S.ACCEPTED if r < 0.93 \
                else S.REOPENED if r < 0.96 else S.CANCELLED
        else:
            status = S.CLOSED if r < 0.12 else S.CALLED_BACK if r < 0.16 else S.RESOLVED if r < 0.36 \
                else S.IN_PROGRESS if r < 0.58 else S.ASSIGNED if r < 0.76 else S.ACCEPTED if r < 0.88 \
                else S.SUBMITTED if r < 0.94 else S.REOPENED if r < 0.97 else S.CANCELLED
        if status == S.SUBMITTED:
            channel = C.PORTAL
        span = max(60.0, now - ts - 60)

        def after(start, mean_minutes):
            return min(start + rng.expovariate(1 / (mean_minutes * 60)) + 60, ts + span)

        handled = status not in (S.SUBMITTED, S.ACCEPTED, S.CANCELLED) or (status == S.CANCELLED and r > 0.5)
        assignee, department = rng.choice(handlers) if handled else (None, None)
        accepted = None if status == S.SUBMITTED else ts
        assigned = after(ts, 40 if urgent else 180) if assignee else None
        started = after(assigned, 30 if urgent else 600) if assignee and status not in (S.ASSIGNED, S.CANCELLED) \
            else None
        resolved = called = closed = cancelled = None
        reopen_count = 0
        late = rng.random() < 0.12
        limit = (resolution_due - ts) / 60 if resolution_due else 2880
        first_fix = reopened = None
        if status in (S.RESOLVED, S.CALLED_BACK, S.CLOSED):
            resolved = after(started or assigned or ts, limit * (1.6 if late else 0.35))
        elif status == S.REOPENED:
            first_fix = after(started or assigned or ts, limit * 0.35)
            reopened = after(first_fix, 1440)
        callback_required = satisfaction = None
        needs_callback = (kind == K.COMPLAINT or level_callback
                          or (kind == K.REPAIR and rng.random() < self.repair_callback) or status == S.CALLED_BACK)
        if resolved is not None:
            callback_required = needs_callback
            if status in (S.CALLED_BACK, S.CLOSED) and needs_callback:
                called = after(resolved, 1440)
                satisfaction = self.satisfaction()
            if status == S.CLOSED:
                closed = after(called or resolved, 1440 * 2)
                if rng.random() < 0.03:  # fixed at the second attempt
                    begin = started or assigned or ts
                    first_fix = begin + (resolved - begin) * 0.4
                    reopened = first_fix + (resolved - first_fix) * 0.3
        reopen_count = 1 if reopened else 0
        if status == S.CANCELLED:
            cancelled = after(assigned or ts, 240)
        responded = min(t for t in (assigned, started, resolved) if t) if (assigned or started or resolved) else None
        notes = []
        if status not in (S.SUBMITTED, S.CANCELLED) and rng.random() < 0.3:
            end = resolved or ts + span
            for _ in range(1 if rng.random() < 0.7 else 2):
                body, visibility = rng.choice(NOTE_TEXTS)
                notes.append((rng.uniform(ts + 60, max(ts + 61, end)), body, visibility))
            public = [n[0] for n in notes if n[2] == PUBLIC]
            if public and (responded is None or min(public) < responded):
                responded = min(public)
        overdue = []
        if status in OPEN_STATUSES:
            for name, due, done in (("response", response_due, responded), ("onsite", onsite_due, started),
                                    ("resolution", resolution_due, resolved)):
                if due is not None and due < now and done is None:
                    overdue.append(name)
        valid = cause = measures = None
        responsible = None
        if kind == K.COMPLAINT and resolved is not None:
            valid = rng.random() < 0.7
            cause = rng.choice(CAUSES)
            measures = "已整改并纳入考核。" if valid else "已向业主解释说明。"
            responsible = rng.choice(self.departments) if valid else None

        db = clock.db
        row = (
            number, kind, status, priority, channel, estate_id, unit_id, customer_id, contact_name,
            encrypt(contact_phone) if contact_phone else "",  # as the field's get_prep_value would
            location, self.categories.get(path), title, description, db(ts), assignee, department,
            rng.choice(RESOLUTIONS) if resolved else "", db(accepted), db(assigned), db(responded), db(started),
            db(resolved), db(called), db(closed), db(cancelled),
            rng.choice((CancelReason.DUPLICATE, CancelReason.WITHDRAWN, CancelReason.NOT_OURS)) if cancelled else "",
            "", db(response_due), db(onsite_due), db(resolution_due),
            _met(responded, response_due), _met(started, onsite_due), _met(resolved, resolution_due), bool(overdue),
            _json(overdue), None if resolved is None else int((resolved - ts) // 60), bool(callback_required),
            db(resolved + self.callback_days * 86400) if callback_required and status == S.RESOLVED else None,
            satisfaction, False, reopen_count, valid, responsible, cause or "", measures or "", 1, "", db(ts),
            self.stamp,
        )
        events = [(Step.CREATE, ts, "", S.SUBMITTED if status == S.SUBMITTED else S.ACCEPTED)]
        state = events[0][3]
        for step, at, to in ((Step.ASSIGN, assigned, S.ASSIGNED), (Step.START, started, S.IN_PROGRESS),
                             (Step.RESOLVE, first_fix, S.RESOLVED), (Step.REOPEN, reopened, S.REOPENED),
                             (Step.RESOLVE, resolved, S.RESOLVED), (Step.CALLBACK, called, S.CALLED_BACK),
                             (Step.CLOSE, closed, S.CLOSED), (Step.CANCEL, cancelled, S.CANCELLED)):
            if at is not None:
                events.append((step, at, state, to))
                state = to
        callback = (called, satisfaction) if called is not None else None
        # the description's parts are separated by punctuation, so its tokens are theirs (memoised) in order
        search_parts = (title, number, (opener, where, issue, detail), location, unit_code, contact_phone[-4:],
                        contact_name, estate_id)
        self.pending.append((row, events, notes, callback, search_parts))
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self):
        if not self.pending:
            return
        db = self.clock.db
        self.w_tickets.write([p[0] for p in self.pending])
        first = self.last_pk
        ids = list(Ticket.objects.filter(pk__gt=first).order_by("pk").values_list("pk", flat=True)[:len(self.pending)])
        if len(ids) != len(self.pending):  # pragma: no cover - someone else inserted tickets meanwhile
            raise RuntimeError("ticket ids could not be read back in order")
        self.last_pk = ids[-1]
        events, notes, callbacks, entries = [], [], [], []
        for pk, (_row, evs, nts, callback, parts) in zip(ids, self.pending, strict=True):
            for step, at, before, to in evs:
                events.append((pk, step, db(at), before, to, "", "{}"))
            for at, body, visibility in nts:
                stamp = db(at)
                notes.append((pk, body, visibility, stamp, stamp, stamp))
            if callback is not None:
                stamp = db(callback[0])
                callbacks.append((pk, stamp, CallbackMethod.PHONE, CallbackOutcome.REACHED, callback[1], "",
                                  stamp, stamp))
            title, number, description, location, unit_code, tail, name, estate_id = parts
            entries.append((self.ct, pk, estate_id, title[:200], number,
                            self.tokens(title, number, description, location, unit_code, tail, name)
                            + " " + search.scope_tokens(self.ct, estate_id), self.stamp))
        self.w_events.write(events)
        self.w_notes.write(notes)
        self.w_callbacks.write(callbacks)
        self.w_search.write(entries)
        self.pending.clear()


def _met(done, due):
    return None if done is None or due is None else done <= due


_JSON: dict[tuple, str] = {}


def _json(value: list) -> str:
    key = tuple(value)
    if key not in _JSON:
        import json

        _JSON[key] = json.dumps(value)
    return _JSON[key]


def generate(*, options, stdout) -> None:
    total = options.get("tickets") or 0
    if total <= 0:
        return
    from django.db import connection

    started = time.perf_counter()
    if connection.vendor == "sqlite":
        # A bigger page cache for the run: a ticket row goes into twenty indexes, which the default 2 MB cache
        # keeps re-reading once the tables grow.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size = -131072")
    try:
        # the tables' plain indexes are built once at the end (the command's transaction undoes a failed run)
        with indexes_dropped(Ticket, TicketEvent, ProgressNote, Callback) as dropped:
            _generate(options, stdout, connection, started, total)
            rebuilt = time.perf_counter()
        stdout.write(f"tickets: {dropped} indexes built again in {time.perf_counter() - rebuilt:.1f} s "
                     f"(whole ticket part {time.perf_counter() - started:.1f} s)")
    finally:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")


def _generate(options, stdout, connection, started, total) -> None:
    estates = _gen_estates(options)
    if not estates:
        stdout.write("tickets: no estates with units to put tickets in (generate estates with --customers/--units "
                     "or load the demo first)")
        return
    gen = _Generator(options, stdout, connection)
    handlers = _gen_staff(estates, gen.rng)
    places = {e.pk: _gen_places(e) for e in estates}
    sizes = [max(1, len(places[e.pk].ids)) for e in estates]
    pick_estate = _weighted(gen.rng, list(zip([e.pk for e in estates], sizes, strict=True)))
    today = gen.clock.day(gen.now)
    days = list(range(today - GEN_SPAN_DAYS + 1, today + 1))
    counts = _day_counts(total, days, gen.rng)
    base = dict(DailySequence.objects.filter(day__gte=dt.date.fromordinal(days[0])).values_list("day", "last"))
    base = {d.toordinal(): last for d, last in base.items()}
    hours = _weighted(gen.rng, [(h, w) for h, w in enumerate(
        (1, 1, 1, 1, 1, 2, 4, 8, 14, 16, 15, 12, 9, 10, 12, 12, 11, 10, 9, 8, 6, 4, 3, 2))])
    made = 0
    last_report = time.perf_counter()
    for day, n in zip(days, counts, strict=True):
        if not n:
            continue
        midnight = (day - EPOCH_DAY) * 86400 - gen.clock.offset
        stamps = sorted(midnight + hours() * 3600 + gen.rng.randrange(3600) for _ in range(n))
        stamps = [min(s, gen.now - 120) for s in stamps]
        date = dt.date.fromordinal(day)
        first = base.get(day, 0)
        for k, ts in enumerate(stamps, start=1):
            estate_id = pick_estate()
            gen.ticket(f"GD{date:%Y%m%d}-{first + k:04d}", ts, estate_id, places[estate_id], handlers[estate_id])
        made += n
        if time.perf_counter() - last_report > 15:
            last_report = time.perf_counter()
            stdout.write(f"tickets: {made} of {total} ({time.perf_counter() - started:.0f} s)")
    gen.flush()
    sequences = [DailySequence(day=dt.date.fromordinal(d), last=base.get(d, 0) + n)
                 for d, n in zip(days, counts, strict=True) if n]
    DailySequence.objects.bulk_create(sequences, batch_size=500, update_conflicts=True, update_fields=["last"],
                                      unique_fields=["day"])
    writers = (gen.w_tickets, gen.w_events, gen.w_notes, gen.w_callbacks, gen.w_search)
    stdout.write(f"tickets: {made} tickets over {len(estates)} estates with {gen.w_events.count} timeline steps, "
                 f"{gen.w_notes.count} progress notes, {gen.w_callbacks.count} callbacks and their search entries "
                 f"in {time.perf_counter() - started:.1f} s (inserts: "
                 + ", ".join(f"{w.model.__name__} {w.seconds:.1f} s" for w in writers) + ")")
