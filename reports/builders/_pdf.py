"""HTML template → PDF with WeasyPrint, imported lazily so the portal starts on a machine without Pango."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict[str, Any], path: Path | None = None) -> bytes | None:
    """Render a template to an A4 PDF at `path` (or return its bytes when no path is given); fonts come
    from the system (DejaVu), never the network."""
    import weasyprint  # heavy native dependency, loaded only when a PDF is built

    html = render_to_string(template_name, context)
    # Only inline data: resources; a document never reaches the network or the file system.
    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",))
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(target=str(path) if path else None)
