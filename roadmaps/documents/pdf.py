"""The roadmap's approved form as a PDF: the same head and table the .docx writer lays out
(roadmaps/importing/writers.py), rendered from templates/roadmaps/pdf/roadmap.html by WeasyPrint."""

from __future__ import annotations

from django.template.loader import render_to_string

from roadmaps.importing.parsed import ParsedRoadmap
from roadmaps.importing.writers import document_head, table_rows


def write_pdf(parsed: ParsedRoadmap) -> bytes:
    header, rows = table_rows(parsed)
    html = render_to_string(
        "roadmaps/pdf/roadmap.html",
        {"head": document_head(parsed), "header": header, "rows": rows, "width": len(header)},
    )
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    """Fonts come from the system (DejaVu); only inline data: resources, never the network or files."""
    import weasyprint  # heavy native dependency, loaded only when a PDF is built

    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",))
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
