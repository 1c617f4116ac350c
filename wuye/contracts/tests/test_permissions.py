"""Permission matrix of the contracts app: every page and endpoint as every role, and out of scope.

Who may do what comes from ``contracts/roles.py``: the customer-service manager (and the administrator) drafts,
submits, renews, records takeovers and cancels renewal tasks; top management (and the administrator) reviews,
signs, terminates and keeps the review checklist; the document controller reads the register and attaches files;
the quality auditor reads the register. Agents and residents hold no contracts permission: 403 on every page and
endpoint.

Every role of the test world that reads contracts also holds ``core.view_all_estates``, so the matrix's own
out-of-scope check (``Route.other``, made for the agent) never runs here. ``test_out_of_scope_answers_404`` does it
instead with users who hold a role's permissions but serve estate A only (``scoped_user``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from wuye.contracts import services
from wuye.contracts.choices import ContractKind, ContractStatus, PartyKind
from wuye.contracts.models import Contract, ContractFile, ContractReview, ReviewChecklistItem
from wuye.contracts.tests.factories import draft, reviewed, signed
from wuye.core.roles import Role
from wuye.core.scope import ALL_ESTATES_PERMISSION
from wuye.core.testing.matrix import Route, matrix_tests
from wuye.documents.tests.factories import text_file
from wuye.estates.choices import EstateStatus
from wuye.estates.models import Estate

R = Role
VIEW = {R.CS_MANAGER, R.EXECUTIVE, R.DOCUMENT_CONTROLLER, R.QUALITY_AUDITOR, R.ADMIN}
DRAFT = {R.CS_MANAGER, R.ADMIN}          # add/change contracts, record takeovers, renewal tasks
DECIDE = {R.EXECUTIVE, R.ADMIN}          # review, sign, terminate
CHECKLIST = {R.EXECUTIVE, R.ADMIN}       # the review checklist
FILES = {R.CS_MANAGER, R.DOCUMENT_CONTROLLER, R.ADMIN}  # contracts.add_contractfile


# --- objects ----------------------------------------------------------------------------------------------------------


def _estate(w, which: str):
    return w.estate_b if which == "b" else w.estate_a


def contract(w, state: str = "draft", estate: str = "a", kind=ContractKind.CLEANING):
    """A contract of estate A (or B) in ``state``, drafted and submitted by the manager, decided by top
    management. An outsourcing contract by default, so that several never overlap."""
    item = draft(w, estate=_estate(w, estate), kind=kind)
    if state == "in_review":
        services.contract_submit_review(actor=w.users["cs_manager"], contract=item)
    elif state == "reviewed":
        reviewed(w, item)
    elif state == "signed":
        signed(w, item)
    else:
        assert state == "draft", state
    item.refresh_from_db()
    return item


def contract_file(w, estate: str = "a"):
    return services.contract_add_file(actor=w.users["cs_manager"], contract=contract(w, "signed", estate),
                                      upload=text_file("合同正文：保洁服务一年。", "合同.txt"))


def preparing(w, estate: str = "a"):
    """The estate awaits its takeover and has the contract the rule needs (a new build: a signed preliminary
    contract with the developer, in force)."""
    place = _estate(w, estate)
    Estate.objects.filter(pk=place.pk).update(status=EstateStatus.PREPARING, managed_since=None)
    signed(w, draft(w, estate=place, kind=ContractKind.PRELIMINARY))
    place.refresh_from_db()
    return place


def takeover(w, estate: str = "a"):
    return services.takeover_record(actor=w.users["cs_manager"], estate=preparing(w, estate))


def renewal_task(w, estate: str = "a"):
    """The estate runs on a signed preliminary contract and its owners' committee is in office."""
    place = _estate(w, estate)
    signed(w, draft(w, estate=place, kind=ContractKind.PRELIMINARY))
    task = services.renewal_open(committee=place.committees.get(status="active"), actor=w.users["cs_manager"])
    assert task is not None
    return task


def checklist_item(w):
    return ReviewChecklistItem.objects.order_by("pk").first()


def pending_checks(w):
    return list(ContractReview.objects.filter(result="pending").order_by("-pk").first().checks.all())


