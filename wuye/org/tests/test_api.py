import pytest
from django.urls import reverse

from wuye.core.models import AuditEvent
from wuye.org.models import JobStandard


@pytest.mark.django_db
def test_job_standard_lifecycle_through_the_api(world, client_for):
    client = client_for("cs_manager", api=True)
    response = client.post(reverse("api:org-jobstandard-list"), {
        "post": world.post.pk, "duties": "受理报修", "assessment_method": "月度考核"}, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["version"] == 1 and response.json()["status"] == "draft"
    response = client.post(reverse("api:org-jobstandard-publish", args=[pk]))
    assert response.json()["status"] == "current"
    again = client.post(reverse("api:org-jobstandard-publish", args=[pk]))
    assert again.status_code == 400 and "草稿" in str(again.json())
    ack = client_for("agent", api=True).post(reverse("api:org-jobstandard-acknowledge", args=[pk]))
    assert ack.status_code == 201
    assert JobStandard.objects.get(pk=pk).status == "current"


@pytest.mark.django_db
def test_staff_api_masks_mobile_unless_asked_and_allowed(world, client_for):
    url = reverse("api:org-staff-detail", args=[world.staff["agent"].pk])
    mobile = world.staff["agent"].mobile
    assert client_for("cs_manager", api=True).get(url).json()["mobile"] == f"{mobile[:3]}****{mobile[-4:]}"
    plain = client_for("cs_manager", api=True).get(url, {"unmasked": "true"}).json()["mobile"]
    assert plain == mobile
    assert AuditEvent.objects.filter(event_type="personal_data.reveal", actor=world.users["cs_manager"]).count() == 1
    auditor = client_for("quality_auditor", api=True).get(url, {"unmasked": "true"}).json()["mobile"]
    assert auditor == f"{mobile[:3]}****{mobile[-4:]}"


@pytest.mark.django_db
def test_department_api_validation_in_chinese(world, client_for):
    response = client_for("admin", api=True).post(reverse("api:org-department-list"), {
        "company": 999999, "name": "x", "code": "x"}, format="json")
    assert response.status_code == 400
    assert "company" in response.json() and "不存在" in str(response.json()["company"])


@pytest.mark.django_db
def test_no_delete_through_the_api(world, client_for):
    response = client_for("admin", api=True).delete(reverse("api:org-department-detail", args=[world.department.pk]))
    assert response.status_code == 405


@pytest.mark.django_db
def test_list_filters_and_q(world, client_for):
    from wuye.org.tests.factories import DepartmentFactory

    DepartmentFactory(company=world.company, name="工程部", code="eng")
    data = client_for("agent", api=True).get(reverse("api:org-department-list"), {"q": "工程"}).json()
    assert [d["name"] for d in data["results"]] == ["工程部"]
