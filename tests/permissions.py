"""The permission matrices' shared part: the personas, the expected codes per persona, the request.

A matrix row is (method, URL name, object key or None, (own codes, foreign codes)); each codes string lists
the status in ROLES order for an object of the home region ("own") and of the other region ("foreign").
Codes: 200 shown, 302 done (or the login redirect for anonymous), 403 visible but not the role's action,
404 outside the scope (foreign objects are not even confirmed to exist).
"""

from __future__ import annotations

import pytest

ROLES = ("staff", "coordinator", "analyst", "observer", "outsider", "outsider_coordinator", "anonymous")

READ = ("200 200 200 200 404 404 302", "404 404 404 404 200 200 302")
EDIT_FORM = ("200 403 403 403 404 404 302", "404 404 404 404 200 403 302")
EDIT_POST = ("302 403 403 403 404 404 302", "404 404 404 404 302 403 302")
EVERYONE = ("200 200 200 200 200 200 302",) * 2
EVERYONE_POST = ("302 302 302 302 302 302 302",) * 2
STAFF_ONLY = ("200 403 403 403 200 403 302",) * 2
# An upload waiting for import is its uploader's alone (superusers aside): everyone else gets 404.
UPLOADER_ONLY = ("200 404 404 404 404 404 302", "404 404 404 404 200 404 302")
UPLOADER_ONLY_POST = ("302 404 404 404 404 404 302", "404 404 404 404 302 404 302")


def matrix_cases(matrix: list[tuple]) -> list:
    """pytest params (method, name, key, side, role, expected) for every row × side × persona."""
    return [
        pytest.param(
            method,
            name,
            key,
            side,
            role,
            int(codes[index].split()[ROLES.index(role)]),
            id=f"{method}-{name.split(':')[-1]}-{key or 'none'}-{side}-{role}",
        )
        for method, name, key, codes in matrix
        for index, side in enumerate(("own", "foreign"))
        if key is not None or side == "own"
        for role in ROLES
    ]


def status_as(client, world, role: str, method: str, url: str) -> int:
    """The status `url` answers `role` (a persona of the `world` fixture, or anonymous)."""
    if role != "anonymous":
        client.force_login(getattr(world, role))
    response = client.post(url) if method == "post" else client.get(url)
    return response.status_code
