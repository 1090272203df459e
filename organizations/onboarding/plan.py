"""What an onboarding file would do, row by row: plain Python over the rows read from the file and a
snapshot of the directory (`Directory`), no database — the service loads the snapshot, this decides.

Each row ends «будет создана», «будет обновлена», «без изменений» or «отклонена» with its reasons in
Russian. A blank cell is a blank value, never an error; only the cells a row cannot do without are
required (an organisation's full name and, for a new one, its parent; a person's e-mail, organisation and
role). A column left out of the sheet altogether changes nothing in existing organisations. Parents and
organisations may be rows of the same file: a new municipality's authority and its new
schools arrive together. Checks that depend on the value being new (the ИНН checksum, the ИНН taken by
another organisation) run only on changed values, so a file the portal exported always reads back
«без изменений».
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from organizations.models import MembershipRole, OrganizationKind
from organizations.names import normalize_name
from organizations.onboarding.sheets import ORGANIZATION_COLUMNS
from organizations.people import ROLE_RANK

CREATE, UPDATE, SAME, REFUSED = "create", "update", "same", "refused"
STATUS_LABELS = {
    CREATE: "будет создана",
    UPDATE: "будет обновлена",
    SAME: "без изменений",
    REFUSED: "отклонена",
}

KIND_BY_LABEL = {label: value for value, label in OrganizationKind.choices}
ROLE_BY_WORD = {
    "сотрудник": MembershipRole.STAFF,
    "сотрудник органа управления": MembershipRole.STAFF,
    "координатор": MembershipRole.COORDINATOR,
    "аналитик": MembershipRole.ANALYST,
    "наблюдатель": MembershipRole.OBSERVER,
}
ROLE_WORDS = {
    MembershipRole.STAFF: "сотрудник",
    MembershipRole.COORDINATOR: "координатор",
    MembershipRole.ANALYST: "аналитик",
    MembershipRole.OBSERVER: "наблюдатель",
}

# The organisation's text fields the file sets, with their length limits (Organization's max_length).
TEXT_FIELDS = {
    "full_name": 500,
    "short_name": 150,
    "ogrn": 15,
    "address": 500,
    "phone": 100,
    "email": 254,
    "head_name": 200,
    "head_position": 200,
}
COMPARED_FIELDS = (*TEXT_FIELDS, "kind", "inn", "municipality_id")
FIELD_LABELS = {key: header for key, (header, _hint) in ORGANIZATION_COLUMNS.items()} | {
    "municipality_id": ORGANIZATION_COLUMNS["municipality"][0]
}

_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int:
    return sum(w * d for w, d in zip(weights, digits, strict=False)) % 11 % 10


def inn_problem(inn: str) -> str | None:
    """Why an ИНН is wrong (digits and check digits), or None."""
    if not (inn.isascii() and inn.isdigit() and len(inn) in (10, 12)):
        return f"неверный ИНН «{inn}»: нужно 10 цифр (12 у предпринимателя)"
    d = [int(c) for c in inn]
    if len(inn) == 10:
        good = _check_digit(d, _INN10) == d[9]
    else:
        good = _check_digit(d, _INN11) == d[10] and _check_digit(d, _INN12) == d[11]
    return None if good else f"неверный ИНН «{inn}»: не сходится контрольное число"


def _email_problem(email: str) -> str | None:
    try:
        validate_email(email)
    except ValidationError:
        return f"неверный e-mail «{email}»"
    return None


def organization_cells(cells: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """An organisation row's own cells checked alone: the values for the model (kind as its code, short
    name defaulted from the full one) and the problems found."""
    problems: list[str] = []
    values = {key: cells.get(key, "") for key in TEXT_FIELDS}
    if not values["full_name"]:
        problems.append("не указано полное наименование")
    if not values["short_name"]:
        values["short_name"] = values["full_name"][: TEXT_FIELDS["short_name"]]
    for key, limit in TEXT_FIELDS.items():
        if len(values[key]) > limit:
            problems.append(f"в столбце «{FIELD_LABELS[key]}» больше {limit} знаков")
    kind = cells.get("kind", "")
    values["kind"] = ""
    if kind:
        values["kind"] = KIND_BY_LABEL.get(kind.lower(), kind if kind in OrganizationKind.values else "")
        if not values["kind"]:
            problems.append(f"неизвестный вид «{kind}»")
    values["inn"] = cells.get("inn", "")
    if values["inn"] and not (values["inn"].isdigit() and len(values["inn"]) in (10, 12)):
        problems.append(inn_problem(values["inn"]) or "")
    if values["email"] and (problem := _email_problem(values["email"])):
        problems.append(problem.replace("e-mail", "e-mail организации", 1))
    code = cells.get("code", "")
    if code and not (code.isascii() and code.isdigit() and len(code) < 12):
        problems.append(f"неверный код в портале «{code}»: это число из выгрузки")
    return values, problems


def person_cells(cells: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """A person row's own cells checked alone: the e-mail lower-cased, the role as its code."""
    problems: list[str] = []
    email = cells.get("email", "").lower()
    if not email:
        problems.append("не указан e-mail")
    elif problem := _email_problem(email):
        problems.append(problem)
    role_text = " ".join(cells.get("role", "").lower().split())
    role = ROLE_BY_WORD.get(role_text, role_text if role_text in ROLE_RANK else "")
    if not role_text:
        problems.append("не указана роль")
    elif not role:
        problems.append(
            f"неизвестная роль «{cells['role']}»: сотрудник, координатор, аналитик или наблюдатель"
        )
    if not cells.get("organization"):
        problems.append("не указана организация")
    full_name = " ".join(cells.get("full_name", "").split())
    position = cells.get("position", "")
    if len(full_name) > 300:
        problems.append("в столбце «Ф.И.О.» больше 300 знаков")
    if len(position) > 200:
        problems.append("в столбце «Должность» больше 200 знаков")
    return {"email": email, "role": role, "full_name": full_name, "position": position}, problems


