"""The text field Organization.aliases (one spelling a line) moves into OrganizationAlias rows, the one
place the roadmap importer and the organisation form read and write spellings; 0010 drops the field."""

from django.db import migrations

from organizations.names import normalize_name


def aliases_to_rows(apps, schema_editor):
    Organization = apps.get_model("organizations", "Organization")
    OrganizationAlias = apps.get_model("organizations", "OrganizationAlias")
    rows = []
    for organization in Organization.objects.exclude(aliases="").only("pk", "aliases").iterator():
        known = set(
            OrganizationAlias.objects.filter(organization_id=organization.pk).values_list("normalized", flat=True)
        )
        for line in organization.aliases.splitlines():
            spelling = " ".join(line.split())[:500]
            normalized = normalize_name(spelling)
            if spelling and normalized not in known:
                known.add(normalized)
                rows.append(
                    OrganizationAlias(organization_id=organization.pk, spelling=spelling, normalized=normalized)
                )
    OrganizationAlias.objects.bulk_create(rows, batch_size=1000)


def rows_to_aliases(apps, schema_editor):
    """Back: the spellings nobody confirmed (the ones moved here) return to the text field."""
    Organization = apps.get_model("organizations", "Organization")
    OrganizationAlias = apps.get_model("organizations", "OrganizationAlias")
    moved = OrganizationAlias.objects.filter(confirmed_by__isnull=True).order_by("organization_id", "pk")
    by_organization: dict[int, list[str]] = {}
    for organization_id, spelling in moved.values_list("organization_id", "spelling"):
        by_organization.setdefault(organization_id, []).append(spelling)
    for organization_id, spellings in by_organization.items():
        Organization.objects.filter(pk=organization_id).update(aliases="\n".join(spellings))
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [("organizations", "0008_onboarding_upload")]

    operations = [migrations.RunPython(aliases_to_rows, rows_to_aliases)]