# --- request bodies ---------------------------------------------------------------------------------------------------


def _day(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def contract_form(w, **changes):
    data = {"number": "", "title": "保洁外包合同", "kind": ContractKind.CLEANING, "estate": w.estate_a.pk,
            "party_kind": PartyKind.SUPPLIER, "party_name": "洁净保洁服务有限公司", "party_committee": "",
            "party_customer": "", "valid_from": _day(-10), "valid_to": _day(355), "amount": "120000.00",
            "payment_terms": "按季度支付", "owner": "", "renews": "", "notes": ""}
    data.update(changes)
    return data


def review_form(w):
    return {"decision": "pass", "comments": "同意签订",
            **{f"check_{check.pk}": "on" for check in pending_checks(w)}}


def pass_body(w):
    return {"checks": {str(check.pk): True for check in pending_checks(w)}, "comments": "同意"}


def api_contract(w):
    return {"number": "HT-TEST-0001", "title": "电梯维保合同", "kind": ContractKind.ELEVATOR, "estate": w.estate_a.pk,
            "party_kind": PartyKind.SUPPLIER, "party_name": "安达电梯工程有限公司", "valid_from": _day(0),
            "valid_to": _day(364)}


# --- routes -----------------------------------------------------------------------------------------------------------


def _url(name, *args):
    return lambda w: reverse(name, args=args)


def _on(name, make, *extra):
    """The URL ``name`` about the object ``make(w)`` returns (``extra`` after its id)."""
    return lambda w: reverse(name, args=[make(w).pk, *extra])


def _contract(state="draft", estate="a"):
    return lambda w: contract(w, state, estate)


def _page(name, state, allowed, *extra, **kwargs):
    """A page about a contract of estate A in ``state``; ``other`` is the same about one of estate B."""
    return Route(name, _on(name, _contract(state), *extra), set(allowed),
                 other=_on(name, _contract(state, "b"), *extra), **kwargs)


def _api(name, state, allowed, **kwargs):
    return Route(name, _on(name, _contract(state)), set(allowed), other=_on(name, _contract(state, "b")), api=True,
                 **kwargs)


def _step(step, state, allowed, **kwargs):
    return _page("contracts:contract_step", state, allowed, step, **kwargs)


def _with(setup, name, *args):
    """``setup(w)`` first (it prepares the data the request needs), then the URL."""
    def url(w):
        setup(w)
        return reverse(name, args=args)
    return url


def _export(fmt):
    def url(w):
        contract(w, "signed")
        return f"{reverse('contracts:contract_list')}?export={fmt}"
    return url


PAGE_CASES = [
    # the register, its exports, a contract's page
    Route("contracts:contract_list", _url("contracts:contract_list"), VIEW),
    Route("contracts:contract_list", _export("xlsx"), VIEW),
    Route("contracts:contract_list", _export("pdf"), VIEW),
    _page("contracts:contract", "draft", VIEW),
    _page("contracts:contract", "signed", VIEW),
    _page("contracts:contract_history", "draft", VIEW),
    # drafting
    Route("contracts:contract_add", _url("contracts:contract_add"), DRAFT),
    Route("contracts:contract_add", _url("contracts:contract_add"), DRAFT, method="post", data=contract_form,
          ok=(302,)),
    _page("contracts:contract_edit", "draft", DRAFT),
    _page("contracts:contract_edit", "draft", DRAFT, method="post", ok=(302,),
          data=lambda w: contract_form(w, title="保洁外包合同（修订）", number=Contract.objects.latest("pk").number)),
    _page("contracts:contract_renew", "signed", DRAFT),
    _page("contracts:contract_renew", "signed", DRAFT, method="post", ok=(302,),
          data=lambda w: contract_form(w, valid_from=_day(400), valid_to=_day(764))),
    # the steps
    _step("submit", "draft", DRAFT),
    _step("submit", "draft", DRAFT, method="post", ok=(302,)),
    _step("review", "in_review", DECIDE),
    _step("review", "in_review", DECIDE, method="post", data=review_form, ok=(302,)),
    _step("sign", "reviewed", DECIDE),
    _step("sign", "reviewed", DECIDE, method="post", data=lambda w: {"signed_on": ""}, ok=(302,)),
    _step("terminate", "signed", DECIDE),
    _step("terminate", "signed", DECIDE, method="post", data=lambda w: {"reason": "服务质量不达标，协商解除"},
          ok=(302,)),
    _step("file", "signed", FILES),  # the upload itself: test_attach_a_file_* below
    Route("contracts:file", _on("contracts:file", contract_file), VIEW,
          other=_on("contracts:file", lambda w: contract_file(w, "b"))),
    # takeovers
    Route("contracts:takeover_list", _url("contracts:takeover_list"), VIEW),
    Route("contracts:takeover", _on("contracts:takeover", takeover), VIEW,
          other=_on("contracts:takeover", lambda w: takeover(w, "b"))),
    Route("contracts:estate_takeover", _on("contracts:estate_takeover", preparing), DRAFT,
          other=_on("contracts:estate_takeover", lambda w: preparing(w, "b"))),
    Route("contracts:estate_takeover", _on("contracts:estate_takeover", preparing), DRAFT, method="post",
          data=lambda w: {"taken_over_on": "", "contract": "", "notes": "接管验收完成"}, ok=(302,)),
    # renewal tasks
    Route("contracts:renewaltask_list", _url("contracts:renewaltask_list"), VIEW),
    Route("contracts:renewaltask_cancel", _on("contracts:renewaltask_cancel", renewal_task), DRAFT,
          other=_on("contracts:renewaltask_cancel", lambda w: renewal_task(w, "b"))),
    Route("contracts:renewaltask_cancel", _on("contracts:renewaltask_cancel", renewal_task), DRAFT,
          method="post", data=lambda w: {"reason": "业委会已解散"}, ok=(302,)),
    # the review checklist
    Route("contracts:reviewchecklistitem_list", _url("contracts:reviewchecklistitem_list"), CHECKLIST),
    Route("contracts:reviewchecklistitem_add", _url("contracts:reviewchecklistitem_add"), CHECKLIST),
    Route("contracts:reviewchecklistitem_add", _url("contracts:reviewchecklistitem_add"), CHECKLIST,
          method="post", data=lambda w: {"text": "违约责任对等", "guidance": "", "sort_order": "60", "is_active": "on"},
          ok=(302,)),
    Route("contracts:reviewchecklistitem_edit", _on("contracts:reviewchecklistitem_edit", checklist_item),
          CHECKLIST),
    Route("contracts:reviewchecklistitem_edit", _on("contracts:reviewchecklistitem_edit", checklist_item),
          CHECKLIST, method="post", ok=(302,),
          data=lambda w: {"text": "合同内容完整有效", "guidance": "", "sort_order": "10", "is_active": "on"}),
]

API_CASES = [
    # the register
    Route("api:contracts-contract-list", _url("api:contracts-contract-list"), VIEW, api=True),
    Route("api:contracts-contract-list", _url("api:contracts-contract-list"), DRAFT, api=True, method="post",
          data=api_contract, ok=(201,)),
    _api("api:contracts-contract-detail", "draft", VIEW),
    _api("api:contracts-contract-detail", "draft", DRAFT, method="patch", data=lambda w: {"notes": "补充说明"}),
    # the actions
    _api("api:contracts-contract-submit-review", "draft", DRAFT, method="post"),
    _api("api:contracts-contract-pass-review", "in_review", DECIDE, method="post", data=pass_body),
    _api("api:contracts-contract-return-review", "in_review", DECIDE, method="post",
         data=lambda w: {"comments": "付款条件需明确"}),
    _api("api:contracts-contract-sign", "reviewed", DECIDE, method="post", data=lambda w: {}),
    _api("api:contracts-contract-terminate", "signed", DECIDE, method="post",
         data=lambda w: {"reason": "双方协商解除"}),
    _api("api:contracts-contract-renew", "signed", DRAFT, method="post", data=lambda w: {}, ok=(201,)),
    # the matrix posts JSON: with no file the permission passes and the input is refused (400); the upload
    # itself is test_attach_a_file_*
    Route("api:contracts-contract-files", _on("api:contracts-contract-files", _contract("signed")), FILES, api=True,
          method="post", ok=(400,)),
    # takeovers
    Route("api:contracts-takeover-list", _url("api:contracts-takeover-list"), VIEW, api=True),
    Route("api:contracts-takeover-list", _with(preparing, "api:contracts-takeover-list"), DRAFT, api=True,
          method="post", data=lambda w: {"estate": w.estate_a.pk}, ok=(201,)),
    Route("api:contracts-takeover-detail", _on("api:contracts-takeover-detail", takeover), VIEW, api=True,
          other=_on("api:contracts-takeover-detail", lambda w: takeover(w, "b"))),
    Route("api:estate-takeover-list", lambda w: reverse("api:estate-takeover-list",
                                                        kwargs={"estate_pk": preparing(w).pk}), VIEW, api=True,
          other=lambda w: reverse("api:estate-takeover-list", kwargs={"estate_pk": preparing(w, "b").pk})),
    Route("api:estate-takeover-list", lambda w: reverse("api:estate-takeover-list",
                                                        kwargs={"estate_pk": preparing(w).pk}), DRAFT, api=True,
          method="post", data=lambda w: {"notes": "接管验收完成"}, ok=(201,)),
    # renewal tasks (read only) and the checklist
    Route("api:contracts-renewaltask-list", _url("api:contracts-renewaltask-list"), VIEW, api=True),
    Route("api:contracts-renewaltask-detail", _on("api:contracts-renewaltask-detail", renewal_task), VIEW,
          api=True, other=_on("api:contracts-renewaltask-detail", lambda w: renewal_task(w, "b"))),
    Route("api:contracts-reviewchecklistitem-list", _url("api:contracts-reviewchecklistitem-list"), VIEW, api=True),
    Route("api:contracts-reviewchecklistitem-list", _url("api:contracts-reviewchecklistitem-list"), CHECKLIST,
          api=True, method="post", data=lambda w: {"text": "违约责任对等"}, ok=(201,)),
    Route("api:contracts-reviewchecklistitem-detail", _on("api:contracts-reviewchecklistitem-detail",
                                                          checklist_item), VIEW, api=True),
    Route("api:contracts-reviewchecklistitem-detail", _on("api:contracts-reviewchecklistitem-detail",
                                                          checklist_item), CHECKLIST, api=True, method="patch",
          data=lambda w: {"guidance": "核对违约金比例"}),
]

CASES = [*PAGE_CASES, *API_CASES]

test_matrix = matrix_tests(CASES)


# --- out of scope: users who serve estate A only ----------------------------------------------------------------------


def scoped_user(world, role: str):
    """Someone with ``role``'s permissions who serves estate A only: the role's group without
    ``core.view_all_estates`` (the test world's roles all see every estate)."""
    from wuye.org.tests.factories import StaffFactory, UserFactory

    app_label, codename = ALL_ESTATES_PERMISSION.split(".")
    group, created = Group.objects.get_or_create(name=f"{role}_estate_a")
    if created:
        group.permissions.set(Group.objects.get(name=role).permissions.exclude(
            content_type__app_label=app_label, codename=codename))
    user = UserFactory(username=f"t_{role}_estate_a")
    user.groups.set([group])
    StaffFactory(user=user, post=world.post, estates=[world.estate_a])
    assert user.has_perm("contracts.view_contract") and not user.has_perm(ALL_ESTATES_PERMISSION)
    return user


PREFERENCE = [R.CS_MANAGER, R.EXECUTIVE, R.DOCUMENT_CONTROLLER, R.QUALITY_AUDITOR, R.ADMIN]
SCOPED = [case for case in CASES if case.other is not None]


def _call(client, case, url, world):
    kwargs = {}
    if case.data is not None:
        kwargs["data"] = case.data(world)
        if case.api and case.method != "get":
            kwargs["format"] = "json"
    return getattr(client, case.method)(url, **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("case", SCOPED, ids=[str(c) for c in SCOPED])
def test_out_of_scope_answers_404(case, world):
    from django.test import Client
    from rest_framework.test import APIClient

    role = next(r.value for r in PREFERENCE if r in case.allowed)
    client = APIClient() if case.api else Client()
    client.force_login(scoped_user(world, role))
    mine = _call(client, case, case.url(world), world)
    assert mine.status_code in case.ok, (role, mine.status_code, mine.content[:300])
    theirs = _call(client, case, case.other(world), world)
    assert theirs.status_code == 404, (role, theirs.status_code)


@pytest.mark.django_db
def test_a_manager_of_estate_a_works_on_estate_a_only(world):
    """Lists, creation and actions of an estate-A manager: estate B's contracts are neither listed nor reachable,
    and nothing of estate B can be created or changed."""
    from django.test import Client
    from rest_framework.test import APIClient

    mine, theirs = contract(world), contract(world, estate="b")
    user = scoped_user(world, R.CS_MANAGER)
    api, page = APIClient(), Client()
    api.force_login(user)
    page.force_login(user)
    listed = api.get(reverse("api:contracts-contract-list")).json()["results"]
    assert [row["id"] for row in listed] == [mine.pk]
    assert f'href="/contracts/{theirs.pk}/"' not in page.get(reverse("contracts:contract_list")).content.decode()
    before = Contract.objects.count()
    refused = api.post(reverse("api:contracts-contract-list"), {**api_contract(world), "estate": world.estate_b.pk},
                       format="json")
    assert refused.status_code == 400 and "estate" in refused.json()
    refused = page.post(reverse("contracts:contract_add"), contract_form(world, estate=world.estate_b.pk))
    assert refused.status_code == 400
    assert Contract.objects.count() == before
    for name in ("submit-review", "renew"):
        response = api.post(reverse(f"api:contracts-contract-{name}", args=[theirs.pk]), {}, format="json")
        assert response.status_code == 404, name
    assert api.patch(reverse("api:contracts-contract-detail", args=[theirs.pk]), {"notes": "x"},
                     format="json").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ContractStatus.DRAFT and theirs.notes == "" and not theirs.renewals.exists()
    # top management of estate A cannot decide on estate B either
    services.contract_submit_review(actor=world.users["cs_manager"], contract=theirs)
    executive = APIClient()
    executive.force_login(scoped_user(world, R.EXECUTIVE))
    response = executive.post(reverse("api:contracts-contract-pass-review", args=[theirs.pk]),
                              {"checks": {str(c.pk): True for c in pending_checks(world)}}, format="json")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ContractStatus.IN_REVIEW


# --- attaching files: the holders of contracts.add_contractfile -------------------------------------------------------

FILE_ROLES = [
    R.CS_MANAGER.value,
    R.ADMIN.value,
    R.DOCUMENT_CONTROLLER.value,
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", FILE_ROLES)
def test_attach_a_file_on_the_page(role, world, client_for):
    item = contract(world, "signed")
    response = client_for(role).post(reverse("contracts:contract_step", args=[item.pk, "file"]),
                                     {"file": text_file("合同正文", "合同.txt")})
    assert response.status_code == 302, response.status_code
    assert ContractFile.objects.filter(contract=item, name="合同.txt").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", FILE_ROLES)
def test_attach_a_file_through_the_api(role, world, client_for):
    item = contract(world, "signed")
    response = client_for(role, api=True).post(reverse("api:contracts-contract-files", args=[item.pk]),
                                               {"file": text_file("合同正文", "合同.txt")}, format="multipart")
    assert response.status_code == 201, response.content
    assert ContractFile.objects.filter(contract=item).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", [R.EXECUTIVE, R.QUALITY_AUDITOR, R.AGENT, R.RESIDENT])
def test_others_may_not_attach_files(role, world, client_for):
    item = contract(world, "signed")
    page = client_for(role).post(reverse("contracts:contract_step", args=[item.pk, "file"]),
                                 {"file": text_file()})
    api = client_for(role, api=True).post(reverse("api:contracts-contract-files", args=[item.pk]),
                                          {"file": text_file()}, format="multipart")
    assert (page.status_code, api.status_code) == (403, 403)
    assert not ContractFile.objects.exists()
