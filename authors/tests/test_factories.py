"""The role groups tests make again after a flush are the groups the data migrations made."""

import pytest
from django.contrib.auth.models import Group

from authors.tests.factories import role_group

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["Reporter", "Editor", "Moderator"])
def test_a_role_group_made_again_has_every_permission_the_migrations_gave_it(role):
    migrated = Group.objects.get(name=role)
    granted = set(migrated.permissions.values_list("content_type__app_label", "codename"))
    migrated.delete()

    again = role_group(role)

    assert set(again.permissions.values_list("content_type__app_label", "codename")) == granted