# --- The directory as the plan sees it -------------------------------------------------------------------


@dataclass
class KnownOrganization:
    pk: int
    path: str
    parent_id: int | None
    region_id: int | None
    is_active: bool
    version: int
    managed: bool  # in the actor's staff scope
    values: dict[str, object]  # COMPARED_FIELDS as stored


@dataclass
class KnownPerson:
    pk: int
    full_name: str
    is_active: bool
    has_password: bool
    memberships: dict[tuple[int, str], tuple[int, str]]  # (organisation, role) → (membership pk, position)


@dataclass
class Directory:
    organizations: dict[int, KnownOrganization]
    municipalities: dict[tuple[int, str], int]  # (region, normalised name) → pk
    people: dict[str, KnownPerson | None]  # lower-cased e-mail → person; None: several accounts
    foreign_codes: set[int] = field(default_factory=set)  # exist, outside the actor's staff scope
    foreign_inns: set[str] = field(default_factory=set)
    rank_at: Callable[[str], int] = lambda path: 0  # the actor's rank over an organisation path


@dataclass
class OrganizationRow:
    number: int
    cells: dict[str, str]
    status: str = CREATE
    reasons: list[str] = field(default_factory=list)
    values: dict[str, object] = field(default_factory=dict)
    pk: int | None = None  # an existing organisation
    parent_row: int | None = None  # index of a new parent in the file
    parent_pk: int | None = None
    anchor_pk: int | None = None  # the nearest existing organisation at or above it
    depth: int = 0  # new organisations above it in the file
    changes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(self.values.get("short_name") or self.cells.get("full_name") or "—")


@dataclass
class PersonRow:
    number: int
    cells: dict[str, str]
    status: str = CREATE
    reasons: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    organization_row: int | None = None
    organization_pk: int | None = None
    user_pk: int | None = None
    membership_pk: int | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Plan:
    organizations: list[OrganizationRow]
    people: list[PersonRow]

    @property
    def refused(self) -> int:
        return sum(row.status == REFUSED for row in [*self.organizations, *self.people])

    def counts(self, rows: list) -> dict[str, int]:
        return {status: sum(row.status == status for row in rows) for status in STATUS_LABELS}

    @property
    def has_changes(self) -> bool:
        return any(row.status in (CREATE, UPDATE) for row in [*self.organizations, *self.people])


