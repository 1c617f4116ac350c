"""The backend reads a user's permissions in one query and answers exactly as Django's ModelBackend."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wuye.core.auth import WuyeModelBackend

pytestmark = pytest.mark.django_db


def _fresh(user):
    return User.objects.get(pk=user.pk)  # no permission cache


def test_same_permissions_as_django_in_one_query():
    group = Group.objects.create(name="~testers")
    group.permissions.set(Permission.objects.filter(codename__in=["view_auditevent", "view_user"]))
    user = User.objects.create(username="~perm")
    user.groups.add(group)
    user.user_permissions.add(Permission.objects.get(codename="export_lists"))
    expected = ModelBackend().get_all_permissions(_fresh(user))
    assert expected == {"core.view_auditevent", "auth.view_user", "core.export_lists"}
    fresh = _fresh(user)
    with CaptureQueriesContext(connection) as queries:
        assert WuyeModelBackend().get_all_permissions(fresh) == expected
        assert fresh.has_perm("core.export_lists") and not fresh.has_perm("core.view_backuprun_nonexistent")
    assert len(queries) == 1

    boss = User.objects.create(username="~boss", is_superuser=True)
    assert WuyeModelBackend().get_all_permissions(_fresh(boss)) == ModelBackend().get_all_permissions(_fresh(boss))
    gone = User.objects.create(username="~gone", is_active=False)
    gone.groups.add(group)
    assert WuyeModelBackend().get_all_permissions(_fresh(gone)) == set()
