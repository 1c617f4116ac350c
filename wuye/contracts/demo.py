"""Demo data of the contracts app (``manage.py load_demo``).

``load()``: the contract register of the demo company, told as it happened and made through ``services`` by the
demo users who would do it — the customer-service manager (cs_manager) drafts, submits, renews and records the
takeovers; top management (executive) reviews, signs and terminates:

- 云栖雅苑 (new-build): the preliminary contract with its developer, the takeover on it; its first owners'
  committee has been formed, so a renewal task is open, and the service contract with the committee is under
  review (returned once with comments, then resubmitted);
- 金桂花园 and 钱塘明珠苑 (existing estates, seed 2.11): the service contract with the owners' committee on which
  each was taken over;
- 运河锦庭 (new-build, added here): the whole renewal chain — preliminary contract, takeover, owners' committee
  formed (the estates service opens the renewal task), service contract signed with the committee, preliminary
  contract superseded, renewal task done;
- 之江悦府 (new-build, added here, status 新建/preparing): a signed preliminary contract in force and no takeover
  yet, so its page offers “record the takeover”;
- outsourcing contracts (cleaning, security, elevator maintenance, greening) whose ends fall within 30, 60 and 90
  days of today and beyond; a renewal signed ahead of its start, a renewal whose review has passed (to sign), an
  expired contract and its renewal, a security contract terminated early and its replacement, a draft.

The historical contracts have fixed dates (those of the estates' story: ``estates.demo.data``); the outsourcing
contracts' dates are counted from the day of the first load, so the expiry alerts have something to show. A
contract is found by its estate and title and a takeover by its estate, so a second run adds and changes nothing.
At the end ``services.refresh()`` runs once (statuses by date, renewal tasks, expiry alerts), as the daily job
would.
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.files.base import ContentFile
from django.utils import timezone

from wuye.core.context import acting_as
from wuye.core.demo import DEMO_USERS, DemoLogin, demo_user, ensure
from wuye.estates import services as estate_services
from wuye.estates.choices import BuildingKind, CustomerKind, EstateKind, EstateStatus
from wuye.estates.models import Building, Customer, Estate, OwnersCommittee
from wuye.org.demo import COMPANY_NAME
from wuye.org.models import Company, Staff

from . import services
from .choices import ContractKind, PartyKind, RenewalState
from .models import Contract, ContractReview, RenewalTask, Takeover

__all__ = ["load"]

D = dt.date
K, P = ContractKind, PartyKind
COMPANY = "杭州澄和物业服务有限公司"

# --- two estates the contracts story adds: one whose renewal chain is complete, one not yet taken over ----------

NEW_ESTATES = [
    {
        "code": "yhjt", "name": "运河锦庭", "kind": EstateKind.NEW_BUILD, "province": "浙江省", "city": "杭州市",
        "district": "拱墅区", "address": "杭州市拱墅区康桥街道康园路128号", "floor_area": "124300.00",
        "site_area": "41800.00", "service_phone": "0571-87651004",
        "notes": "2022年3月交付的新建小区；首届业主委员会2025年6月成立，已与其签订物业服务合同，前期物业服务合同"
                 "随之终止（被替代）。",
        "buildings": [("1", "1号楼", 26, 2), ("2", "2号楼", 26, 2), ("3", "3号楼", 26, 2), ("4", "4号楼", 26, 2)],
    },
    {
        "code": "zjyf", "name": "之江悦府", "kind": EstateKind.NEW_BUILD, "province": "浙江省", "city": "杭州市",
        "district": "西湖区", "address": "杭州市西湖区之江路1888号", "floor_area": "152000.00",
        "site_area": "48600.00", "service_phone": "0571-87651005",
        "notes": "在建新建商品住宅小区，计划近期集中交付；前期物业服务合同已与开发建设单位签订，承接查验进行中，"
                 "尚未正式接管。",
        "buildings": [("1", "1号楼", 22, 2), ("2", "2号楼", 22, 2), ("3", "3号楼", 18, 2)],
    },
]

# the first owners' committee of 运河锦庭, formed while the estate was on its preliminary contract
YHJT_COMMITTEE = {"term_number": 1, "established_on": D(2025, 6, 15), "term_start": D(2025, 6, 15),
                  "term_end": D(2030, 6, 14), "filing_number": "拱康街备〔2025〕7号",
                  "notes": "首届业主委员会；2025年8月经业主大会表决续聘本公司。"}

# --- the contracts ----------------------------------------------------------------------------------------------
# A date is a fixed day, or an int: days from the day of the load. ``party``: a name, or ("committee", term), or
# "developer" (the estate's developer in the customer archive). ``step``: how far the contract goes — "draft",
# "review" (submitted, returned with comments, revised and submitted again: under review), "reviewed" (review
# passed, to sign), "sign" (signed on ``signed``), "terminate" (signed, then terminated on ``ended``).
# ``renews``: the title of the contract it renews or replaces (made through ``services.contract_renew``).


def C(estate, kind, title, party, start, end, amount, *, signed=None, step="sign", owner="KF001", seq,
      renews=None, terms="", notes="", text="", **extra):
    return {"estate": estate, "kind": kind, "title": title, "party": party, "start": start, "end": end,
            "amount": amount, "signed": signed, "step": step, "owner": owner, "seq": seq, "renews": renews,
            "terms": terms, "notes": notes, "text": text, **extra}


CLEAN, GUARD, LIFT, GREEN = "杭州洁美环境服务有限公司", "浙江卫安保安服务有限公司", "杭州恒升电梯工程有限公司", \
    "杭州青禾园林绿化有限公司"
MONTHLY = "按月支付，次月10日前凭服务考核结果和发票结算；考核扣分按合同附件《服务质量考核办法》执行。"

YQYA_P_TEXT = ("前期物业服务合同\n甲方（建设单位）：杭州云栖置业有限公司\n乙方（物业服务人）：" + COMPANY + "\n"
               "第一条 物业基本情况：云栖雅苑，坐落于杭州市西湖区转塘街道云栖路88号，总建筑面积186500平方米。\n"
               "第二条 服务内容：共用部位、共用设施设备的维修养护，公共区域秩序维护、保洁、绿化养护，客户服务。\n"
               "第三条 服务期限：自2025年5月1日起，至业主委员会代表全体业主与物业服务人签订的物业服务合同生效之日止，"
               "最长至2028年4月30日。\n第四条 物业服务费：住宅每月每平方米2.30元；已竣工未出售的房屋由甲方按70%缴纳。\n"
               "第五条 承接查验：乙方于交付前与甲方共同查验共用部位和共用设施设备，并签署承接查验记录。")
JGHY_TEXT = ("物业服务合同\n甲方：金桂花园业主委员会（代表全体业主）\n乙方：" + COMPANY + "\n"
             "第一条 经2019年1月业主大会表决，甲方选聘乙方为金桂花园提供物业服务。\n"
             "第二条 服务期限：2019年3月1日至2029年2月28日；物业服务费每三年经业主大会表决调整一次。\n"
             "第三条 物业服务费：住宅每月每平方米1.20元，沿街商铺每月每平方米3.00元。")

MANAGEMENT = [
    C("yqya", K.PRELIMINARY, "云栖雅苑前期物业服务合同", "developer", D(2025, 5, 1), D(2028, 4, 30),
      "15442200.00", signed=D(2025, 4, 18), seq=(2025, 6), text=YQYA_P_TEXT,
      terms="物业服务费住宅每月每平方米2.30元，按季度预收；已竣工未出售房屋由建设单位按70%缴纳。",
      notes="前期物业服务合同：服务期限至业主委员会与物业服务人签订的物业服务合同生效时止，最长三年。"),
    C("jghy", K.SERVICE, "金桂花园物业服务合同", ("committee", 2), D(2019, 3, 1), D(2029, 2, 28),
      "8438400.00", signed=D(2019, 2, 22), seq=(2019, 3), text=JGHY_TEXT,
      terms="住宅每月每平方米1.20元，沿街商铺每月每平方米3.00元；按季度收取。",
      notes="2019年1月业主大会表决选聘；服务期限十年，物业服务费每三年经业主大会表决调整一次。"),
    C("qtmzy", K.SERVICE, "钱塘明珠苑物业服务合同", ("committee", 1), D(2021, 7, 1), D(2028, 6, 30),
      "17075520.00", signed=D(2021, 6, 18), seq=(2021, 11),
      terms="住宅每月每平方米2.10元，按季度收取；公共收益的60%归全体业主，每半年公布一次。",
      notes="首届业主委员会经业主大会表决选聘本公司；原物业服务企业于2021年6月30日退出。"),
    C("yhjt", K.PRELIMINARY, "运河锦庭前期物业服务合同", "杭州运河锦庭置业有限公司", D(2022, 3, 1),
      D(2028, 2, 29), "21479040.00", signed=D(2022, 2, 15), seq=(2022, 4),
      terms="物业服务费住宅每月每平方米2.40元，按季度预收。",
      notes="服务期限至业主委员会与物业服务人签订的物业服务合同生效时止。"),
    C("zjyf", K.PRELIMINARY, "之江悦府前期物业服务合同", "杭州之江悦府房地产开发有限公司", -28, 1067,
      "15321600.00", signed=-41, seq=None,
      terms="物业服务费住宅每月每平方米2.80元；交付前的前期介入和承接查验费用由建设单位承担。",
      notes="交付前签订；承接查验完成、办理交接后正式接管。"),
]

# 运河锦庭's service contract, signed once its committee has been formed (renews the preliminary contract)
YHJT_SERVICE = C("yhjt", K.SERVICE, "运河锦庭物业服务合同", ("committee", 1), D(2025, 9, 1), D(2028, 8, 31),
                 "10739520.00", signed=D(2025, 8, 22), seq=(2025, 14), renews="运河锦庭前期物业服务合同",
                 terms="住宅每月每平方米2.40元，按季度收取。",
                 notes="首届业主委员会成立后续签；自生效之日起前期物业服务合同终止。")

# 云栖雅苑's service contract with its first committee: under review (returned once: the fee needs the vote)
YQYA_SERVICE = C("yqya", K.SERVICE, "云栖雅苑物业服务合同", ("committee", 1), D(2027, 1, 1), D(2029, 12, 31),
                 "17456400.00", step="review", seq=None, renews="云栖雅苑前期物业服务合同",
                 terms="住宅每月每平方米2.60元，按季度收取。",
                 revised={"amount": "16785000.00",
                          "payment_terms": "住宅每月每平方米2.50元（2026年11月业主大会表决通过），按季度收取。"},
                 returned="物业服务费由2.30元上调须附业主大会表决结果；违约责任条款缺少业主委员会一方的责任。"
                          "补充后再提交。")

OUTSOURCING = [
    # 云栖雅苑
    C("yqya", K.CLEANING, "云栖雅苑保洁服务外包合同", CLEAN, -340, 24, "386400.00", signed=-347, owner="KF002",
      seq=None, terms=MONTHLY, notes="楼内公共区域每日清扫两次，地下车库每周冲洗一次。"),
    C("yqya", K.SECURITY, "云栖雅苑秩序维护服务外包合同", GUARD, -300, 429, "2304000.00", signed=-310, seq=None,
      terms=MONTHLY, notes="门岗3个，24小时值守；巡逻岗2个。"),
    C("yqya", K.ELEVATOR, "云栖雅苑电梯维护保养合同", LIFT, -200, 164, "172800.00", signed=-206, owner="KF002",
      seq=None, terms="按季度支付；困人故障5分钟内响应，30分钟内到场。", notes="客梯12台，每半月保养一次。"),
    C("yqya", K.GREENING, "云栖雅苑绿化养护合同", GREEN, -310, 54, "268000.00", signed=-318, owner="KF002",
      seq=None, terms=MONTHLY, notes="绿地约18000平方米，含苗木补植。"),
    # 金桂花园 (six-storey buildings: no elevators)
    C("jghy", K.CLEANING, "金桂花园保洁服务外包合同", CLEAN, -280, 84, "216000.00", signed=-288, owner="KF002",
      seq=None, terms=MONTHLY),
    C("jghy", K.CLEANING, "金桂花园保洁服务外包合同（续签）", CLEAN, 85, 449, "228000.00", signed=-6,
      owner="KF002", seq=None, renews="金桂花园保洁服务外包合同", terms=MONTHLY,
      notes="续签一年，单价上调5.6%（人工成本上涨）。"),
    C("jghy", K.SECURITY, "金桂花园秩序维护服务外包合同", GUARD, -500, 229, "1296000.00", signed=-506,
      step="terminate", ended=-45, seq=None, terms=MONTHLY,
      reason="夜间巡逻多次未按规定执行，经两次书面整改仍不合格，依合同第十二条提前解除。"),
    C("jghy", K.SECURITY, "金桂花园秩序维护服务外包合同（更换服务单位）", "杭州金盾保安服务有限公司", -44, 686,
      "1392000.00", signed=-52, seq=None, renews="金桂花园秩序维护服务外包合同", terms=MONTHLY,
      notes="原服务单位考核不合格解约后重新选聘。"),
    C("jghy", K.GREENING, "金桂花园绿化养护合同", GREEN, -600, 129, "156000.00", signed=-608, owner="KF002",
      seq=None, terms=MONTHLY),
    # 钱塘明珠苑
    C("qtmzy", K.ELEVATOR, "钱塘明珠苑电梯维护保养合同", LIFT, -600, -236, "105600.00", signed=-607, owner="KF002",
      seq=None, terms="按季度支付。", notes="客梯8台。"),
    C("qtmzy", K.ELEVATOR, "钱塘明珠苑电梯维护保养合同（续签）", LIFT, -235, 129, "110400.00", signed=-243,
      owner="KF002", seq=None, renews="钱塘明珠苑电梯维护保养合同", terms="按季度支付。"),
    C("qtmzy", K.SECURITY, "钱塘明珠苑秩序维护服务外包合同", GUARD, -295, 69, "864000.00", signed=-301, seq=None,
      terms=MONTHLY),
    C("qtmzy", K.GREENING, "钱塘明珠苑绿化养护合同", GREEN, -353, 11, "198000.00", signed=-360, owner="KF002",
      seq=None, terms=MONTHLY),
    C("qtmzy", K.GREENING, "钱塘明珠苑绿化养护合同（续签）", GREEN, 12, 376, "205000.00", step="reviewed",
      owner="KF002", seq=None, renews="钱塘明珠苑绿化养护合同", terms=MONTHLY,
      notes="审核已通过，待双方盖章签订。"),
    C("qtmzy", K.CLEANING, "钱塘明珠苑保洁服务外包合同", "杭州净源物业清洁有限公司", -100, 264, "312000.00",
      signed=-108, owner="KF002", seq=None, terms=MONTHLY),
    # 运河锦庭
    C("yhjt", K.CLEANING, "运河锦庭保洁服务外包合同", "杭州净源物业清洁有限公司", -150, 214, "298000.00",
      signed=-156, owner="KF002", seq=None, terms=MONTHLY),
    C("yhjt", K.ELEVATOR, "运河锦庭电梯维护保养合同", LIFT, -400, 329, "441600.00", signed=-405, owner="KF002",
      seq=None, terms="按季度支付。", notes="客梯16台，两年期。"),
    # 之江悦府: drafted for the handover, not yet submitted
    C("zjyf", K.CLEANING, "之江悦府开荒保洁及交付期保洁合同", CLEAN, 10, 190, "85000.00", step="draft",
      owner="KF002", seq=None, terms="开荒保洁验收合格后支付60%，交付期结束后支付40%。"),
]

TAKEOVER_NOTES = {
    "yqya": "与建设单位完成共用部位、共用设施设备承接查验，签署承接查验记录，办理物业交接。",
    "jghy": "与原物业服务企业和业主委员会三方交接：图纸资料、设备台账、钥匙及公共收益账目。",
    "qtmzy": "原物业服务企业退出后办理交接；交接清单经业主委员会签字确认。",
    "yhjt": "交付前完成承接查验，遗留问题清单已交建设单位限期整改。",
}


def _when(value, today: dt.date) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return today + dt.timedelta(days=value)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class _Loader:
    def __init__(self, today, manager, executive):
        self.today, self.manager, self.executive = today, manager, executive
        self.staff = {s.employee_no: s for s in Staff.objects.filter(employee_no__in=("KF001", "KF002"))}
        self.estates = {e.code: e for e in Estate.objects.filter(code__in=("yqya", "jghy", "qtmzy", "yhjt", "zjyf"))}
        self.made = 0

    def find(self, estate_code: str, title: str) -> Contract | None:
        return Contract.objects.filter(estate=self.estates[estate_code], title=title).first()

    def _number(self, spec, signed: dt.date | None) -> str:
        """The register's number: a fixed one for the historical contracts, else the next free number of the year
        the contract was signed (or drafted)."""
        if spec["seq"] is not None:
            year, n = spec["seq"]
            number = f"HT-{year}-{n:04d}"
            if not Contract.objects.filter(number=number).exists():
                return number
        return services.next_number(signed or self.today)

    def contract(self, spec) -> Contract:
        """The contract of ``spec``, made and taken as far as its step when it does not exist yet."""
        found = self.find(spec["estate"], spec["title"])
        if found is not None:
            return found
        estate = self.estates[spec["estate"]]
        start, end = _when(spec["start"], self.today), _when(spec["end"], self.today)
        signed = _when(spec["signed"], self.today)
        fields = {"title": spec["title"], "kind": spec["kind"], "valid_from": start, "valid_to": end,
                  "amount": spec["amount"], "payment_terms": spec["terms"], "notes": spec["notes"],
                  "owner": self.staff.get(spec["owner"]), "number": self._number(spec, signed)}
        party = spec["party"]
        if party == "developer":
            developer = Customer.objects.filter(estate=estate, kind=CustomerKind.DEVELOPER).order_by("pk").first()
            fields.update(party_kind=P.DEVELOPER, party_customer=developer,
                          party_name=developer.name if developer else "开发建设单位")
        elif isinstance(party, tuple):
            committee = OwnersCommittee.objects.get(estate=estate, term_number=party[1])
            fields.update(party_kind=P.COMMITTEE, party_committee=committee,
                          party_name=f"{estate.name}第{party[1]}届业主委员会")
        else:
            fields.update(party_kind=P.DEVELOPER if spec["kind"] == K.PRELIMINARY else P.SUPPLIER, party_name=party)
        if spec["renews"]:
            contract = services.contract_renew(actor=self.manager, contract=self.find(spec["estate"], spec["renews"]),
                                               **fields)
        else:
            contract = services.contract_create(actor=self.manager, estate=estate, **fields)
        self.made += 1
        if spec["text"]:
            upload = ContentFile(spec["text"].encode("utf-8"), name=f"{contract.number}.txt")
            services.contract_add_file(actor=self.manager, contract=contract, upload=upload)
        step = spec["step"]
        if step == "draft":
            return contract
        if step == "review":
            self._review(contract, spec)
            return contract
        submitted = (signed or self.today) - dt.timedelta(days=12)
        self._pass(contract, submitted)
        if step == "reviewed":
            return contract
        services.contract_sign(actor=self.executive, contract=contract, signed_on=signed)
        if step == "terminate":
            services.contract_terminate(actor=self.executive, contract=contract,
                                        ended_on=_when(spec["ended"], self.today), reason=spec["reason"])
        contract.refresh_from_db()
        return contract

    def _pass(self, contract, submitted: dt.date) -> None:
        review = services.contract_submit_review(actor=self.manager, contract=contract)
        services.contract_pass_review(actor=self.executive, contract=contract,
                                      checks={check.pk: True for check in review.checks.all()},
                                      comments="各项审核要点均符合要求，同意签订。")
        # the review happened before the signing, not on the day of the demo load
        ContractReview.objects.filter(pk=review.pk).update(
            submitted_at=_at(submitted, 9, 30), decided_at=_at(submitted + dt.timedelta(days=3), 15, 0))

    def _review(self, contract, spec) -> None:
        """Submitted, returned with comments (the points that failed marked), revised, submitted again."""
        first = services.contract_submit_review(actor=self.manager, contract=contract)
        checks = list(first.checks.all())
        answers = {c.pk: True for c in checks}
        for check in checks:  # the default points (migration 0002): content, and the company's interest
            if check.text.startswith("合同内容"):
                answers[check.pk] = {"passed": False, "note": "缺少业主大会对物业服务费调整的表决结果。"}
            elif check.text.startswith("符合公司利益"):
                answers[check.pk] = {"passed": False, "note": "违约责任不对等。"}
        services.contract_return_review(actor=self.executive, contract=contract, comments=spec["returned"],
                                        checks=answers)
        services.contract_update(actor=self.manager, contract=contract, **spec["revised"])
        second = services.contract_submit_review(actor=self.manager, contract=contract)
        ContractReview.objects.filter(pk=first.pk).update(
            submitted_at=_at(self.today - dt.timedelta(days=21), 10, 0),
            decided_at=_at(self.today - dt.timedelta(days=17), 16, 30))
        ContractReview.objects.filter(pk=second.pk).update(submitted_at=_at(self.today - dt.timedelta(days=3), 9, 0))

    def takeover(self, code: str, contract: Contract) -> bool:
        """The estate's takeover on ``contract``, on the day the estate has been managed since (or the contract's
        first day). The demo estates were loaded as managed before the contracts app: their takeover is recorded
        afterwards, through the service and on its rule (the contract signed and in force that day)."""
        estate = self.estates[code]
        if Takeover.objects.filter(estate=estate).exists():
            return False
        on = estate.managed_since or contract.valid_from
        basis, _rule = services.takeover_basis(estate, on=on)
        if basis is None or basis.pk != contract.pk:  # the fixed story no longer fits today's date
            return False
        services.takeover_record(actor=self.manager, estate=estate, taken_over_on=on, contract=contract,
                                 notes=TAKEOVER_NOTES[code])
        self.estates[code] = Estate.objects.get(pk=estate.pk)
        return True


def _estates(admin) -> None:
    """运河锦庭 and 之江悦府: made as 新建 (preparing); only the takeover service makes an estate managed."""
    company = Company.objects.get(name=COMPANY_NAME)
    with acting_as(admin):
        for spec in NEW_ESTATES:
            static = {k: v for k, v in spec.items() if k not in ("code", "buildings")}
            estate = Estate.objects.filter(code=spec["code"]).first()
            if estate is None:
                estate, _ = ensure(Estate, {"code": spec["code"]}, {"company": company, **static,
                                                                    "status": EstateStatus.PREPARING})
            else:
                ensure(Estate, {"pk": estate.pk}, {"company": company, **static})
            for number, name, floors, entrances in spec["buildings"]:
                ensure(Building, {"estate": estate, "number": number}, {
                    "name": name, "kind": BuildingKind.HIGH_RISE, "floors": floors, "entrances": entrances,
                    "completed_year": 2022 if spec["code"] == "yhjt" else None})


def _renewal_dates(task: RenewalTask | None, opened: dt.date, closed: dt.date | None = None) -> None:
    """A renewal task opened (and closed) on the story's days rather than the day of the load."""
    if task is None:
        return
    changes = {"opened_on": opened}
    if closed is not None and task.closed_on is not None:
        changes["closed_on"] = closed
    RenewalTask.objects.filter(pk=task.pk).update(**changes)