# --- Planning ----------------------------------------------------------------------------------------------


class _References:
    """Resolves «Вышестоящая» and «Организация» cells: ИНН (10 or 12 digits), a portal code (other
    digits) or a name (short or full), the file's rows first, then the actor's part of the directory."""

    def __init__(self, rows: list[OrganizationRow], directory: Directory):
        self.directory = directory
        self.by_inn: dict[str, list[tuple[str, int]]] = {}
        self.by_name: dict[str, list[tuple[str, int]]] = {}
        file_pks = set()
        for index, row in enumerate(rows):
            target = ("db", row.pk) if row.pk else ("file", index)
            if row.pk:
                file_pks.add(row.pk)
            if row.values.get("inn"):
                self.by_inn.setdefault(str(row.values["inn"]), []).append(target)
            for key in ("short_name", "full_name"):
                if row.values.get(key):
                    self._add_name(str(row.values[key]), target)
        for known in directory.organizations.values():
            if not known.managed or known.pk in file_pks:
                continue
            if known.values["inn"]:
                self.by_inn.setdefault(str(known.values["inn"]), []).append(("db", known.pk))
            for key in ("short_name", "full_name"):
                self._add_name(str(known.values[key]), ("db", known.pk))

    def _add_name(self, name: str, target: tuple[str, int]) -> None:
        targets = self.by_name.setdefault(normalize_name(name), [])
        if target not in targets:
            targets.append(target)

    def resolve(self, text: str, what: str) -> tuple[tuple[str, int] | None, str | None]:
        """(("file", row index) or ("db", pk), None), or (None, the reason in Russian)."""
        if text.isascii() and text.isdigit() and len(text) in (10, 12):
            found = list(dict.fromkeys(self.by_inn.get(text, [])))
            if not found:
                if text in self.directory.foreign_inns:
                    return None, f"{what} с ИНН {text} вне вашей зоны"
                return None, f"неизвестная {what} (ИНН {text})"
        elif text.isascii() and text.isdigit():
            pk = int(text)
            known = self.directory.organizations.get(pk) if len(text) < 12 else None
            if known is not None and known.managed:
                return ("db", pk), None
            if known is not None or pk in self.directory.foreign_codes:
                return None, f"{what} с кодом {text} вне вашей зоны"
            return None, f"неизвестная {what} (код {text})"
        else:
            found = self.by_name.get(normalize_name(text), [])
            if not found:
                return None, f"неизвестная {what} «{text}»"
        if len(found) > 1:
            return None, f"{what} «{text}» неоднозначна: таких {len(found)}, укажите ИНН или код в портале"
        return found[0], None


def _duplicates(rows: list, key: Callable[[object], object], message: str) -> None:
    first: dict[object, object] = {}
    for row in rows:
        value = key(row)
        if not value:
            continue
        if value in first:
            other = first[value]
            text = message.format(first=other.number, second=row.number)
            for target in (other, row):
                if text not in target.reasons:
                    target.reasons.append(text)
        else:
            first[value] = row


