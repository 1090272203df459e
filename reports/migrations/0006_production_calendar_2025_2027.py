"""Data: the production calendar of the Russian Federation for 2025–2027 (days off against the week's pattern).

Holidays are art. 112 of the Labour Code; a holiday on a Saturday or Sunday outside the New Year holidays
moves to the next working day unless the government moves it elsewhere. Government transfers:
- 2025 (decree of 04.10.2024 № 1335): 04.01 → 02.05, 05.01 → 31.12, 23.02 → 08.05, 08.03 → 13.06,
  Saturday 01.11 worked → 03.11 off.
- 2026: 03.01 → 09.01, 04.01 → 31.12; 08.03 (Sunday) → 09.03 and 09.05 (Saturday) → 11.05 by art. 112.
- 2027: only the holidays and the art. 112 moves (01.05 → 03.05, 09.05 → 10.05, 12.06 → 14.06); the
  transfer of the New Year weekend days (02.01, 03.01) is to be added in the admin once the decree is out.
Superusers correct the calendar in the admin (reports.ProductionCalendarDay).
"""

import datetime

from django.db import migrations
from django.utils import timezone

NEW_YEAR = "Новогодние каникулы"
CHRISTMAS = "Рождество Христово"
HOLIDAYS = {
    (2, 23): "День защитника Отечества",
    (3, 8): "Международный женский день",
    (5, 1): "Праздник Весны и Труда",
    (5, 9): "День Победы",
    (6, 12): "День России",
    (11, 4): "День народного единства",
}
# (date, is_working, note) beyond the holidays themselves.
TRANSFERS = [
    ("2025-05-02", False, "Выходной, перенесённый с 04.01.2025"),
    ("2025-05-08", False, "Выходной, перенесённый с 23.02.2025"),
    ("2025-06-13", False, "Выходной, перенесённый с 08.03.2025"),
    ("2025-11-01", True, "Рабочая суббота (выходной перенесён на 03.11.2025)"),
    ("2025-11-03", False, "Выходной, перенесённый с 01.11.2025"),
    ("2025-12-31", False, "Выходной, перенесённый с 05.01.2025"),
    ("2026-01-09", False, "Выходной, перенесённый с 03.01.2026"),
    ("2026-03-09", False, "Выходной, перенесённый с 08.03.2026"),
    ("2026-05-11", False, "Выходной, перенесённый с 09.05.2026"),
    ("2026-12-31", False, "Выходной, перенесённый с 04.01.2026"),
    ("2027-05-03", False, "Выходной, перенесённый с 01.05.2027"),
    ("2027-05-10", False, "Выходной, перенесённый с 09.05.2027"),
    ("2027-06-14", False, "Выходной, перенесённый с 12.06.2027"),
]
YEARS = (2025, 2026, 2027)


def calendar_days() -> dict[datetime.date, tuple[bool, str]]:
    days: dict[datetime.date, tuple[bool, str]] = {}
    for year in YEARS:
        for day in range(1, 9):
            days[datetime.date(year, 1, day)] = (False, CHRISTMAS if day == 7 else NEW_YEAR)
        for (month, day), note in HOLIDAYS.items():
            days[datetime.date(year, month, day)] = (False, note)
    for iso, is_working, note in TRANSFERS:
        days[datetime.date.fromisoformat(iso)] = (is_working, note)
    return days


def fill(apps, schema_editor):
    Day = apps.get_model("reports", "ProductionCalendarDay")
    HistoricalDay = apps.get_model("reports", "HistoricalProductionCalendarDay")
    known = set(Day.objects.values_list("date", flat=True))
    Day.objects.bulk_create(
        [
            Day(date=date, is_working=is_working, note=note)
            for date, (is_working, note) in sorted(calendar_days().items())
            if date not in known
        ]
    )
    # The history starts with the calendar as filled here, as if each day had been added.
    now = timezone.now()
    HistoricalDay.objects.bulk_create(
        [
            HistoricalDay(
                id=day.pk,
                date=day.date,
                is_working=day.is_working,
                note=day.note,
                history_date=now,
                history_type="+",
                history_change_reason="Производственный календарь 2025–2027",
            )
            for day in Day.objects.exclude(date__in=known).order_by("date")
        ]
    )


def unfill(apps, schema_editor):
    dates = list(calendar_days())
    apps.get_model("reports", "ProductionCalendarDay").objects.filter(date__in=dates).delete()
    apps.get_model("reports", "HistoricalProductionCalendarDay").objects.filter(date__in=dates).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_reminderlog_once_per_stage_and_day")]

    operations = [migrations.RunPython(fill, unfill)]
