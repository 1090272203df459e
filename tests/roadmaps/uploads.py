"""Uploading a file for import as staff do, in tests whose transaction never commits."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roadmaps.models import ImportUpload
from roadmaps.services.imports import import_upload_parse


def preview_after_upload(client, owner, name: str, data: bytes) -> str:
    """Post the file, run the worker's parse (on commit, which a test never reaches) and follow the
    progress page to the preview; returns the preview's address."""
    response = client.post(
        reverse("roadmaps:import-upload"), {"owner": owner.pk, "document": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    import_upload_parse(upload_id=ImportUpload.objects.latest("pk").pk)
    status = client.get(response["Location"])
    assert status.status_code == 302, status.content.decode()[:500]
    return status["Location"]