def plan_rows(
    organization_cells_rows: list[tuple[int, dict[str, str]]],
    person_cells_rows: list[tuple[int, dict[str, str]]],
    directory: Directory,
) -> Plan:
    """Classify every row of the file against `directory`."""
    rows = [OrganizationRow(number=number, cells=cells) for number, cells in organization_cells_rows]
    for row in rows:
        row.values, row.reasons = organization_cells(row.cells)
        if row.cells.get("code", "").isdigit() and not row.reasons:
            row.pk = int(row.cells["code"])
    _duplicates(
        rows, lambda r: r.cells.get("code"), "код в портале повторяется в файле (строки {first} и {second})"
    )
    _duplicates(rows, lambda r: r.values.get("inn"), "ИНН повторяется в файле (строки {first} и {second})")
    references = _References(rows, directory)
    for row in rows:
        _plan_organization(row, references, directory)
    _place_new(rows, directory)
    for row in rows:
        if row.reasons:
            row.status = REFUSED
    people = [PersonRow(number=number, cells=cells) for number, cells in person_cells_rows]
    for person in people:
        person.values, person.reasons = person_cells(person.cells)
    for person in people:
        _plan_person(person, rows, references, directory)
    # One person once per organisation, however the file names it (short name, ИНН or code).
    _duplicates(
        people,
        lambda p: (
            (p.values["email"], p.organization_row, p.organization_pk)
            if p.values["email"] and (p.organization_row is not None or p.organization_pk)
            else None
        ),
        "e-mail повторяется в файле для этой организации (строки {first} и {second})",
    )
    for person in people:
        if person.reasons:
            person.status = REFUSED
    return Plan(organizations=rows, people=people)


def _municipality(row: OrganizationRow, region_id: int | None, directory: Directory) -> None:
    name = row.cells.get("municipality", "")
    row.values["municipality_id"] = None
    if name:
        found = directory.municipalities.get((region_id, normalize_name(name))) if region_id else None
        if found is None:
            row.reasons.append(f"неизвестное муниципальное образование «{name}»")
        row.values["municipality_id"] = found


def _plan_organization(row: OrganizationRow, references: _References, directory: Directory) -> None:
    if row.reasons:
        return
    if row.pk is None:
        parent_text = row.cells.get("parent", "")
        if not parent_text:
            row.reasons.append("не указана вышестоящая организация")
            return
        target, problem = references.resolve(parent_text, "вышестоящая организация")
        if problem:
            row.reasons.append(problem)
        elif target[0] == "file":
            row.parent_row = target[1]
        else:
            row.parent_pk = target[1]
        if row.values["inn"] and (problem := inn_problem(str(row.values["inn"]))):
            row.reasons.append(problem)
        return
    known = directory.organizations.get(row.pk)
    if known is None or not known.managed:
        if known is not None or row.pk in directory.foreign_codes:
            row.reasons.append(f"организация с кодом {row.pk} вне вашей зоны")
        else:
            row.reasons.append(f"нет организации с кодом {row.pk}")
        return
    row.anchor_pk = known.pk
    for key in (*TEXT_FIELDS, "inn"):
        if key not in row.cells:  # a column left out of the file keeps what the portal has
            row.values[key] = known.values[key]
    parent_text = row.cells.get("parent", "")
    if "parent" in row.cells and parent_text != (str(known.parent_id) if known.parent_id else ""):
        target, problem = (
            references.resolve(parent_text, "вышестоящая организация") if parent_text else (None, None)
        )
        if target != (("db", known.parent_id) if known.parent_id else None):
            row.reasons.append(
                problem or "другая вышестоящая: перенос делается на странице организации («Перенести»)"
            )
    if not row.values["kind"]:
        row.values["kind"] = known.values["kind"]
    if "municipality" in row.cells:
        _municipality(row, known.region_id, directory)
    else:
        row.values["municipality_id"] = known.values["municipality_id"]
    changed = [key for key in COMPARED_FIELDS if _differs(row.values[key], known.values[key])]
    row.changes = [FIELD_LABELS[key] for key in changed]
    if "inn" in changed and row.values["inn"] and (problem := inn_problem(str(row.values["inn"]))):
        row.reasons.append(problem)
    row.status = UPDATE if row.changes else SAME


def _differs(new: object, old: object) -> bool:
    if isinstance(new, str) or isinstance(old, str):
        return str(new or "").strip() != str(old or "").strip()
    return new != old


