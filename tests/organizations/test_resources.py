"""The admin's organisation import-export resource (organizations/resources.py)."""

from __future__ import annotations

import tablib

from organizations.models import Organization
from organizations.resources import OrganizationResource


def test_the_admins_own_export_imports_back_with_no_changes(world):
    world.school.phone = ""
    world.school.save()
    exported = OrganizationResource().export()
    before = list(Organization.history.values_list("pk", flat=True))
    result = OrganizationResource().import_data(tablib.Dataset().load(exported.xlsx, format="xlsx"))
    assert not result.has_errors(), [row.errors for row in result.rows if row.errors]
    assert not result.has_validation_errors(), [row.validation_error for row in result.invalid_rows]
    assert {row.import_type for row in result.rows} == {"skip"}
    assert list(Organization.history.values_list("pk", flat=True)) == before


def test_blank_cells_import_as_blank_values(world):
    headers = ["id", "full_name", "short_name", "kind", "parent", "region", "address", "phone", "email",
               "inn", "ogrn", "head_name", "head_position"]  # fmt: skip
    dataset = tablib.Dataset(headers=headers)
    dataset.append([None, "Новая школа", "НШ", "school", "ДО", "70", *[None] * 7])
    result = OrganizationResource().import_data(dataset)
    assert not result.has_errors(), [row.errors for row in result.rows if row.errors]
    assert not result.has_validation_errors(), [row.validation_error for row in result.invalid_rows]
    created = Organization.objects.get(short_name="НШ")
    assert (created.phone, created.inn, created.parent) == ("", "", world.region_org)
