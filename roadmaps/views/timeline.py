"""The roadmap timeline («План-график»): the page with its filters, and the same timeline as a PDF."""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from django.contrib.staticfiles import finders
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from reports.builders._pdf import render_pdf
from roadmaps import selectors
from roadmaps.access import roadmap_get_for_user
from roadmaps.forms_timeline import TimelineFilterForm
from roadmaps.models import Roadmap
from roadmaps.views._common import today

STYLESHEET = "css/timeline.css"
# Characters no file system takes in a name, and the title's length a name keeps.
_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
TITLE_IN_NAME = 100


def _timeline(request: HttpRequest, roadmap: Roadmap) -> tuple[selectors.Timeline, TimelineFilterForm]:
    options = selectors.timeline_options(roadmap=roadmap)
    form = TimelineFilterForm(request.GET or None, options=options)
    timeline = selectors.roadmap_timeline(roadmap=roadmap, today=today(), options=options, **form.filters())
    return timeline, form


def roadmap_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = roadmap_get_for_user(user=request.user, pk=pk)
    timeline, form = _timeline(request, roadmap)
    chosen = {"section": timeline.section_id, "organization": timeline.organization_id}
    query = urlencode({name: value for name, value in chosen.items() if value is not None})
    context = {"roadmap": roadmap, "timeline": timeline, "form": form, "query": query}
    return render(request, "roadmaps/roadmap_timeline.html", context)


def roadmap_timeline_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The timeline as printed (A4 landscape), with the filters of the page it was asked from."""
    roadmap = roadmap_get_for_user(user=request.user, pk=pk)
    timeline, _form = _timeline(request, roadmap)
    # The page's own stylesheet, inlined: the PDF renderer reads nothing from the file system or network.
    stylesheet = Path(finders.find(STYLESHEET)).read_text(encoding="utf-8")
    context = {"roadmap": roadmap, "timeline": timeline, "stylesheet": stylesheet}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "timeline.pdf"
        render_pdf("roadmaps/pdf/timeline.html", context, path)
        data = path.read_bytes()
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=timeline_file_name(timeline),
        content_type="application/pdf",
    )


def timeline_file_name(timeline: selectors.Timeline) -> str:
    """«План-график — <title of the roadmap> — 01.12.2026.pdf»."""
    title = _UNSAFE_IN_NAMES.sub(" ", timeline.roadmap.title).strip()
    if len(title) > TITLE_IN_NAME:
        title = title[: TITLE_IN_NAME - 1].rstrip() + "…"
    return f"План-график — {title} — {timeline.today:%d.%m.%Y}.pdf"
