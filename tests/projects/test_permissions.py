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

ROLES = ("staff", "coordinator", "analyst", "observer", "outsider", "outsider_coordinator", "anonymous")

# In ROLES order, for the home region's object ("own") and the other region's ("foreign").
READ = ("200 200 200 200 404 404 302", "404 404 404 404 200 200 302")
EDIT_FORM = ("200 403 403 403 404 404 302", "404 404 404 404 200 403 302")
EDIT_POST = ("302 403 403 403 404 404 302", "404 404 404 404 302 403 302")
EVERYONE = ("200 200 200 200 200 200 302",) * 2
STAFF_ONLY = ("200 403 403 403 200 403 302",) * 2
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


CASES = [
    pytest.param(
        method,
        name,
        key,
        side,
        role,
        int(codes[index].split()[ROLES.index(role)]),
        id=f"{method}-{name.split(':')[-1]}-{key or 'none'}-{side}-{role}",
    )
    for method, name, key, codes in MATRIX
    for index, side in enumerate(("own", "foreign"))
    if key is not None or side == "own"
    for role in ROLES
]


@pytest.mark.parametrize(("method", "name", "key", "side", "role", "expected"), CASES)
def test_status_by_role_and_region(client, world, objects, method, name, key, side, role, expected):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    url = reverse(name, args=[objects[side][key].pk] if key else [])
    response = client.post(url) if method == "post" else client.get(url)
    assert response.status_code == expected, f"{method.upper()} {url} as {role}"


def test_a_person_without_memberships_sees_no_projects(client, world, projects):
    client.force_login(factories.UserFactory(username="nobody"))
    assert client.get(reverse("projects:project-list")).status_code == 403
    assert client.get(reverse("projects:project-detail", args=[projects.national.pk])).status_code == 404
