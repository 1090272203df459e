"""Every projects URL × every persona × own and foreign region answers the expected status
(in the style of tests/roadmaps/test_permissions_matrix.py).

Codes: 200 shown, 302 done (or the login redirect for anonymous), 403 visible but not the role's action,
404 outside the scope (foreign projects and participants are not even confirmed to exist).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from projects.models import Participant
from tests import factories
from tests.permissions import EDIT_FORM, EDIT_POST, EVERYONE, READ, STAFF_ONLY, matrix_cases, status_as

# National and federal projects change only in the admin: every persona is refused.
NOBODY = ("403 403 403 403 403 403 302",) * 2

MATRIX = [
    ("get", "projects:project-list", None, EVERYONE),
    ("get", "projects:project-create", None, STAFF_ONLY),
    # An empty form is refused and shown again (200) — only to whoever may create.
    ("post", "projects:project-create", None, STAFF_ONLY),
    ("get", "projects:project-detail", "project", READ),
    ("get", "projects:project-detail", "national", EVERYONE),
    ("get", "projects:project-update", "project", EDIT_FORM),
    ("post", "projects:project-update", "project", EDIT_FORM),
    ("get", "projects:project-update", "national", NOBODY),
    ("post", "projects:project-update", "national", NOBODY),
    ("get", "projects:participant-list", "project", READ),
    ("get", "projects:participant-list", "national", EVERYONE),
    ("get", "projects:participant-export", "project", READ),
    ("get", "projects:participant-add", "project", EDIT_FORM),
    ("post", "projects:participant-add", "project", EDIT_FORM),
    # Staff add their own schools to a national or federal project (the «500+»).
    ("get", "projects:participant-add", "national", STAFF_ONLY),
    ("get", "projects:participant-update", "participant", EDIT_FORM),
    ("post", "projects:participant-update", "participant", EDIT_POST),
    ("post", "projects:participant-remove", "participant", EDIT_POST),
]


@pytest.fixture
def objects(world, projects) -> dict[str, dict]:
    own = Participant.objects.create(project=projects.regional, organization=world.school)
    foreign = Participant.objects.create(
        project=projects.foreign_regional, organization=projects.foreign_school
    )
    return {
        "own": {"project": projects.regional, "national": projects.federal, "participant": own},
        "foreign": {
            "project": projects.foreign_regional,
            "national": projects.national,
            "participant": foreign,
        },
    }


CASES = matrix_cases(MATRIX)


@pytest.mark.parametrize(("method", "name", "key", "side", "role", "expected"), CASES)
def test_status_by_role_and_region(client, world, objects, method, name, key, side, role, expected):
    url = reverse(name, args=[objects[side][key].pk] if key else [])
    assert status_as(client, world, role, method, url) == expected, f"{method.upper()} {url} as {role}"


def test_a_person_without_memberships_sees_no_projects(client, world, projects):
    client.force_login(factories.UserFactory(username="nobody"))
    assert client.get(reverse("projects:project-list")).status_code == 403
    assert client.get(reverse("projects:project-detail", args=[projects.national.pk])).status_code == 404