def load(*, stdout, style):
    started = time.perf_counter()
    try:
        admin, manager, executive = (demo_user(n) for n in ("admin", "cs_manager", "executive"))
    except Exception:  # noqa: BLE001 - the demo users come from core.demo, which runs first
        stdout.write("contracts: the demo users are missing; no demo contracts")
        return []
    if Estate.objects.filter(code__in=("yqya", "jghy", "qtmzy")).count() != 3:
        stdout.write("contracts: the demo estates are missing; no demo contracts")
        return []
    today = timezone.localdate()
    _estates(admin)
    loader = _Loader(today, manager, executive)
    takeovers = 0

    # the property-management contract chains (seed 2.10, 2.11) and the takeovers they allow
    chains = {spec["estate"]: loader.contract(spec) for spec in MANAGEMENT}
    for code in ("yqya", "jghy", "qtmzy", "yhjt"):
        takeovers += loader.takeover(code, chains[code])

    # 云栖雅苑: its first committee was recorded before the contracts app knew the estate's preliminary contract;
    # the renewal task is opened now, on the committee's day, and the service contract is under review
    yqya = loader.estates["yqya"]
    committee = OwnersCommittee.objects.filter(estate=yqya, status="active").first()
    if committee is not None and not RenewalTask.objects.filter(estate=yqya).exists():
        _renewal_dates(services.renewal_open(committee=committee, actor=manager), committee.established_on)
    loader.contract(YQYA_SERVICE)

    # 运河锦庭: the committee is formed (the estates service opens the renewal task), the service contract with it
    # is signed and takes effect: the preliminary contract is superseded, the task done
    yhjt = loader.estates["yhjt"]
    task = None
    if not OwnersCommittee.objects.filter(estate=yhjt, term_number=YHJT_COMMITTEE["term_number"]).exists():
        estate_services.committee_create(actor=manager, estate=yhjt, **YHJT_COMMITTEE)
        task = RenewalTask.objects.filter(estate=yhjt).order_by("-pk").first()
    loader.contract(YHJT_SERVICE)
    if task is not None:
        task.refresh_from_db()
        _renewal_dates(task, YHJT_COMMITTEE["established_on"], YHJT_SERVICE["start"])

    for spec in OUTSOURCING:
        loader.contract(spec)

    counts = services.refresh(today=today, email=False)  # the demo's alerts stay in-app (no mail printed)
    stdout.write(f"contracts: {Contract.objects.count()} contracts ({loader.made} made now), {takeovers} takeovers "
                 f"recorded now, {RenewalTask.objects.filter(state=RenewalState.OPEN).count()} open renewal tasks, "
                 f"{counts['alerts']} expiry alerts sent in {time.perf_counter() - started:.1f} s")
    executive_sees = next(sees for name, _role, _n, sees in DEMO_USERS if name == "executive")
    return [DemoLogin("executive", sees=f"{executive_sees}；合同审核（一份待审：云栖雅苑物业服务合同）、签订和解除")]
