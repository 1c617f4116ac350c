import pytest
from django.urls import reverse

from wuye.org import services
from wuye.org.models import Department, Staff


@pytest.mark.django_db
def test_department_page_shows_duties_interfaces_and_posts(world, client_for):
    from wuye.org.tests.factories import DepartmentFactory

    engineering = DepartmentFactory(company=world.company, name="工程部", code="eng")
    world.department.interfaces.create(counterpart=engineering, subject="报修派工", description="客服开派工单")
    page = client_for("agent").get(reverse("org:department", args=[world.department.pk])).content.decode()
    assert "受理客户报修" in page and "报修派工" in page and "工程部" in page and "客服专员" in page


@pytest.mark.django_db
def test_department_form_errors_in_chinese_and_nothing_saved(world, client_for):
    before = Department.objects.count()
    response = client_for("admin").post(reverse("org:department_add"), {
        "company": world.company.pk, "name": world.department.name, "code": "cs"})
    assert response.status_code == 400
    assert "部门 已经存在" in response.content.decode()
    assert Department.objects.count() == before


@pytest.mark.django_db
def test_edit_adds_a_history_row_on_the_page(world, client_for):
    client = client_for("admin")
    url = reverse("org:department_edit", args=[world.department.pk])
    response = client.post(url, {"company": world.company.pk, "name": "客户服务中心", "code": "cs",
                                 "responsibilities": "新的职责", "is_active": "on"})
    assert response.status_code == 302
    page = client.get(reverse("org:department", args=[world.department.pk])).content.decode()
    assert "客户服务部" in page and "客户服务中心" in page  # before and after
    assert world.users["admin"].username in page or world.users["admin"].first_name in page


@pytest.mark.django_db
def test_my_standard_and_confirm_flow(world, client_for):
    standard = services.job_standard_create(actor=world.users["cs_manager"], post=world.post, duties="接听报修电话",
                                            assessment_method="抽查录音")
    services.job_standard_publish(actor=world.users["cs_manager"], standard=standard)
    client = client_for("agent")
    page = client.get(reverse("org:my_standard")).content.decode()
    assert "接听报修电话" in page and reverse("org:jobstandard_acknowledge", args=[standard.pk]) in page
    client.post(reverse("org:jobstandard_acknowledge", args=[standard.pk]), {"next": reverse("org:my_standard")})
    page = client.get(reverse("org:my_standard")).content.decode()
    assert reverse("org:jobstandard_acknowledge", args=[standard.pk]) not in page
    pending = client_for("cs_manager").get(reverse("org:acknowledgement_pending")).content.decode()
    assert world.staff["cs_manager"].name in pending
    assert world.staff["agent"].name not in pending


@pytest.mark.django_db
def test_draft_can_be_edited_published_cannot(world, client_for):
    standard = services.job_standard_create(actor=world.users["cs_manager"], post=world.post, duties="a",
                                            assessment_method="b")
    client = client_for("cs_manager")
    assert client.get(reverse("org:jobstandard_edit", args=[standard.pk])).status_code == 200
    services.job_standard_publish(actor=world.users["cs_manager"], standard=standard)
    assert client.get(reverse("org:jobstandard_edit", args=[standard.pk])).status_code == 404


@pytest.mark.django_db
def test_staff_edit_sets_estates_and_roles(world, client_for):
    staff = world.staff["agent"]
    response = client_for("admin").post(reverse("org:staff_edit", args=[staff.pk]), {
        "employee_no": staff.employee_no, "name": staff.name, "department": world.department.pk,
        "post": world.post.pk, "user": staff.user_id, "status": "active",
        "estates": [world.estate_a.pk, world.estate_b.pk], "roles": ["agent", "document_controller"],
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    staff.refresh_from_db()
    assert set(staff.estates.all()) == {world.estate_a, world.estate_b}
    assert set(staff.user.groups.values_list("name", flat=True)) == {"agent", "document_controller"}


@pytest.mark.django_db
def test_manager_cannot_assign_roles_without_user_admin_permission(world, client_for):
    page = client_for("cs_manager").get(reverse("org:staff_edit", args=[world.staff["agent"].pk])).content.decode()
    assert 'name="roles"' not in page
    assert 'name="estates"' in page


@pytest.mark.django_db
def test_staff_list_masks_mobiles(world, client_for):
    page = client_for("cs_manager").get(reverse("org:staff_list")).content.decode()
    mobile = world.staff["agent"].mobile
    assert mobile not in page and f"{mobile[:3]}****{mobile[-4:]}" in page


@pytest.mark.django_db
def test_list_pages_have_constant_query_counts(world, client_for, django_assert_max_num_queries):
    from wuye.org.tests.factories import StaffFactory

    client = client_for("cs_manager")
    client.get(reverse("org:staff_list"))
    with django_assert_max_num_queries(20):
        client.get(reverse("org:staff_list"))
    StaffFactory.create_batch(20, post=world.post)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("org:staff_list")).status_code == 200
    assert Staff.objects.count() > 25


@pytest.mark.django_db
def test_home_panel_asks_staff_to_confirm_and_counts_for_the_manager(world, client_for):
    standard = services.job_standard_create(actor=world.users["cs_manager"], post=world.post, duties="a",
                                            assessment_method="b")
    services.job_standard_publish(actor=world.users["cs_manager"], standard=standard)
    agent_home = client_for("agent").get(reverse("home")).content.decode()
    assert reverse("org:my_standard") in agent_home
    services.acknowledgement_confirm(actor=world.users["agent"], subject=standard)
    manager_home = client_for("cs_manager").get(reverse("home")).content.decode()
    assert reverse("org:acknowledgement_pending") in manager_home
    assert "5 名员工尚未确认" in manager_home  # 6 staff in the world, the agent has confirmed
