"""Phone and ID numbers never appear unmasked for a role without ``core.view_personal_data``.

For each such role (found from the roles' grants, so a new role is covered), every GET route of every app's
permission matrix (``CASES``) is requested — pages, API operations with ``?unmasked=true``, the Excel export of
every list (``?export=xlsx``) and any PDF a route answers — and no full mobile, phone or ID number of the world's
customers (nor a ticket's contact phone) may appear in the body, the Excel cells, the PDF text or the log output
captured during the walk. At rest, no table of the database (current rows, change history, search index, audit
trail, notifications…) holds any of them in plain text, and ``manage.py dumpdata`` shows none.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from rest_framework.test import APIClient

from wuye.core.roles import Role, collect_grants
from wuye.core.tests.test_coverage import matrix_modules
from wuye.estates.models import Customer
from wuye.estates.tests.factories import resident_id

PERM = "core.view_personal_data"
ROLES_WITHOUT = sorted(role for role, perms in collect_grants().items() if PERM not in perms)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# not 13812345678: that number is the example the lookup page and the import templates show
SECRETS_A = {"mobile": "13812349876", "phone": "13512340001", "emergency_phone": "13612340002",
             "id_number": resident_id(41, "19790615")}
SECRETS_B = {"mobile": "13987654321", "phone": "13512340003", "emergency_phone": "13612340004",
             "id_number": resident_id(42, "19880923")}
CONTACT_A, CONTACT_B = "13712340005", "13712340006"  # contact phones of a ticket in estate A and one in B


def _give_personal_data(world):
    for customer, values in ((world.customer_a, SECRETS_A), (world.customer_b, SECRETS_B)):
        for field, value in values.items():
            setattr(customer, field, value)
        customer.save()


def _secrets(world, role: str) -> dict[str, str]:
    found = {f"customer_b.{k}": v for k, v in SECRETS_B.items()}
    found["ticket_b.contact_phone"] = CONTACT_B
    if role != Role.RESIDENT:  # a resident is customer A: their own numbers are theirs to see
        found.update({f"customer_a.{k}": v for k, v in SECRETS_A.items()})
        found["ticket_a.contact_phone"] = CONTACT_A
    return found


def _ticket_with_contact_phone(world):
    from wuye.tickets.tests.factories import make_ticket

    make_ticket(world, contact_phone=CONTACT_A)
    make_ticket(world, estate=world.estate_b, contact_phone=CONTACT_B)


def _with_query(url: str, query: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _texts(response) -> str:
    """Everything a person could read from the response: HTML/JSON/CSV text, Excel cells, PDF text."""
    content_type = response.get("Content-Type", "")
    data = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if content_type.startswith(XLSX):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(str(cell) for sheet in workbook.worksheets
                         for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)
    if data.startswith(b"%PDF-"):
        if shutil.which("pdftotext") is None:
            return ""
        return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return data.decode("utf-8", errors="replace")


def _routes():
    for module in matrix_modules():
        for route in getattr(module, "CASES", ()):
            if route.method == "get":
                yield route


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES_WITHOUT)
def test_role_without_the_right_never_sees_full_numbers(role, world, caplog):
    _give_personal_data(world)
    _ticket_with_contact_phone(world)
    secrets = _secrets(world, role)
    caplog.set_level(logging.INFO)
    leaks, answered, done = [], 0, set()
    for route in _routes():
        builders = [route.url] + ([route.other] if route.other else [])
        for build in builders:
            try:
                with transaction.atomic():
                    url = build(world)
            except Exception:  # noqa: BLE001 - a builder that cannot run twice in one world
                continue
            urls = [_with_query(url, "unmasked=true")] if route.api else [url]
            if not route.api and (route.name.endswith("_list") or "register" in route.name):
                urls.append(_with_query(url, "export=xlsx"))
            for target in urls:
                if target in done:
                    continue
                done.add(target)
                client = APIClient() if route.api else Client()
                client.raise_request_exception = False
                client.force_login(world.users[role])
                response = client.get(target)
                if response.status_code != 200:
                    continue
                answered += 1
                text = _texts(response)
                leaks += [f"{target} ({route.name}): {what}" for what, value in secrets.items() if value in text]
    log = caplog.text
    leaks += [f"log: {what}" for what, value in secrets.items() if value in log]
    assert answered >= 5, f"{role} opened only {answered} routes: the walk tested nothing"
    assert not leaks, "\n".join(leaks)


@pytest.mark.django_db
def test_masked_values_are_shown_instead(world, client_for):
    """The walk above is honest: the same page shows the masked number (and an allowed role can reveal it)."""
    from django.urls import reverse

    _give_personal_data(world)
    page = client_for(Role.EXECUTIVE).get(reverse("estates:customer", args=[world.customer_a.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "138****9876" in html and SECRETS_A["mobile"] not in html
    reveal = client_for(Role.AGENT).post(reverse("estates:customer_reveal", args=[world.customer_a.pk, "mobile"]))
    assert reveal.status_code == 200 and SECRETS_A["mobile"] in reveal.content.decode()


STAFF_MOBILE, OLD_MOBILE = "13912340007", "13812340008"


def _every_stored_text() -> str:
    """Every value of every table as a dump would hold it: raw SQL, no field converters."""
    texts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # nosec B608  # introspected names
            texts += [str(value) for row in cursor.fetchall() for value in row if value is not None]
    return "\n".join(texts)


def _everywhere(world) -> dict[str, str]:
    """Personal numbers written through the services and models the way the product writes them, an old mobile
    number replaced by a new one (the change history keeps the old one), a staff mobile number."""
    from wuye.org.tests.factories import StaffFactory

    world.customer_a.mobile = OLD_MOBILE
    world.customer_a.save()
    _give_personal_data(world)
    _ticket_with_contact_phone(world)
    staff = StaffFactory(mobile="13900000000")
    staff.mobile = STAFF_MOBILE
    staff.save()
    return {**{f"a.{k}": v for k, v in SECRETS_A.items()}, **{f"b.{k}": v for k, v in SECRETS_B.items()},
            "ticket_a": CONTACT_A, "ticket_b": CONTACT_B, "staff": STAFF_MOBILE, "old mobile": OLD_MOBILE}


@pytest.mark.django_db
def test_no_table_holds_a_phone_or_id_number_in_plain_text(world):
    numbers = _everywhere(world)
    stored = _every_stored_text()
    assert str(world.customer_a.name) in stored  # the scan does see the rows
    found = {label: value for label, value in numbers.items() if value in stored}
    assert not found, f"plain personal data at rest: {found}"
    # … and the product still reads them back, finds them by full number and by the last 4 digits
    from wuye.estates.selectors import filter_customers
    from wuye.org.models import Staff

    customer = Customer.objects.get(pk=world.customer_a.pk)
    assert (customer.mobile, customer.emergency_phone) == (SECRETS_A["mobile"], SECRETS_A["emergency_phone"])
    assert STAFF_MOBILE in {staff.mobile for staff in Staff.objects.all()}
    assert customer in filter_customers(Customer.objects.all(), SECRETS_A["mobile"])
    assert customer in filter_customers(Customer.objects.all(), SECRETS_A["phone"][-4:])
    assert customer not in filter_customers(Customer.objects.all(), OLD_MOBILE)


def test_filtering_an_encrypted_column_by_value_is_refused():
    """It could never match (every token is salted): an error, not an empty result that looks like "not found"."""
    from django.core.exceptions import FieldError

    from wuye.tickets.models import Ticket

    with pytest.raises(FieldError):
        Customer.objects.filter(mobile="13812349876").exists()
    with pytest.raises(FieldError):
        Ticket.objects.filter(contact_phone__contains="9876").exists()
    assert str(Customer.objects.exclude(mobile="").query)  # "is it empty?" still works


@pytest.mark.django_db
def test_dumpdata_holds_no_plain_id_number(world):
    _give_personal_data(world)
    out = io.StringIO()
    call_command("dumpdata", "estates", stdout=out)
    dump = out.getvalue()
    assert str(world.customer_a.pk) in dump  # the customers are in it
    for value in (SECRETS_A["id_number"], SECRETS_B["id_number"]):
        assert value not in dump


@pytest.mark.django_db
def test_dumpdata_loaddata_round_trip_keeps_the_id_number(world, tmp_path):
    """The dump holds the encrypted form; loading it gives back the same ID number (not a twice-encrypted one)."""
    _give_personal_data(world)
    fixture = tmp_path / "customers.json"
    call_command("dumpdata", "estates.customer", "--pks", f"{world.customer_a.pk},{world.customer_b.pk}",
                 "-o", str(fixture))
    text = fixture.read_text()
    assert SECRETS_A["id_number"] not in text and "gAAAAA" in text
    Customer.objects.filter(pk__in=[world.customer_a.pk, world.customer_b.pk]).update(id_number="")
    call_command("loaddata", str(fixture), verbosity=0)
    loaded = {c.pk: c.id_number for c in Customer.objects.filter(pk__in=[world.customer_a.pk, world.customer_b.pk])}
    assert loaded == {world.customer_a.pk: SECRETS_A["id_number"], world.customer_b.pk: SECRETS_B["id_number"]}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM estates_customer WHERE id = %s", [world.customer_a.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("gAAAAA") and SECRETS_A["id_number"] not in stored


def test_a_foreign_token_is_refused_on_load():
    """A token from other keys is not stored as if it were plain text (it would be encrypted a second time)."""
    from cryptography.fernet import Fernet
    from django.core.exceptions import ValidationError

    foreign = Fernet(Fernet.generate_key()).encrypt(b"110101197906150011").decode()
    with pytest.raises(ValidationError):
        Customer._meta.get_field("id_number").to_python(foreign)
