"""Writing the national data set: COPY batches, keys and indexes set aside, `load_national`."""

from __future__ import annotations

import csv
import datetime
import io
import json
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import JSONField, Model

from organizations.models import Membership, Municipality, Organization, Region
from projects.models import Participant, Project
from roadmaps.demo.national.common import AS_OF, BATCH_ROWS, NATIONAL, NATIONAL_PASSWORD, SEED, Sizes, User
from roadmaps.demo.national.country import (
    MEMBERSHIP_FIELDS,
    ORGANIZATION_FIELDS,
    USER_FIELDS,
    Country,
    add_projects,
    build_tree,
    organization_row,
    user_rows,
)
from roadmaps.demo.national.plans import (
    CONTENT_FIELDS,
    ROADMAP_FIELDS,
    Ids,
    RoadmapContents,
    legal_acts,
    plan_roadmaps,
    roadmap_row,
)
from roadmaps.models import (
    Activity,
    Checkpoint,
    LegalAct,
    Roadmap,
    RoadmapParticipant,
)
from roadmaps.participation import participants_rebuild
from roadmaps.services import outcome_snapshots_refresh

# --- Writing -----------------------------------------------------------------------------------------------

FIELDS: dict[type[Model], tuple[str, ...]] = {
    Organization: ORGANIZATION_FIELDS,
    User: USER_FIELDS,
    Membership: MEMBERSHIP_FIELDS,
    Roadmap: ROADMAP_FIELDS,
    **CONTENT_FIELDS,
}
# Every table the national set fills: refused unless empty, and its keys set aside during the load.
WRITTEN = [Region, Municipality, Project, Participant, LegalAct, *FIELDS, RoadmapParticipant]


class CopyWriter:
    """Buffers rows per model (tuples in FIELDS order) and sends each batch with one COPY … FROM STDIN.

    CSV: None becomes an empty unquoted field, which COPY reads as NULL, except in NOT NULL columns
    (FORCE_NOT_NULL), where it is the empty string the model stores there.
    """

    def __init__(self, cursor, batch_rows: int = BATCH_ROWS) -> None:
        self.cursor, self.batch_rows = cursor, batch_rows
        self.written: dict[type[Model], int] = dict.fromkeys(FIELDS, 0)
        self._files: dict[type[Model], io.StringIO] = {}
        self._pending: dict[type[Model], int] = {}

    def write(self, model: type[Model], rows: list[tuple]) -> None:
        file = self._files.setdefault(model, io.StringIO())
        defaulted = _defaulted(model)
        if any(callable(field.default) for field in defaulted):  # e.g. a unique token: one per row
            rows = [row + tuple(_default(field) for field in defaulted) for row in rows]
        else:
            extra = tuple(_default(field) for field in defaulted)
            rows = [row + extra for row in rows]
        csv.writer(file, lineterminator="\n").writerows(rows)
        self._pending[model] = self._pending.get(model, 0) + len(rows)
        if self._pending[model] >= self.batch_rows:
            self._send(model)

    def flush(self) -> None:
        for model in list(self._files):
            self._send(model)

    def _send(self, model: type[Model]) -> None:
        file = self._files.pop(model)
        self.written[model] += self._pending.pop(model)
        file.seek(0)
        self.cursor.copy_expert(_copy_sql(model), file, 1 << 20)


def _defaulted(model: type[Model]) -> list:
    """NOT NULL columns the generator does not write, filled with the model's own default: Django keeps
    defaults in Python, so COPY would leave them NULL (a field added later must not break the set)."""
    written = set(FIELDS[model])
    return [
        field
        for field in model._meta.concrete_fields
        if field.name not in written
        and not field.null
        and (field.has_default() or _stamped(field))
    ]


STAMPED_AT = datetime.datetime.combine(AS_OF, datetime.time(12), tzinfo=datetime.UTC)


def _stamped(field) -> bool:
    """auto_now / auto_now_add: Django fills them on save, which COPY skips; the set's own day goes there
    (not the clock), so two builds stay equal."""
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _default(field) -> object:
    """A field's default as COPY's CSV reads it (JSON as its text)."""
    if _stamped(field):
        return STAMPED_AT
    value = field.get_default()
    return json.dumps(value) if isinstance(field, JSONField) else value


def _copy_sql(model: type[Model]) -> str:
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in FIELDS[model]] + _defaulted(model)
    columns = ", ".join(quote(f.column) for f in fields)
    not_null = ", ".join(quote(f.column) for f in fields if not f.null)
    table = quote(model._meta.db_table)
    return f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({not_null}))"


