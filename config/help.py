"""«Справка» (/help/): a short Russian help, one page per role, with screenshots the browser tests take.

Public and read-only: it holds no data, and the login page links to it for people who cannot sign in yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@dataclass(frozen=True)
class HelpPage:
    slug: str
    title: str
    summary: str

    @property
    def template(self) -> str:
        return f"help/{self.slug}.html"


HELP_PAGES = (
    HelpPage(
        "staff",
        "Сотрудник органа управления",
        "Создать или импортировать дорожную карту, утвердить её, назначить ответственных, проверить отчёты.",
    ),
    HelpPage(
        "coordinator",
        "Координатор организации",
        "Увидеть свои контрольные точки и отчитаться о выполнении с подтверждающим документом.",
    ),
    HelpPage(
        "analyst",
        "Аналитик",
        "Сформировать форму ФИОКО и аналитическую справку, настроить отчёты по расписанию.",
    ),
)
_BY_SLUG = {page.slug: page for page in HELP_PAGES}


@login_not_required
@require_GET
def help_index(request: HttpRequest) -> HttpResponse:
    return render(request, "help/index.html", {"pages": HELP_PAGES})


@login_not_required
@require_GET
def help_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = _BY_SLUG.get(slug)
    if page is None:
        raise Http404("Такого раздела справки нет.")
    return render(request, page.template, {"page": page, "pages": HELP_PAGES})
