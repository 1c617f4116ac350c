"""Permission matrix of the estates app: every page and endpoint as every role, in and out of scope."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from wuye.core.roles import Role
from wuye.core.testing.matrix import ALL_ROLES, Route, matrix_tests

EVERYONE = set(ALL_ROLES)  # residents too: restrict() narrows them to their own records
ARCHIVE = {Role.AGENT, Role.DOCUMENT_CONTROLLER, Role.CS_MANAGER, Role.ADMIN}
MANAGERS = {Role.CS_MANAGER, Role.ADMIN}
REVEAL = {Role.AGENT, Role.CS_MANAGER, Role.ADMIN}
SCOPED = {Role.AGENT, Role.RESIDENT}


def _url(name, *args):
    return lambda w: reverse(name, args=[a(w) for a in args])


def _view(name, obj, other, allowed=EVERYONE, **kwargs):
    """A detail-style page of ``obj`` (estate A), and the same page of ``other`` (estate B) for 404."""
    return Route(name, lambda w: reverse(name, args=[obj(w).pk]), allowed,
                 other=lambda w: reverse(name, args=[other(w).pk]), scoped_roles=SCOPED, **kwargs)


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("import.xlsx", buf.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _customer_import(w):
    return {"file": _xlsx([["Estate code", "Name", "Mobile", "Unit number"],
                           ["ljy", "赵敏", "13700001111", "3-2-1201"]])}


def _unit_import(w):
    return {"file": _xlsx([["Estate code", "Building number", "Entrance", "Room number"], ["ljy", "3", "2", "1202"]])}


def _archived(w, estate="a"):
    from wuye.estates.tests.factories import CustomerFactory

    return CustomerFactory(estate=w.estate_a if estate == "a" else w.estate_b, status="archived")


def _new_customer(w, estate="a"):
    from wuye.estates.tests.factories import CustomerFactory

    return CustomerFactory(estate=w.estate_a if estate == "a" else w.estate_b, name="新业主")


def _estate_data(w):
    return {"company": w.company.pk, "name": "新城花园", "code": "xchy", "kind": "new_build", "status": "preparing",
            "address": "杭州市余杭区新城路1号"}


def _building_data(w):
    return {"estate": w.estate_a.pk, "number": "9", "name": "9号楼", "kind": "high_rise"}


def _unit_data(w):
    return {"building": w.building_a.pk, "entrance": "1", "floor": 3, "number": "301", "usage": "residential",
            "status": "occupied"}


def _customer_data(w):
    return {"estate": w.estate_a.pk, "kind": "tenant", "name": "陈晨", "mobile": "13700002222",
            "id_type": "resident_id"}


def _customer_form(w):
    return {**_customer_data(w), "occupancy_role": "tenant"}


def _occupancy_data(w):
    return {"customer": w.customer_a.pk, "unit_code": w.unit_a.code, "role": "tenant", "start_date": "2024-01-01"}


def _committee_estate(w):
    from wuye.estates.tests.factories import EstateFactory

    return EstateFactory(company=w.company, name="新区", code="xq")


def _committee_form(w):
    return {"estate": _committee_estate(w).pk, "established_on": "2025-01-01", "term_start": "2025-01-01",
            "term_end": "2029-12-31"}


def _member_form(w):
    return {"committee": w.committee_a.pk, "customer": _new_customer(w).pk, "position": "member",
            "joined_on": "2025-01-01"}


CASES = [
    Route("estates:lookup", _url("estates:lookup"), EVERYONE),
    # estates
    Route("estates:estate_list", _url("estates:estate_list"), EVERYONE),
    _view("estates:estate", lambda w: w.estate_a, lambda w: w.estate_b),
    _view("estates:estate_history", lambda w: w.estate_a, lambda w: w.estate_b),
    Route("estates:estate_add", _url("estates:estate_add"), MANAGERS),
    Route("estates:estate_add", _url("estates:estate_add"), MANAGERS, method="post", data=_estate_data, ok=(302,)),
    Route("estates:estate_edit", lambda w: reverse("estates:estate_edit", args=[w.estate_a.pk]), MANAGERS),
    # buildings
    Route("estates:building_list", _url("estates:building_list"), EVERYONE),
    _view("estates:building", lambda w: w.building_a, lambda w: w.building_b),
    _view("estates:building_history", lambda w: w.building_a, lambda w: w.building_b),
    Route("estates:building_add", _url("estates:building_add"), MANAGERS),
    Route("estates:building_add", _url("estates:building_add"), MANAGERS, method="post", data=_building_data,
          ok=(302,)),
    Route("estates:building_edit", lambda w: reverse("estates:building_edit", args=[w.building_a.pk]), MANAGERS),
    # units
    Route("estates:unit_list", _url("estates:unit_list"), EVERYONE),
    _view("estates:unit", lambda w: w.unit_a, lambda w: w.unit_b),
    _view("estates:unit_history", lambda w: w.unit_a, lambda w: w.unit_b),
    Route("estates:unit_add", _url("estates:unit_add"), MANAGERS),
    Route("estates:unit_add", _url("estates:unit_add"), MANAGERS, method="post", data=_unit_data, ok=(302,)),
    Route("estates:unit_edit", lambda w: reverse("estates:unit_edit", args=[w.unit_a.pk]), MANAGERS),
    Route("estates:unit_import", _url("estates:unit_import"), MANAGERS),
    Route("estates:unit_import", _url("estates:unit_import"), MANAGERS, method="post", data=_unit_import, ok=(302,)),
    Route("estates:unit_import_template", _url("estates:unit_import_template"), MANAGERS),
    # customers
    Route("estates:customer_list", _url("estates:customer_list"), EVERYONE),
    _view("estates:customer", lambda w: w.customer_a, lambda w: w.customer_b),
    _view("estates:customer_history", lambda w: w.customer_a, lambda w: w.customer_b),
    Route("estates:customer_add", _url("estates:customer_add"), ARCHIVE),
    Route("estates:customer_add", _url("estates:customer_add"), ARCHIVE, method="post", data=_customer_form,
          ok=(302,)),
    _view("estates:customer_edit", lambda w: w.customer_a, lambda w: w.customer_b, allowed=ARCHIVE),
    _view("estates:customer_edit", lambda w: w.customer_a, lambda w: w.customer_b, allowed=ARCHIVE, method="post",
          data=lambda w: {"kind": "owner", "name": "王芳芳", "id_type": "resident_id"}, ok=(302,)),
    _view("estates:customer_archive", lambda w: w.customer_a, lambda w: w.customer_b, allowed=ARCHIVE),
    _view("estates:customer_archive", lambda w: w.customer_a, lambda w: w.customer_b, allowed=ARCHIVE,
          method="post", data=lambda w: {"reason": "搬离"}, ok=(302,)),
    _view("estates:customer_reactivate", _archived, lambda w: _archived(w, "b"), allowed=ARCHIVE, method="post",
          ok=(302,)),
    Route("estates:customer_reveal", lambda w: reverse("estates:customer_reveal", args=[w.customer_a.pk, "mobile"]),
          REVEAL, method="post", other=lambda w: reverse("estates:customer_reveal", args=[w.customer_b.pk, "mobile"])),
    Route("estates:customer_import", _url("estates:customer_import"), ARCHIVE),
    Route("estates:customer_import", _url("estates:customer_import"), ARCHIVE, method="post", data=_customer_import,
          ok=(302,)),
    Route("estates:customer_import_template", _url("estates:customer_import_template"), ARCHIVE),
    # occupancies
    Route("estates:occupancy_list", _url("estates:occupancy_list"), EVERYONE),
    _view("estates:occupancy", lambda w: w.occupancy_a, lambda w: w.occupancy_b),
    _view("estates:occupancy_history", lambda w: w.occupancy_a, lambda w: w.occupancy_b),
    Route("estates:occupancy_add", _url("estates:occupancy_add"), ARCHIVE),
    Route("estates:occupancy_add", lambda w: reverse("estates:occupancy_add") + f"?customer={w.customer_a.pk}",
          ARCHIVE, other=lambda w: reverse("estates:occupancy_add") + f"?customer={w.customer_b.pk}",
          scoped_roles=SCOPED),
    Route("estates:occupancy_add", _url("estates:occupancy_add"), ARCHIVE, method="post", data=_occupancy_data,
          ok=(302,)),
    _view("estates:occupancy_edit", lambda w: w.occupancy_a, lambda w: w.occupancy_b, allowed=ARCHIVE),
    _view("estates:occupancy_end", lambda w: w.occupancy_a, lambda w: w.occupancy_b, allowed=ARCHIVE),
    _view("estates:occupancy_end", lambda w: w.occupancy_a, lambda w: w.occupancy_b, allowed=ARCHIVE,
          method="post", data=lambda w: {"end_date": "2025-06-30"}, ok=(302,)),
    # owners' committees
    Route("estates:ownerscommittee_list", _url("estates:ownerscommittee_list"), EVERYONE),
    _view("estates:ownerscommittee", lambda w: w.committee_a, lambda w: w.committee_b),
    _view("estates:ownerscommittee_history", lambda w: w.committee_a, lambda w: w.committee_b),
    Route("estates:ownerscommittee_add", _url("estates:ownerscommittee_add"), MANAGERS),
    Route("estates:ownerscommittee_add", _url("estates:ownerscommittee_add"), MANAGERS, method="post",
          data=_committee_form, ok=(302,)),
    Route("estates:ownerscommittee_edit", lambda w: reverse("estates:ownerscommittee_edit", args=[w.committee_a.pk]),
          MANAGERS),
    Route("estates:ownerscommittee_end", lambda w: reverse("estates:ownerscommittee_end", args=[w.committee_a.pk]),
          MANAGERS, method="post", data=lambda w: {"end_date": "2026-01-31"}, ok=(302,)),
    Route("estates:committeemember_add", lambda w: reverse("estates:committeemember_add")
          + f"?committee={w.committee_a.pk}", MANAGERS),
    Route("estates:committeemember_add", _url("estates:committeemember_add"), MANAGERS, method="post",
          data=_member_form, ok=(302,)),
    Route("estates:committeemember_edit", lambda w: reverse("estates:committeemember_edit", args=[w.member_a.pk]),
          MANAGERS),
    # API
    Route("api:estates-estate-list", _url("api:estates-estate-list"), EVERYONE, api=True),
    _view("api:estates-estate-detail", lambda w: w.estate_a, lambda w: w.estate_b, api=True),
    Route("api:estates-estate-list", _url("api:estates-estate-list"), MANAGERS, api=True, method="post",
          data=_estate_data, ok=(201,)),
    Route("api:estates-building-list", _url("api:estates-building-list"), EVERYONE, api=True),
    _view("api:estates-building-detail", lambda w: w.building_a, lambda w: w.building_b, api=True),
    Route("api:estates-building-list", _url("api:estates-building-list"), MANAGERS, api=True, method="post",
          data=_building_data, ok=(201,)),
    Route("api:estates-unit-list", _url("api:estates-unit-list"), EVERYONE, api=True),
    _view("api:estates-unit-detail", lambda w: w.unit_a, lambda w: w.unit_b, api=True),
    Route("api:estates-unit-list", _url("api:estates-unit-list"), MANAGERS, api=True, method="post",
          data=_unit_data, ok=(201,)),
    Route("api:estates-customer-list", _url("api:estates-customer-list"), EVERYONE, api=True),
    _view("api:estates-customer-detail", lambda w: w.customer_a, lambda w: w.customer_b, api=True),
    Route("api:estates-customer-list", _url("api:estates-customer-list"), ARCHIVE, api=True, method="post",
          data=_customer_data, ok=(201,)),
    _view("api:estates-customer-detail", lambda w: w.customer_a, lambda w: w.customer_b, allowed=ARCHIVE, api=True,
          method="patch", data=lambda w: {"notes": "喜欢电话联系"}),
    _view("api:estates-customer-archive", lambda w: w.customer_a, lambda w: w.customer_b, allowed=ARCHIVE, api=True,
          method="post", data=lambda w: {"reason": "搬离"}),
    Route("api:estates-occupancy-list", _url("api:estates-occupancy-list"), EVERYONE, api=True),
    _view("api:estates-occupancy-detail", lambda w: w.occupancy_a, lambda w: w.occupancy_b, api=True),
    Route("api:estates-occupancy-list", _url("api:estates-occupancy-list"), ARCHIVE, api=True, method="post",
          data=lambda w: {"unit": w.unit_a.pk, "customer": w.customer_a.pk, "role": "family",
                          "start_date": "2024-01-01"}, ok=(201,)),
    _view("api:estates-occupancy-end", lambda w: w.occupancy_a, lambda w: w.occupancy_b, allowed=ARCHIVE, api=True,
          method="post", data=lambda w: {"end_date": "2025-06-30"}),
    Route("api:estates-ownerscommittee-list", _url("api:estates-ownerscommittee-list"), EVERYONE, api=True),
    _view("api:estates-ownerscommittee-detail", lambda w: w.committee_a, lambda w: w.committee_b, api=True),
    Route("api:estates-ownerscommittee-list", _url("api:estates-ownerscommittee-list"), MANAGERS, api=True,
          method="post", data=_committee_form, ok=(201,)),
    Route("api:estates-ownerscommittee-end", lambda w: reverse("api:estates-ownerscommittee-end",
                                                               args=[w.committee_a.pk]),
          MANAGERS, api=True, method="post", data=lambda w: {"end_date": "2026-01-31"}),
    Route("api:estates-committeemember-list", _url("api:estates-committeemember-list"), EVERYONE, api=True),
    _view("api:estates-committeemember-detail", lambda w: w.member_a, lambda w: w.member_b, api=True),
    Route("api:estates-committeemember-list", _url("api:estates-committeemember-list"), MANAGERS, api=True,
          method="post", data=lambda w: {"committee": w.committee_a.pk, "customer": _new_customer(w).pk,
                                         "position": "member"}, ok=(201,)),
]

test_matrix = matrix_tests(CASES)
