"""Time the Excel onboarding of a region: 2,000 organisations and 5,000 people in one file.

Builds the workbook in memory (a regional authority → 60 municipal authorities → schools, and staff and
coordinators for them), then on PostgreSQL times the upload with its preview (read, stored, planned against
the directory) and the confirmation (queued, then applied in one transaction by the worker's service,
called directly so no broker is needed), rolled back so the data set stays as it was, and
prints one line:
onboarding: 2000 organisations and 5000 people: preview X.X s, confirm X.X s (PostgreSQL, one transaction)

Run: DATABASE_URL=postgres://... .venv/bin/python bench/bench_onboarding.py
"""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ORGANIZATIONS = 2000
PEOPLE = 5000
MUNICIPALITIES = 60


def _inn(n: int) -> str:
    prefix = f"70{n:07d}"
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return prefix + str(sum(w * int(d) for w, d in zip(weights, prefix, strict=True)) % 11 % 10)


def made_up_workbook(region_code: str) -> bytes:
    from openpyxl import Workbook

    from organizations.onboarding.sheets import ORGANIZATION_COLUMNS, PERSON_COLUMNS

    book = Workbook(write_only=True)
    organizations = book.create_sheet("Организации")
    organizations.append([header for header, _hint in ORGANIZATION_COLUMNS.values()])
    people = book.create_sheet("Сотрудники")
    people.append([header for header, _hint in PERSON_COLUMNS.values()])
    rows, schools = [], []
    for m in range(1, MUNICIPALITIES + 1):
        name = f"Замерный район № {m}"
        rows.append([None, f"Управление образования района № {m}", f"УО района № {m}",
                     "муниципальный орган управления образованием", f"ДО {region_code}", _inn(m), None, name,
                     f"с. Центральное, ул. Ленина, {m}", "+7 3822 000000", f"uo{m}@example.org", None, None])
    per = (ORGANIZATIONS - MUNICIPALITIES) // MUNICIPALITIES + 1
    n = MUNICIPALITIES
    for m in range(1, MUNICIPALITIES + 1):
        for s in range(1, per + 1):
            if n >= ORGANIZATIONS:
                break
            n += 1
            short = f"СОШ № {s} района № {m}"
            schools.append(short)
            rows.append([None, f"Средняя общеобразовательная школа № {s} района № {m}", short,
                         "общеобразовательная организация", f"УО района № {m}", _inn(n), None,
                         f"Замерный район № {m}", None, None, f"school{n}@example.org", f"Директор {n}",
                         "директор"])  # fmt: skip
    for row in rows:
        organizations.append(row)
    roles = ["координатор", "координатор", "наблюдатель", "аналитик", "сотрудник"]
    for p in range(PEOPLE):
        people.append([f"Учитель{p} Анна Петровна", f"teacher{p}@example.org", schools[p % len(schools)],
                       roles[p % len(roles)], "учитель"])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("onboarding: skipped — measured on PostgreSQL (set DATABASE_URL)")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from organizations.models import Membership, Municipality, Organization, Region
    from organizations.onboarding import services

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            region, _created = Region.objects.get_or_create(code="99", defaults={"name": "Замерная область"})
            Municipality.objects.bulk_create(
                [Municipality(region=region, name=f"Замерный район № {m}") for m in range(1, MUNICIPALITIES + 1)],  # noqa: E501
                ignore_conflicts=True,
            )
            top = Organization.objects.create(
                full_name="Департамент образования замерной области", short_name=f"ДО {region.code}",
                kind=Organization.Kind.REGIONAL_AUTHORITY, region=region,
            )  # fmt: skip
            actor = get_user_model().objects.create(username="bench-onboarding")
            Membership.objects.create(user=actor, organization=top, role=Membership.Role.STAFF)
            data = made_up_workbook(region.code)
            started = time.perf_counter()
            upload = services.onboarding_upload_create(actor=actor, file_name="bench.xlsx", data=data)
            plan = services.onboarding_preview(actor=actor, upload=upload)
            preview = time.perf_counter() - started
            refused = [(r.number, r.reasons) for r in plan.organizations + plan.people if r.reasons]
            assert not refused, refused[:5]
            started = time.perf_counter()
            services.onboarding_confirm(actor=actor, token=upload.token)  # queues the apply after the commit
            result = services.onboarding_apply(upload_id=upload.pk)  # what the worker then runs
            confirm = time.perf_counter() - started
            assert result.organizations_created == ORGANIZATIONS, result
            assert result.memberships_created == PEOPLE, result
            raise Rollback
    except Rollback:
        pass
    print(
        f"onboarding: {ORGANIZATIONS} organisations and {PEOPLE} people: preview {preview:.1f} s,"
        f" confirm {confirm:.1f} s (PostgreSQL, one transaction)"
    )


if __name__ == "__main__":
    main()
