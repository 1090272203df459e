"""Fill the roadmap participants from the responsibilities already there."""

from django.db import migrations


def backfill(apps, schema_editor):
    Participant = apps.get_model("roadmaps", "RoadmapParticipant")
    Responsibility = apps.get_model("roadmaps", "Responsibility")
    pairs = Responsibility.objects.values_list("activity__roadmap_id", "organization_id").distinct().order_by()
    Participant.objects.bulk_create(
        (Participant(roadmap_id=roadmap_id, organization_id=org_id) for roadmap_id, org_id in pairs.iterator()),
        batch_size=5000,
    )


def forget(apps, schema_editor):
    apps.get_model("roadmaps", "RoadmapParticipant").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("roadmaps", "0008_roadmap_participants")]

    operations = [migrations.RunPython(backfill, forget)]
