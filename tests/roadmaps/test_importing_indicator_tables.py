"""A table of a programme's yearly targets, with no activities, becomes the roadmap's indicators;
year columns beside activities become the activity's indicator."""

import io
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from roadmaps.importing import parse_file  # noqa: E402

TARGETS = "\n".join([
    "Целевые показатели программы развития на 2024-2026 годы",
    "",
    "№\tНаименование показателя\tЕд. изм.\t2024\t2025\t2026",
    "1\tДоля детей, охваченных дополнительным образованием\t%\t75\t78,5\t80 %",
    "2\tЧисло участников олимпиад\tчел.\t120\t1 300\t150",
])


def test_an_indicator_only_table_imports_as_the_roadmaps_indicators_with_yearly_targets():
    roadmap = parse_file(TARGETS.encode(), "targets.tsv")
    assert roadmap.activities == []
    assert [(i.name, i.unit) for i in roadmap.indicators] == [
        ("Доля детей, охваченных дополнительным образованием", "%"), ("Число участников олимпиад", "чел.")]
    assert roadmap.indicators[0].targets == {2024: Decimal("75"), 2025: Decimal("78.5"), 2026: Decimal("80")}
    assert roadmap.indicators[1].targets[2025] == Decimal("1300")
    assert roadmap.period == (2024, 2026)


def test_an_indicator_only_excel_sheet_with_numbers_is_read():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Наименование показателя", "Единица измерения", "2024 год", "2025 год"])
    sheet.append(["Доля педагогов с категорией", "%", 60.0, 65.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    roadmap = parse_file(buffer.getvalue(), "targets.xlsx")
    assert roadmap.indicators[0].targets == {2024: Decimal("60"), 2025: Decimal("65.5")}


def test_year_columns_beside_activities_become_the_activitys_indicator():
    text = "\n".join([
        "№\tМероприятие\tЕд. изм.\t2024\t2025\tОтветственный",
        "1\tОхват детей кружками\t%\t70\t75\tОтдел",
    ])
    activity = parse_file(text.encode(), "plan.tsv").activities[0]
    assert [(i.name, i.unit, i.targets) for i in activity.indicators] == [
        ("Охват детей кружками", "%", {2024: Decimal("70"), 2025: Decimal("75")})]