def _place_new(rows: list[OrganizationRow], directory: Directory) -> None:
    """New organisations: the chain of file parents up to an existing organisation (its anchor) gives the
    depth, the region and the scope; a refused parent refuses the rows below it."""
    inn_owner = {}
    for known in directory.organizations.values():
        if known.values["inn"]:
            inn_owner.setdefault(str(known.values["inn"]), known.pk)
    for row in rows:
        if row.pk is not None or row.reasons:
            continue
        inn = str(row.values["inn"])
        if inn and (inn in inn_owner or inn in directory.foreign_inns):
            code = f" (код {inn_owner[inn]})" if inn in inn_owner else ""
            row.reasons.append(
                f"организация с ИНН {inn} уже есть в портале{code}: укажите её код, чтобы обновить"
            )
    for row in rows:
        if row.pk is not None:
            continue
        seen = {id(row)}
        current, depth = row, 0
        while current.parent_row is not None:
            parent = rows[current.parent_row]
            depth += 1
            if id(parent) in seen:
                row.reasons.append("вышестоящие организации в файле замыкаются в круг")
                break
            seen.add(id(parent))
            current = parent
        else:
            row.depth = depth
            row.anchor_pk = current.parent_pk if current.pk is None else current.pk
    changed = True
    while changed:  # a refused parent refuses its rows, down the chain
        changed = False
        for row in rows:
            if (
                row.pk is None
                and not row.reasons
                and row.parent_row is not None
                and rows[row.parent_row].reasons
            ):
                row.reasons.append(
                    f"вышестоящая организация в строке {rows[row.parent_row].number} отклонена"
                )
                changed = True
    for row in rows:
        if row.pk is not None or row.reasons:
            continue
        anchor = directory.organizations.get(row.anchor_pk) if row.anchor_pk else None
        if anchor is None:
            row.reasons.append("неизвестная вышестоящая организация")
            continue
        if row.parent_pk is not None and not anchor.is_active:
            row.reasons.append("вышестоящая организация не действует")
        if not row.values["kind"]:
            row.values["kind"] = OrganizationKind.OTHER
        _municipality(row, anchor.region_id, directory)
        row.changes = []


def _plan_person(
    person: PersonRow, rows: list[OrganizationRow], references: _References, directory: Directory
) -> None:
    if person.reasons:
        return
    target, problem = references.resolve(person.cells["organization"], "организация")
    if problem:
        person.reasons.append(problem)
        return
    if target[0] == "file":
        organization_row = rows[target[1]]
        if organization_row.status == REFUSED:
            person.reasons.append(
                f"организация в строке {organization_row.number} листа «Организации» отклонена"
            )
            return
        person.organization_row = target[1]
        anchor = directory.organizations[organization_row.anchor_pk]
        path = anchor.path + "new/"  # anything below the anchor: the actor's rank there
    else:
        known = directory.organizations[target[1]]
        if not known.is_active:
            person.reasons.append("организация не действует")
        person.organization_pk = known.pk
        path = known.path
    role = person.values["role"]
    if directory.rank_at(path) < ROLE_RANK[role]:
        person.reasons.append(f"роль «{ROLE_WORDS[role]}» выше вашей в этой организации")
    email = person.values["email"]
    if email in directory.people and directory.people[email] is None:
        person.reasons.append("с этим e-mail несколько учётных записей; обратитесь к администратору")
        return
    existing = directory.people.get(email)
    if existing is None:
        if not person.values["full_name"]:
            person.reasons.append("не указаны Ф.И.О.")
        person.notes.append("новая учётная запись, приглашение придёт на e-mail")
        return
    person.user_pk = existing.pk
    if not existing.is_active:
        person.reasons.append("учётная запись с этим e-mail отключена; сначала включите её")
        return
    held = existing.memberships.get((person.organization_pk, role)) if person.organization_pk else None
    if held is None:
        person.status = UPDATE
        person.notes.append("учётная запись уже есть: будет добавлена роль")
    else:
        person.membership_pk = held[0]
        if "position" not in person.cells:
            person.values["position"] = held[1]
        person.status = UPDATE if _differs(person.values["position"], held[1]) else SAME
        if person.status == UPDATE:
            person.notes.append("изменится должность")
