"""Cover letter to the federal coordinator, alone as PDF or bundled with the form in one .zip."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path
from typing import Any

from reports.builders._pdf import render_pdf
from reports.builders.base import SCOPE_PROJECT_REGION, SCOPE_ROADMAP, BuildRequest, ReportBuilder
from reports.builders.fioko_form import write_form
from roadmaps.models import Activity, Roadmap

FORM_NAME = "Отчёт по форме федерального координатора.xlsx"
LETTER_NAME = "Сопроводительное письмо.pdf"


def cover_letter_context(request: BuildRequest) -> dict[str, Any]:
    """Letterhead and signatory from the owner organisation, addressee from the project's coordinator."""
    roadmaps = list(
        Roadmap.objects.filter(pk__in=request.roadmap_ids)
        .select_related("owner", "project__coordinator", "approved_by_act")
        .order_by("pk")
    )
    first = roadmaps[0] if roadmaps else None
    coordinator = first.project.coordinator if first and first.project_id else None
    params = request.parameters
    return {
        "roadmaps": roadmaps,
        "owner": first.owner if first else None,
        "coordinator": coordinator,
        "addressee": params.get("addressee") or (coordinator.head_name if coordinator else ""),
        "outgoing_number": params.get("outgoing_number") or "____",
        "outgoing_date": params.get("outgoing_date") or request.as_of.strftime("%d.%m.%Y"),
        "as_of": request.as_of,
        "activity_count": Activity.objects.filter(roadmap_id__in=request.roadmap_ids).count(),
    }


class CoverLetterBuilder(ReportBuilder):
    """Сопроводительное письмо федеральному координатору: с отчётом по его форме (.zip) или само (.pdf)."""

    code = "fioko_package"
    title = "Письмо федеральному координатору с отчётом"
    formats = ("zip", "pdf")
    scopes = (SCOPE_ROADMAP, SCOPE_PROJECT_REGION)
    version = 2  # the form inside follows FiokoFormBuilder version 2

    def build(self, request: BuildRequest, path: Path) -> None:
        context = cover_letter_context(request)
        if request.format == "pdf":
            render_pdf("reports/pdf/cover_letter.html", context, path)
            return
        # Parts are built next to the target (same file system) and removed with their directory.
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".parts-") as parts:
            letter, form = Path(parts) / "letter.pdf", Path(parts) / "form.xlsx"
            render_pdf("reports/pdf/cover_letter.html", context, letter)
            request.report_progress(30)
            write_form(request, form)
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.write(letter, LETTER_NAME)
                archive.write(form, FORM_NAME)
