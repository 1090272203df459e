"""Two states of a roadmap side by side: which activities an edition added, removed and changed, field by
field (as OpenProject's baseline comparison does), read from django-simple-history.

When an edition's state is: an approved roadmap changes only within its one draft edition
(roadmaps/services/lifecycle.py), and the next edition can only be opened after that one is in force. So
the roadmap «as of» an edition is what history holds just before the next edition was opened (or now, for
the latest one), and «before» an edition is what history holds when it was opened. The states offered:

- `original` — before the first edition (as approved, or as it stood when the first edition was opened);
- `<revision pk>` — with that edition's changes;
- `now` — as it is.

A fixed number of queries whatever the roadmap's size: the editions, then the activities', sections' and
responsibilities' history once each (both states from the same rows), and the organisations' names.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from organizations.models import Organization
from roadmaps.models import Activity, Responsibility, Revision, Roadmap, Section
from roadmaps.numbering import number_sort_key

ORIGINAL = "original"
NOW = "now"

# The fields compared, in the order a reader of the table expects them.
COMPARED_FIELDS = (
    "number",
    "title",
    "section",
    "deadline_text",
    "responsible_text",
    "responsibilities",
    "planned_result",
    "result_document",
    "goal_and_tasks",
    "place_and_format",
    "target_audience",
    "links",
    "comment",
    "revision_note",
)
FIELD_LABELS = {
    "section": "Раздел",
    "responsibilities": "Ответственные организации",
    **{
        name: str(Activity._meta.get_field(name).verbose_name).capitalize()
        for name in COMPARED_FIELDS
        if name not in ("section", "responsibilities")
    },
}
NO_SECTION = "Без раздела"
SPECIAL = ("section", "responsibilities")


@dataclass(frozen=True)
class State:
    """One side of the comparison: a key for the form, its label, the moment history is read at."""

    key: str
    label: str
    cutoff: datetime.datetime | None  # None: now
    revision: Revision | None = None


@dataclass
class FieldChange:
    name: str
    label: str
    before: str
    after: str


@dataclass
class ActivityRow:
    activity_id: int
    number: str
    title: str
    kind: str  # "added", "removed", "changed"
    values: dict[str, str] = field(default_factory=dict)  # added / removed: what it holds
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return {"added": "добавлено", "removed": "исключено", "changed": "изменено"}[self.kind]


@dataclass
class SectionGroup:
    title: str
    rows: list[ActivityRow] = field(default_factory=list)


@dataclass
class Comparison:
    roadmap: Roadmap
    states: list[State]
    before: State
    after: State
    groups: list[SectionGroup]
    added: int = 0
    removed: int = 0
    changed: int = 0
    unchanged: int = 0
    # When history holds no change for the edition (it came in with the imported document, which
    # carries only its final text): the activities whose notes cite the edition's act, (number, title).
    cited: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.added + self.removed + self.changed


def edition_states(*, roadmap: Roadmap) -> list[State]:
    """The states a roadmap can be compared at, oldest first. One query."""
    revisions = list(roadmap.revisions.select_related("act").order_by("created_at", "pk"))
    states = [
        State(
            ORIGINAL,
            "Первоначальная редакция" + (f" ({roadmap.approved_by_act})" if roadmap.approved_by_act else ""),
            revisions[0].created_at if revisions else None,
        )
    ]
    for index, revision in enumerate(revisions):
        following = revisions[index + 1].created_at if index + 1 < len(revisions) else None
        label = f"Редакция от {revision.date:%d.%m.%Y}" + (f" — {revision.act}" if revision.act else "")
        if revision.status == Revision.Status.DRAFT:
            label += " (готовится)"
        states.append(State(str(revision.pk), label, following, revision))
    states.append(State(NOW, "Сейчас", None))
    return states


def state_before(states: list[State], revision: Revision) -> State:
    """The state just before `revision` was opened: the one listed before it."""
    keys = [state.key for state in states]
    return states[keys.index(str(revision.pk)) - 1]


def _latest(rows, cutoff: datetime.datetime | None) -> dict[int, object]:
    """Of history rows ordered by id and newest first, each object's row as of `cutoff` (absent once
    deleted)."""
    found: dict[int, object] = {}
    seen: set[int] = set()
    for row in rows:
        if row.id in seen or (cutoff is not None and row.history_date > cutoff):
            continue
        seen.add(row.id)
        if row.history_type != "-":
            found[row.id] = row
    return found


def _history(model, **filters) -> list:
    return list(model.history.filter(**filters).order_by("id", "-history_date", "-history_id"))


def compare_states(*, roadmap: Roadmap, states: list[State], before: State, after: State) -> Comparison:
    """What changed from `before` to `after`. Four queries."""
    activity_rows = _history(Activity, roadmap_id=roadmap.pk)
    section_rows = _history(Section, roadmap_id=roadmap.pk)
    responsibility_rows = _history(
        Responsibility, activity_id__in=sorted({row.id for row in activity_rows})
    )  # one query: the ids are in hand
    names = dict(
        Organization.objects.filter(pk__in={row.organization_id for row in responsibility_rows}).values_list(
            "pk", "short_name"
        )
    )

    def read(state: State) -> dict[int, dict[str, str]]:
        section_label = {
            pk: f"{row.number} {row.title}".strip() for pk, row in _latest(section_rows, state.cutoff).items()
        }
        responsible: dict[int, list[tuple[int, str]]] = {}
        for row in _latest(responsibility_rows, state.cutoff).values():
            suffix = " (по согласованию)" if row.by_agreement else ""
            role = " — соисполнитель" if row.role == "co" else ""
            responsible.setdefault(row.activity_id, []).append(
                (row.position, f"{names.get(row.organization_id, '—')}{suffix}{role}")
            )
        values: dict[int, dict[str, str]] = {}
        for pk, row in _latest(activity_rows, state.cutoff).items():
            values[pk] = {
                **{name: str(getattr(row, name) or "") for name in COMPARED_FIELDS if name not in SPECIAL},
                "section": section_label.get(row.section_id, NO_SECTION),
                "responsibilities": "; ".join(text for _, text in sorted(responsible.get(pk, []))),
            }
        return values

    old, new = read(before), read(after)
    comparison = Comparison(roadmap=roadmap, states=states, before=before, after=after, groups=[])
    groups: dict[str, SectionGroup] = {}
    rows: list[tuple[tuple, str, ActivityRow]] = []
    for pk in old.keys() | new.keys():
        was, now = old.get(pk), new.get(pk)
        current = now or was
        if was is None:
            row = ActivityRow(pk, now["number"], now["title"], "added", values=_shown(now))
            comparison.added += 1
        elif now is None:
            row = ActivityRow(pk, was["number"], was["title"], "removed", values=_shown(was))
            comparison.removed += 1
        else:
            changes = [
                FieldChange(name, FIELD_LABELS[name], was[name], now[name])
                for name in COMPARED_FIELDS
                if was[name] != now[name]
            ]
            if not changes:
                comparison.unchanged += 1
                continue
            row = ActivityRow(pk, now["number"], now["title"], "changed", changes=changes)
            comparison.changed += 1
        rows.append(((number_sort_key(current["number"]), pk), current["section"], row))
    for _key, section, row in sorted(rows, key=lambda item: item[0]):
        groups.setdefault(section, SectionGroup(section)).rows.append(row)
    comparison.groups = list(groups.values())
    if not comparison.total and after.revision is not None and after.revision.act is not None:
        comparison.cited = _citing(_latest(activity_rows, None).values(), after.revision.act)
    return comparison


def _citing(activity_rows, act) -> list[tuple[str, str]]:
    """Activities whose «в ред.» notes name the act by its number and date, in their order."""
    date = f"{act.date:%d.%m.%Y}"
    number = act.number.strip()
    found = [
        (row.number, row.title)
        for row in activity_rows
        if any(date in line and number in line for line in (row.revision_note or "").splitlines())
    ]
    return sorted(found, key=lambda item: number_sort_key(item[0]))


def _shown(values: dict[str, str]) -> dict[str, str]:
    """An added or removed activity's filled fields, labelled, in the table's order."""
    return {
        FIELD_LABELS[name]: values[name]
        for name in COMPARED_FIELDS
        if name not in ("number", "title") and values[name]
    }
