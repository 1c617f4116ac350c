import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from wuye.core.models import AuditEvent
from wuye.org import selectors, services
from wuye.org.choices import StaffStatus, StandardStatus
from wuye.org.models import Acknowledgement, JobStandard


def _draft(world, **kwargs):
    return services.job_standard_create(actor=world.users["cs_manager"], post=world.post, duties="受理报修",
                                        assessment_method="月度考核", **kwargs)


@pytest.mark.django_db
def test_versions_are_numbered_and_only_one_draft_at_a_time(world):
    first = _draft(world)
    assert (first.version, first.status) == (1, StandardStatus.DRAFT)
    with pytest.raises(ValidationError):
        _draft(world)
    services.job_standard_publish(actor=world.users["executive"], standard=first)
    second = _draft(world, change_note="增加回访要求")
    assert second.version == 2


@pytest.mark.django_db
def test_publishing_supersedes_the_previous_version_and_keeps_it(world):
    v1 = _draft(world)
    services.job_standard_publish(actor=world.users["executive"], standard=v1)
    v2 = _draft(world)
    services.job_standard_publish(actor=world.users["executive"], standard=v2)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v1.status == StandardStatus.SUPERSEDED
    assert v2.status == StandardStatus.CURRENT and v2.approved_by == world.users["executive"]
    assert v2.effective_from is not None
    assert JobStandard.objects.filter(post=world.post).count() == 2
    assert AuditEvent.objects.filter(event_type="job_standard.publish").count() == 2
    with pytest.raises(ValidationError):
        services.job_standard_publish(actor=world.users["executive"], standard=v2)


@pytest.mark.django_db
def test_acknowledgement_asked_again_for_a_new_version(world):
    v1 = _draft(world)
    services.job_standard_publish(actor=world.users["executive"], standard=v1)
    agent = world.users["agent"]
    pending = set(selectors.pending_acknowledgements().values_list("pk", flat=True))
    assert world.staff["agent"].pk in pending
    services.acknowledgement_confirm(actor=agent, subject=v1)
    assert world.staff["agent"].pk not in set(selectors.pending_acknowledgements().values_list("pk", flat=True))
    with pytest.raises(ValidationError):
        services.acknowledgement_confirm(actor=agent, subject=v1)
    v2 = _draft(world)
    services.job_standard_publish(actor=world.users["executive"], standard=v2)
    assert world.staff["agent"].pk in set(selectors.pending_acknowledgements().values_list("pk", flat=True))
    with pytest.raises(ValidationError):
        services.acknowledgement_confirm(actor=agent, subject=v1)  # superseded
    services.acknowledgement_confirm(actor=agent, subject=v2)
    rows = {s.pk: s.acknowledged_at for s in selectors.standard_acknowledgements(standard=v2)}
    assert rows[world.staff["agent"].pk] is not None
    assert rows[world.staff["cs_manager"].pk] is None


@pytest.mark.django_db
def test_cannot_confirm_another_posts_standard(world):
    from wuye.org.tests.factories import PostFactory

    other = PostFactory(department=world.department)
    standard = services.job_standard_create(actor=world.users["cs_manager"], post=other, duties="x",
                                            assessment_method="y")
    services.job_standard_publish(actor=world.users["cs_manager"], standard=standard)
    with pytest.raises(ValidationError):
        services.acknowledgement_confirm(actor=world.users["agent"], subject=standard)
    assert not Acknowledgement.objects.exists()


@pytest.mark.django_db
def test_staff_leave_keeps_the_record_and_disables_login(world):
    staff = world.staff["agent"]
    services.staff_leave(actor=world.users["cs_manager"], staff=staff, left_on=dt.date(2026, 11, 20))
    staff.refresh_from_db()
    staff.user.refresh_from_db()
    assert staff.status == StaffStatus.LEFT
    assert not staff.user.is_active
    assert staff.estates.count() == 0
    with pytest.raises(ValidationError):
        services.staff_leave(actor=world.users["cs_manager"], staff=staff, left_on=dt.date(2026, 11, 21))


@pytest.mark.django_db
def test_staff_set_estates_is_audited(world):
    staff = world.staff["agent"]
    services.staff_set_estates(actor=world.users["cs_manager"], staff=staff, estates=[world.estate_a, world.estate_b])
    event = AuditEvent.objects.get(event_type="staff.estates")
    assert event.data["after"] == sorted([world.estate_a.pk, world.estate_b.pk])
