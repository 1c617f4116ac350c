"""An estate becomes managed only through its recorded takeover: the estate form and API refuse the status."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wuye.estates.choices import EstateStatus
from wuye.estates.models import Estate

pytestmark = pytest.mark.django_db


def _estate_data(world, **changes):
    data = {"company": world.company.pk, "name": "新城花园", "code": "xchy", "kind": "new_build",
            "status": "preparing", "address": "杭州市新城路1号"}
    data.update(changes)
    return data


def test_the_estate_form_does_not_make_an_estate_managed(world, client_for):
    client = client_for("admin")
    add = reverse("estates:estate_add")
    assert client.get(add).context["form"].initial["status"] == EstateStatus.PREPARING
    response = client.post(add, _estate_data(world, status="managed"))
    assert response.status_code == 400 and "status" in response.context["form"].errors
    assert not Estate.objects.filter(code="xchy").exists()
    assert client.post(add, _estate_data(world)).status_code == 302
    estate = Estate.objects.get(code="xchy")
    response = client.post(reverse("estates:estate_edit", args=[estate.pk]), _estate_data(world, status="managed"))
    assert response.status_code == 400
    estate.refresh_from_db()
    assert estate.status == EstateStatus.PREPARING
    # a managed estate keeps its status when edited
    response = client.post(reverse("estates:estate_edit", args=[world.estate_a.pk]), _estate_data(
        world, name=world.estate_a.name, code=world.estate_a.code, status="managed"))
    assert response.status_code == 302


def test_the_estate_api_does_not_make_an_estate_managed(world, client_for):
    api = client_for("admin", api=True)
    response = api.post("/api/v1/estates/", _estate_data(world, status="managed"), format="json")
    assert response.status_code == 400 and "status" in response.json()
    assert not Estate.objects.filter(code="xchy").exists()
    estate_id = api.post("/api/v1/estates/", _estate_data(world), format="json").json()["id"]
    response = api.patch(f"/api/v1/estates/{estate_id}/", {"status": "managed"}, format="json")
    assert response.status_code == 400
    assert Estate.objects.get(pk=estate_id).status == EstateStatus.PREPARING
