"""The roadmap's approved form as a PDF: the same head and table the .docx writer lays out
(roadmaps/importing/writers.py), rendered from templates/roadmaps/pdf/roadmap.html by WeasyPrint."""

from __future__ import annotations

from reports.builders._pdf import render_pdf
from roadmaps.importing.parsed import ParsedRoadmap
from roadmaps.importing.writers import document_head, table_rows


def write_pdf(parsed: ParsedRoadmap) -> bytes:
    header, rows = table_rows(parsed)
    context = {"head": document_head(parsed), "header": header, "rows": rows, "width": len(header)}
    return render_pdf("roadmaps/pdf/roadmap.html", context)
