"""Next year's copy of a roadmap («Создать на следующий год») and two editions compared."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from roadmaps.access import roadmap_get_for_user
from roadmaps.selectors import editions
from roadmaps.services.copying import MAX_YEARS, default_copy_title, roadmap_copy
from roadmaps.views._common import add_service_errors


class RoadmapCopyForm(forms.Form):
    years = forms.IntegerField(
        label="Сдвинуть период на (лет)", min_value=1, max_value=MAX_YEARS, initial=1,
        help_text="Годы и даты в сроках мероприятий и целевые значения показателей сдвигаются так же.",
    )  # fmt: skip
    title = forms.CharField(
        label="Наименование новой дорожной карты", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


def roadmap_copy_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A new draft from this roadmap for a later period; staff of the owner (an archived one too: last
    year's plan is often archived by the time next year's is made)."""
    source = roadmap_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("roadmaps.manage_roadmap", source):
        raise PermissionDenied
    form = RoadmapCopyForm(request.POST or None, initial={"title": default_copy_title(source, 1)})
    if request.method == "POST" and form.is_valid():
        try:
            copy = roadmap_copy(
                actor=request.user, source=source, years=form.cleaned_data["years"],
                title=form.cleaned_data["title"],
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            review = len(copy.copy_review)
            text = f"Создан черновик на {copy.period_display}."
            if review:
                text += f" Проверьте изменения, перечисленные на странице (всего {review})."
            messages.success(request, text)
            return redirect("roadmaps:roadmap-detail", pk=copy.pk)
    context = {"roadmap": source, "form": form, "max_years": MAX_YEARS}
    return render(request, "roadmaps/roadmap_copy_form.html", context)


def roadmap_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two states of a roadmap (editions, the original, now): added, removed, changed activities."""
    roadmap = roadmap_get_for_user(user=request.user, pk=pk)
    states = editions.edition_states(roadmap=roadmap)
    by_key = {state.key: state for state in states}
    edition = by_key.get(request.GET.get("edition", ""))
    if edition is not None and edition.revision is not None:  # the edition's page: its own changes
        before, after = editions.state_before(states, edition.revision), edition
    else:
        before = by_key.get(request.GET.get("from", ""), states[0])
        after = by_key.get(request.GET.get("to", ""), states[-1])
    if list(by_key).index(before.key) > list(by_key).index(after.key):
        before, after = after, before  # older on the left, whichever way they were picked
    comparison = editions.compare_states(roadmap=roadmap, states=states, before=before, after=after)
    return render(request, "roadmaps/roadmap_compare.html", {"roadmap": roadmap, "comparison": comparison})