@contextmanager
def _keys_and_indexes_set_aside(cursor, tables: list[str], progress: Callable[[str], None]) -> Iterator[None]:
    """Drop the foreign keys and non-unique indexes of `tables` for a bulk load; recreate them afterwards.

    Building an index once and checking a key with one join is many times faster than doing either row by
    row, and recreating a foreign key checks every row. Primary keys and unique constraints stay.
    """
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
        [tables],
    )
    keys = cursor.fetchall()
    cursor.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
        " WHERE indrelid = ANY(%s::regclass[]) AND NOT indisunique ORDER BY 1",
        [tables],
    )
    indexes = cursor.fetchall()
    quote = connection.ops.quote_name
    for table, name, _definition in keys:
        cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    started = time.perf_counter()
    for _name, definition in indexes:
        cursor.execute(definition)
    progress(f"national: {len(indexes)} indexes rebuilt in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    for table, name, definition in keys:
        cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
    progress(
        f"national: {len(keys)} foreign keys restored and checked in {time.perf_counter() - started:.0f} s"
    )


def _make_room(cursor, force: bool) -> None:
    quote = connection.ops.quote_name
    tables = [model._meta.db_table for model in WRITTEN]
    filled = []
    for table in tables:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")
        if cursor.fetchone()[0]:
            filled.append(table)
    if filled and not force:
        raise CommandError(
            f"The database already holds data ({', '.join(filled[:3])}…), and the national data set is "
            "written into empty tables: use a fresh database, or --force to empty these tables first."
        )
    if filled:
        # Deferred foreign-key checks of rows written earlier in this transaction would block TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {', '.join(quote(t) for t in tables)} RESTART IDENTITY CASCADE")


def load_national(
    *, sizes: Sizes = NATIONAL, force: bool = False, progress: Callable[[str], None] = print
) -> dict[str, int]:
    """Write the national data set into an empty PostgreSQL database; returns the summary counts."""
    if connection.vendor != "postgresql":
        raise CommandError(
            "The national data set is PostgreSQL-only (it is written with COPY and is far too big for "
            f"{connection.vendor}): set DATABASE_URL=postgres://…"
        )
    started = time.perf_counter()
    rng = random.Random(SEED)
    # One hash for everybody instead of 100,000 slow ones; a fixed salt keeps two builds equal.
    password = make_password(NATIONAL_PASSWORD, salt=f"national{SEED}")
    tables = [model._meta.db_table for model in WRITTEN]

    def note(what: str) -> None:
        progress(f"national: {what} ({time.perf_counter() - started:.0f} s)")

    with transaction.atomic(), connection.cursor() as cursor:
        _make_room(cursor, force)
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        with _keys_and_indexes_set_aside(cursor, tables, progress):
            writer = CopyWriter(cursor)
            country = _write_country(writer, sizes, rng, password)
            note(f"{len(country.orgs)} organisations, {sizes.users} users")
            plans = plan_roadmaps(country, sizes, rng)
            LegalAct.objects.bulk_create(legal_acts(plans, rng), batch_size=2000)
            writer.write(Roadmap, [roadmap_row(plan, rng) for plan in plans])
            ids = Ids()
            for n, plan in enumerate(plans, start=1):
                for model, rows in RoadmapContents(plan, ids, rng).build().rows.items():
                    writer.write(model, rows)
                if n % 500 == 0:
                    note(f"roadmaps {n}/{len(plans)}, checkpoints {writer.written[Checkpoint]:,} sent")
            writer.flush()
            note(", ".join(f"{model._meta.verbose_name_plural} {n:,}" for model, n in writer.written.items()))
            participants_rebuild()  # visibility reads these, derived from the responsibilities
        for statement in connection.ops.sequence_reset_sql(no_style(), WRITTEN):
            cursor.execute(statement)
    with connection.cursor() as cursor:
        # As autovacuum would before long: statistics for the planner, and the visibility map without which
        # PostgreSQL reads the heap instead of an index alone (participants, responsibilities). Inside a
        # transaction (a test's) only ANALYZE may run.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        cursor.execute(f"{command} {', '.join(connection.ops.quote_name(t) for t in tables)}")
    note("loaded, vacuumed and analysed")
    # The scope dashboard reads snapshots: generated data starts counted, like the bench and demo sets.
    note(f"outcome snapshots: {outcome_snapshots_refresh()} roadmaps counted")
    return national_counts()


def _write_country(writer: CopyWriter, sizes: Sizes, rng: random.Random, password: str) -> Country:
    country = build_tree(sizes, rng)
    add_projects(country, rng)
    Region.objects.bulk_create([place.region for place in country.places])
    Municipality.objects.bulk_create(
        [t.municipality for p in country.places for t in p.towns], batch_size=2000
    )
    writer.write(Organization, [organization_row(org, rng) for org in country.orgs])
    Project.objects.bulk_create(country.projects)
    Participant.objects.bulk_create(country.participants, batch_size=2000)
    users, memberships = zip(*user_rows(country, sizes, rng, password), strict=True)
    writer.write(User, list(users))
    writer.write(Membership, list(memberships))
    return country


def national_counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "municipalities": Municipality.objects.count(),
        "organizations": Organization.objects.count(),
        "users": User.objects.count(),
        "roadmaps": Roadmap.objects.count(),
        "activities": Activity.objects.count(),
        "checkpoints": Checkpoint.objects.count(),
    }
