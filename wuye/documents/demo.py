"""Demo data and the bulk generator of the documents app.

``load()`` (``manage.py load_demo``): the document controller's register — storage locations, the quality
manual and procedures (the elevator maintenance procedure issued twice: A/0 superseded by A/1), a work
instruction, an obsolete procedure, a confidential property-management contract in the controller's custody,
customer, engineering and property archives of the first demo estate (one archive deliberately incomplete),
the regulations register, and loans in several states. Everything goes through ``services`` as the demo user
who would do it; a document is found by its title, so a second run adds nothing.

``generate()`` / ``add_arguments()`` (``manage.py generate_data --documents N``): ``N`` documents over the
classification tree, each with an issued (or withdrawn, or draft) revision and a stored text file of 800 to
3,000 characters (its extracted text), their search entries, locations and custodians.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import time
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from wuye.core import search
from wuye.core.demo import DemoLogin, demo_user
from wuye.core.management.bulk import insert_rows
from wuye.core.models import SearchEntry

from . import services
from .choices import Confidentiality, DocumentStatus, LoanMedium, RegulationLevel, RegulationStatus, RevisionState
from .files import TEXT_LIMIT as TEXT_KEPT
from .models import Document, DocumentCategory, Location, Regulation, Revision, RevisionFile
from .search_index import TEXT_LIMIT

__all__ = ["add_arguments", "generate", "load"]

ELEVATOR_A0 = ("电梯维保管理程序\n1 目的：确保小区电梯安全运行。\n2 范围：适用于各管理项目的客梯和货梯。\n"
               "3 职责：工程部负责监督维保单位；客服中心接报电梯故障并派单。\n4 程序：维保单位每半月保养一次电梯。")
ELEVATOR_A1 = ELEVATOR_A0.replace("每半月保养一次电梯。", "每半月保养一次电梯，每年委托特种设备检验机构年检；"
                                                       "困人故障五分钟内响应，三十分钟内到场。")

LOCATIONS = [("档案室", "A柜", "1层", "质量体系"), ("档案室", "A柜", "2层", "程序文件"),
             ("档案室", "B柜", "1层", "合同"), ("档案室", "C柜", "1层", "客户档案"),
             ("工程部资料室", "1号柜", "", "竣工图纸")]

# (category path, title, confidentiality or None, location index, text, steps) — steps: issue, reissue, obsolete
DOCUMENTS = [
    ("质量手册", "质量手册（第二版）", None, 0, "质量手册\n质量方针：规范服务，业主满意，持续改进。", "issue"),
    ("程序文件", "电梯维保管理程序", None, 1, ELEVATOR_A0, "reissue"),
    ("程序文件", "客户投诉处理程序", None, 1, "客户投诉处理程序\n投诉受理后二十四小时内联系业主，七日内办结并回访。",
     "issue"),
    ("程序文件", "文件控制程序", None, 1, "文件控制程序\n文件编号、发放、更改、作废和保管的要求。", "issue"),
    ("程序文件", "业主报修处理程序（旧版）", None, 1, "业主报修处理程序\n本程序已由客户服务中心工作手册替代。",
     "obsolete"),
    ("作业指导书", "客服中心来电登记作业指导书", None, 1, "来电登记\n接听电话三声内应答，问候语统一。", "issue"),
    ("合同", "丽景园前期物业服务合同", Confidentiality.CONFIDENTIAL, 2,
     "前期物业服务合同\n甲方：开发建设单位；乙方：物业服务企业。服务期限三年，物业费每月每平方米二元。", "issue"),
    ("外来文件", "电梯使用管理与维护保养规则", Confidentiality.PUBLIC, 1,
     "电梯使用管理与维护保养规则（市场监管总局）\n维护保养单位每十五日对电梯进行一次清洁、润滑、调整和检查。", "issue"),
]

REGULATIONS = [
    ("物业管理条例", "国务院令第698号", "国务院", RegulationLevel.NATIONAL, dt.date(2018, 3, 19),
     RegulationStatus.IN_FORCE),
    ("中华人民共和国民法典（物业服务合同编）", "主席令第45号", "全国人民代表大会", RegulationLevel.NATIONAL,
     dt.date(2021, 1, 1), RegulationStatus.IN_FORCE),
    ("特种设备安全监督检查办法", "总局令第57号", "国家市场监督管理总局", RegulationLevel.INDUSTRY, dt.date(2022, 7, 1),
     RegulationStatus.IN_FORCE),
    ("物业服务收费管理办法", "发改价格〔2003〕1864号", "国家发展改革委、建设部", RegulationLevel.NATIONAL,
     dt.date(2004, 1, 1), RegulationStatus.AMENDED),
    ("前期物业管理招标投标管理暂行办法", "建住房〔2003〕130号", "建设部", RegulationLevel.NATIONAL,
     dt.date(2003, 9, 1), RegulationStatus.REPEALED),
]


def _file(text: str, name: str) -> ContentFile:
    upload = ContentFile(text.encode("utf-8"), name=name)
    return upload


def load(*, stdout, style):
    started = time.perf_counter()
    try:
        controller, manager, agent = (demo_user(n) for n in ("document_controller", "cs_manager", "agent"))
    except Exception:  # noqa: BLE001 - the demo users come from core.demo, which runs first
        stdout.write("documents: the demo users are missing; no demo documents")
        return []
    from wuye.estates.models import Estate

    custodian = getattr(controller, "staff", None)
    locations = [Location.objects.get_or_create(room=r, cabinet=c, shelf=s, box=b)[0] for r, c, s, b in LOCATIONS]
    made = 0
    for path, title, level, where, text, steps in DOCUMENTS:
        if Document.objects.filter(title=title).exists():
            continue
        category = DocumentCategory.objects.get(path=path)
        fields = {"custodian": custodian, "location": locations[where]}
        if level:
            fields["confidentiality"] = level
        document = services.document_create(actor=controller, category=category, title=title, **fields)
        _issue(document, text, manager, controller)
        if steps == "reissue":
            _issue(document, ELEVATOR_A1, manager, controller, change="年检和困人响应时限写入程序")
        if steps == "obsolete":
            services.document_obsolete(actor=controller, document=document, reason="已由新版程序替代")
        made += 1
    estate = Estate.objects.order_by("pk").first()
    if estate is not None:
        made += _archives(estate, controller, manager, custodian, locations)
    for title, number, authority, level, effective, status in REGULATIONS:
        Regulation.objects.get_or_create(title=title, defaults={
            "number": number, "authority": authority, "level": level, "effective_on": effective, "status": status,
            "last_reviewed_on": timezone.localdate() - dt.timedelta(days=400 if status == "in_force" else 30)})
    _loans(controller, agent, manager)
    stdout.write(f"documents: {Document.objects.count()} documents ({made} made now), "
                 f"{Regulation.objects.count()} regulations in {time.perf_counter() - started:.1f} s")
    return [DemoLogin("document_controller", sees="文件登记、借阅审批、交接、法律法规、作废文件（可查看机密文件）"),
            DemoLogin("agent", sees="文件：可查阅公开和内部文件，机密合同需借阅（文件编号申请）")]


def _issue(document, text, author, approver, change="首次发布"):
    if document.is_restricted:  # only the controller (and the administrator) may work on it
        author, approver = demo_user("document_controller"), demo_user("admin")
    revision = services.revision_create(actor=author, document=document, change_description=change,
                                        files=[_file(text, f"{document.code}.txt")])
    services.revision_submit(actor=author, revision=revision)
    services.revision_approve(actor=approver, revision=revision)
    return services.revision_issue(actor=approver, revision=revision)


def _archives(estate, controller, manager, custodian, locations) -> int:
    from wuye.estates.models import Building, Customer

    made = 0
    customer = Customer.objects.filter(estate=estate).order_by("pk").first()
    building = Building.objects.filter(estate=estate).order_by("pk").first()
    specs = [("物业档案/承接查验资料", f"{estate.name}承接查验记录", {}),
             ("物业档案/管理规约", f"{estate.name}管理规约", {})]
    if building is not None:
        specs += [("工程档案/竣工图纸", f"{estate.name}{building.number}号楼竣工图纸", {"building": building}),
                  ("工程档案/设备资料", f"{estate.name}{building.number}号楼电梯设备资料", {"building": building})]
    if customer is not None:  # the customer archive misses 收楼资料: the page shows it as missing
        specs += [("客户档案/入伙资料", f"{customer.name}入伙资料", {"customer": customer}),
                  ("客户档案/身份证明", f"{customer.name}身份证明复印件", {"customer": customer})]
    for path, title, links in specs:
        if Document.objects.filter(title=title).exists():
            continue
        document = services.document_create(actor=controller, category=DocumentCategory.objects.get(path=path),
                                            title=title, estate=estate, custodian=custodian,
                                            location=locations[3 if path.startswith("客户") else 4], **links)
        _issue(document, f"{title}\n归档于{estate.name}档案。", manager, controller)
        made += 1
    return made


def _loans(controller, agent, manager) -> None:
    from .models import Loan

    if Loan.objects.exists():
        return
    now = timezone.now()
    contract = Document.objects.filter(category__path="合同").order_by("pk").first()
    procedure = Document.objects.filter(title="客户投诉处理程序").first()
    if contract is not None:  # the agent's request waits for the controller
        services.loan_request(actor=agent, document=contract, purpose="核对物业费条款，答复业主咨询",
                              medium=LoanMedium.ELECTRONIC, starts_at=now, ends_at=now + dt.timedelta(days=2))
    if procedure is not None:  # a paper copy out with the manager, overdue
        loan = services.loan_request(actor=manager, document=procedure, purpose="部门培训",
                                     medium=LoanMedium.PAPER, starts_at=now, ends_at=now + dt.timedelta(hours=1))
        services.loan_approve(actor=controller, loan=loan)
        services.loan_lend(actor=controller, loan=loan)
        Loan.objects.filter(pk=loan.pk).update(starts_at=now - dt.timedelta(days=10),
                                               ends_at=now - dt.timedelta(days=3))


# --- the bulk generator ---------------------------------------------------------------------------------------


def add_arguments(parser) -> None:
    group = parser.add_argument_group("documents")
    group.add_argument("--documents", type=int, default=0,
                       help="documents to generate, each with a revision and a stored text file (default 0)")


SUBJECTS = ["电梯", "消防", "供水", "供电", "绿化", "保洁", "停车场", "门禁", "监控", "装修", "收费", "投诉",
            "报修", "巡查", "交接班", "钥匙", "档案", "会议", "培训", "应急", "防汛", "空调", "燃气", "外墙", "屋面",
            "化粪池", "二次供水", "垃圾分类", "车辆", "快递"]
KINDS = ["管理程序", "作业指导书", "检查记录", "操作规程", "应急预案", "服务标准", "考核办法", "工作记录"]
SENTENCES = [
    "本程序规定了{s}工作的职责、内容和要求，适用于公司所属各管理项目。",
    "客户服务中心接到业主关于{s}的报事后，应在十五分钟内登记并派单。",
    "工程部负责{s}设施设备的日常巡检，每周不少于两次，发现问题及时处理。",
    "{s}检查记录由责任人签字确认后交文控员归档，保存期限三年。",
    "发生{s}突发事件时，值班人员立即报告项目经理，并按应急预案处置。",
    "每月对{s}服务质量进行抽查，结果纳入部门绩效考核。",
    "外包单位承担{s}作业的，应签订合同并明确安全责任和质量标准。",
    "业主对{s}处理结果不满意的，客服专员应在二十四小时内回访并上报主管。",
    "{s}相关文件的编制、审核、批准和发放按文件控制程序执行。",
    "各岗位员工应熟悉{s}操作要求，新员工上岗前须经培训考核合格。",
]


def _text(rng: random.Random, subject: str, title: str) -> str:
    """800 to 3,000 characters of procedure-like text about ``subject`` (two to six pages' worth of lines)."""
    size = rng.randint(800, 3000)
    parts, n, length = [title], 1, len(title)
    while length < size:
        line = f"{n}. " + rng.choice(SENTENCES).format(s=rng.choice((subject, subject, rng.choice(SUBJECTS))))
        parts.append(line)
        length += len(line) + 1
        n += 1
    return "\n".join(parts)


def generate(*, options, stdout) -> None:
    total = options.get("documents") or 0
    if total <= 0:
        return
    started = time.perf_counter()
    rng = random.Random(f"documents-{options['seed']}")
    from wuye.estates.models import Estate
    from wuye.org.models import Staff

    categories = list(DocumentCategory.objects.filter(children__isnull=True).order_by("pk"))
    estates = list(Estate.objects.order_by("pk").values_list("pk", flat=True)[:50])
    custodians = list(Staff.objects.order_by("pk").values_list("pk", flat=True)[:200]) or [None]
    for room in range(1, 11):
        for cabinet in range(1, 11):
            Location.objects.get_or_create(room=f"档案室{room}", cabinet=f"{cabinet}号柜", shelf="", box="")
    locations = list(Location.objects.values_list("pk", flat=True))
    ct = ContentType.objects.get_for_model(Document).pk
    batch = max(1000, options["batch_size"])
    seq = (Document.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    made = files_bytes = 0
    stamp = timezone.now()
    # the folder itself when files are stored in one (200,000 files); an S3 storage has a `location` too (its
    # prefix in the bucket), which is no folder
    storage_root = default_storage.location if isinstance(default_storage, FileSystemStorage) else None
    token_cache: dict[str, str] = {}

    def tokens(text: str) -> str:
        found = token_cache.get(text)
        if found is None:
            found = " ".join(search.tokenize(text))
            if len(token_cache) < 100_000:
                token_cache[text] = found
        return found

    while made < total:
        n = min(batch, total - made)
        docs, extra = [], []
        for i in range(n):
            category = rng.choice(categories)
            subject = rng.choice(SUBJECTS)
            title = f"{subject}{rng.choice(KINDS)}"
            roll = rng.random()
            status = DocumentStatus.CURRENT if roll < 0.85 else (
                DocumentStatus.OBSOLETE if roll < 0.95 else DocumentStatus.DRAFT)
            level = rng.choices(Confidentiality.values, weights=(10, 80, 6, 4))[0]
            estate = rng.choice(estates) if estates and category.archive_type and rng.random() < 0.9 else None
            code = f"G-{category.prefix}-{seq + made + i:07d}"
            docs.append((code, title, category.pk, rng.choice(custodians), level, status, rng.choice(locations),
                         estate, f"{subject} {category.name}", stamp if status == DocumentStatus.OBSOLETE else None))
            extra.append((subject, category, _text(rng, subject, title)))
        insert_rows(Document, ["code", "title", "category", "custodian", "confidentiality", "status", "location",
                               "estate", "keywords", "obsoleted_at"], docs)
        ids = list(Document.objects.filter(code__in=[d[0] for d in docs]).order_by("pk").values_list("pk", "code"))
        by_code = {code: pk for pk, code in ids}
        revisions, files, entries = [], [], []
        for code, *_middle, status, _loc, _estate, _keywords, _obs in docs:
            state = {DocumentStatus.CURRENT: RevisionState.ISSUED, DocumentStatus.OBSOLETE: RevisionState.OBSOLETE,
                     DocumentStatus.DRAFT: RevisionState.DRAFT}[status]
            issued = stamp if state != RevisionState.DRAFT else None
            revisions.append((by_code[code], "A/0", state, "首次发布", issued, issued, issued))
        insert_rows(Revision, ["document", "mark", "state", "change_description", "approved_at", "issued_at",
                               "submitted_at"], revisions)
        rev_ids = dict(Revision.objects.filter(document_id__in=by_code.values()).values_list("document_id", "pk"))
        for (code, title, _cat, _cus, _lvl, status, _loc, estate, keywords, _obs), (_subject, category, text) in zip(
                docs, extra, strict=True):
            data = text.encode("utf-8")
            name = f"documents/gen/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"
            _write(storage_root, name, data)
            files_bytes += len(data)
            files.append((rev_ids[by_code[code]], name, f"{code}.txt", "text/plain", len(data),
                          hashlib.sha256(data).hexdigest(), text[:TEXT_KEPT]))
            body = [tokens(title), code.lower().replace("-", " "), tokens(category.path.replace("/", " ")),
                    tokens(keywords)]
            if status != DocumentStatus.DRAFT:
                body.append(" ".join(tokens(line) for line in text[:TEXT_LIMIT].split("\n")))
            body.append(" ".join(search._unigrams(title)))
            entries.append((ct, by_code[code], estate, title, code,
                            " ".join(b for b in body if b) + " " + search.scope_tokens(ct, estate), stamp))
        _link_current(min(by_code.values()), max(by_code.values()))
        insert_rows(RevisionFile, ["revision", "file", "name", "content_type", "size", "sha256", "text"], files)
        insert_rows(SearchEntry, ["content_type", "object_id", "estate_id", "title", "subtitle", "tokens",
                                  "updated_at"], entries)
        made += n
        stdout.write(f"documents: {made} of {total} ({time.perf_counter() - started:.0f} s)")
    stdout.write(f"documents: {made} documents with their revisions, files ({files_bytes / 1e6:.0f} MB) and "
                 f"search entries in {time.perf_counter() - started:.1f} s")


def _link_current(first: int, last: int) -> None:
    """The batch's documents point at their (only) revision when it is issued or withdrawn. One UPDATE per batch,
    joined on the revision's document (PostgreSQL: UPDATE … FROM, a hash join; a correlated subquery there scans
    the new, not yet analysed revisions table once per document)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE documents_document d SET current_revision_id = r.id FROM documents_revision r "
                "WHERE r.document_id = d.id AND r.state IN ('issued', 'obsolete') AND d.id BETWEEN %s AND %s",
                [first, last])
        else:
            cursor.execute(
                "UPDATE documents_document SET current_revision_id = (SELECT r.id FROM documents_revision r "
                "WHERE r.document_id = documents_document.id AND r.state IN ('issued', 'obsolete')) "
                "WHERE id BETWEEN %s AND %s", [first, last])


def _write(root, name: str, data: bytes) -> None:
    """Straight to the folder when storage is the local file system (200,000 files); else through the storage."""
    if root is not None:
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    else:  # S3-compatible storage (DJANGO_STORAGE=s3)
        default_storage.save(name, ContentFile(data))
