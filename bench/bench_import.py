"""Time the importer on a large generated roadmap.

Builds a 2,000-activity .xlsx in memory with the importer's own writer (made-up Russian text), then
times ``parse_file`` on it and prints one line:  import: parsed 2000-activity xlsx in X.XX s
On PostgreSQL it also times saving it, and the way from the upload of a 50,000-row .xlsx to its parsed
result stored for the preview (the services the upload view and the worker call):
import: preview of a 50000-row xlsx ready in X.XX s

Run: .venv/bin/python bench/bench_import.py
"""

from __future__ import annotations

import datetime
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from roadmaps.importing import (  # noqa: E402
    ParsedAct,
    ParsedActivity,
    ParsedResponsible,
    ParsedRoadmap,
    ParsedSection,
    parse_file,
)
from roadmaps.importing.writers import write_xlsx  # noqa: E402

ACTIVITIES = 2000
SECTIONS = 20
PREVIEW_ROWS = 50_000

ACTIONS = ["Проведение", "Организация", "Разработка", "Подготовка", "Мониторинг", "Обновление", "Внедрение",
           "Обобщение", "Анализ", "Сопровождение"]
OBJECTS = ["семинара для заместителей директоров", "методических рекомендаций по функциональной грамотности",
           "муниципального конкурса проектных работ", "курсов повышения квалификации учителей",
           "сетевой программы дополнительного образования", "плана работы школьных библиотек",
           "летней профильной смены для старшеклассников", "диагностики читательских умений",
           "стажировочной площадки для молодых педагогов", "родительского всеобуча по профориентации"]
PLACES = ["на базе районного методического кабинета", "в дистанционном формате", "в школах района",
          "в Доме детского творчества", "на площадке центра «Точка роста»"]
ORGS = ["Управление образования администрации района", "Районный методический кабинет", "МБОУ СОШ № 3",
        "МБОУ «Лицей № 1»", "МБУ ДО «Дом детского творчества»", "Центр психолого-педагогической поддержки",
        "Общеобразовательные организации района", "Совет директоров школ"]
DEADLINES = ["Ежеквартально", "Март - апрель 2025 года", "до 15.05.2025", "Сентябрь 2025 г., ежегодно",
             "01.09.2025\n01.09.2026\n01.09.2027", "В течение учебного года", "По графику", "2025-2027"]
RESULTS = ["Проведено не менее 4 занятий, охват 120 педагогов", "Аналитическая справка", "Приказ управления",
           "Методические рекомендации размещены на сайте", "Сформирован реестр участников"]


def made_up_roadmap(count: int = ACTIVITIES, seed: int = 20250101) -> ParsedRoadmap:
    rng = random.Random(seed)
    sections = []
    per_section = count // SECTIONS
    for s in range(1, SECTIONS + 1):
        activities = []
        for a in range(1, per_section + 1):
            orgs = rng.sample(ORGS, rng.randint(1, 3))
            agreement = [rng.random() < 0.3 for _ in orgs]
            pairs = list(zip(orgs, agreement, strict=True))
            text = "\n".join(o + (" (по согласованию)" if g else "") for o, g in pairs)
            activities.append(ParsedActivity(
                number=f"{s}.{a}",
                title=f"{rng.choice(ACTIONS)} {rng.choice(OBJECTS)} {rng.choice(PLACES)}",
                place_and_format=rng.choice(PLACES).capitalize(),
                deadline_text=rng.choice(DEADLINES),
                responsible_text=text,
                responsible=[ParsedResponsible(o, g) for o, g in pairs],
                planned_result=rng.choice(RESULTS),
                done=rng.random() < 0.2,
                links=[f"https://edu.example.ru/news/{s}-{a}"] if rng.random() < 0.3 else [],
            ))
        sections.append(ParsedSection(title=f"Направление работы {s}: {rng.choice(OBJECTS)}", number=str(s),
                                      activities=activities))
    act = ParsedAct("постановление", "администрации района", "123", datetime.date(2025, 2, 1),
                    "Утвержден постановлением администрации района от 01.02.2025 № 123")
    return ParsedRoadmap(title="План мероприятий по развитию образования района на 2025-2027 годы",
                         period=(2025, 2027), approving_act=act, sections=sections)


def main() -> None:
    data = write_xlsx(made_up_roadmap())
    started = time.perf_counter()
    parsed = parse_file(data, "bench.xlsx")
    elapsed = time.perf_counter() - started
    assert len(parsed.activities) == ACTIVITIES, len(parsed.activities)
    print(f"import: parsed {len(parsed.activities)}-activity xlsx in {elapsed:.2f} s")
    _bench_save(data)
    _bench_preview()


def _bench_save(data: bytes) -> None:
    """Parse and save in one transaction on PostgreSQL, rolled back so the bench data set stays as it was."""
    import os

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("import: save skipped — measured on PostgreSQL (set DATABASE_URL)")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import transaction

    from organizations.models import Organization
    from roadmaps.importing.save import roadmap_import
    from roadmaps.models import Checkpoint

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            owner = Organization.objects.create(full_name="Управление образования", short_name="УО-замер")
            started = time.perf_counter()
            roadmap = roadmap_import(actor=None, parsed=parse_file(data, "bench.xlsx"), owner=owner)
            elapsed = time.perf_counter() - started
            checkpoints = Checkpoint.objects.filter(activity__roadmap=roadmap).count()
            raise Rollback
    except Rollback:
        pass
    print(
        f"import: parsed and saved {ACTIVITIES}-activity xlsx with {checkpoints} checkpoints"
        f" in {elapsed:.2f} s (PostgreSQL, one transaction)"
    )



def _bench_preview() -> None:
    """Upload → parsed result stored, through the upload services, in one transaction rolled back; the
    worker's part is called directly, so no broker or worker is needed."""
    import json
    import os
    import tempfile

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("import: preview skipped — measured on PostgreSQL (set DATABASE_URL)")
        return
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-import-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from organizations.models import Organization
    from roadmaps.importing.uploads import upload_delete
    from roadmaps.models import ImportUpload
    from roadmaps.services.imports import import_upload_create, import_upload_parse

    data = write_xlsx(made_up_roadmap(PREVIEW_ROWS))

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            owner = Organization.objects.create(full_name="Управление образования", short_name="УО-замер")
            user = get_user_model().objects.create(username="bench-import-preview")
            started = time.perf_counter()
            upload = import_upload_create(actor=user, owner=owner, file_name="bench.xlsx", data=data)
            status = import_upload_parse(upload_id=upload.pk)
            elapsed = time.perf_counter() - started
            stored = ImportUpload.objects.get(pk=upload.pk)
            assert status == "ready", stored.refusal
            activities = sum(len(section["activities"]) for section in json.loads(stored.parsed)["sections"])
            assert activities == PREVIEW_ROWS, activities
            upload_delete(upload.stored_name)
            raise Rollback
    except Rollback:
        pass
    print(f"import: preview of a {PREVIEW_ROWS}-row xlsx ready in {elapsed:.2f} s")


if __name__ == "__main__":
    main()
