"""Deadline wordings that name a rule, a school year or an event rather than a date («Сроки»)."""

import calendar
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmaps import school_year
from roadmaps.deadlines import (
    BY_EVENT_NOTE,
    KIND_BY_EVENT,
    KIND_BY_PLAN,
    KIND_CONTINUOUS,
    KIND_DATES,
    KIND_LABELS,
    KIND_RANGE,
    KIND_RECURRING,
    KIND_UNPARSED,
    KINDS,
    Occurrence,
    parse_deadline,
)
from tests.roadmaps.test_deadlines import assert_schedule_is_sound, periods

Y2025 = (2025, 2025)
Y2025_2026 = (2025, 2026)
Y2025_2027 = (2025, 2027)

MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь",
          "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь")  # fmt: skip
QUARTERS = ("I кв.", "II кв.", "III кв.", "IV кв.")


def day(written: str) -> date:
    number, month, year = map(int, written.split("."))
    return date(year, month, number)


def span(start: str, due: str, label: str) -> Occurrence:
    return Occurrence(day(start), day(due), label)


def until(due: str) -> Occurrence:
    return Occurrence(None, day(due), f"до {due}")


def on(written: str) -> Occurrence:
    return Occurrence(day(written), day(written), written)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_of(year: int, month: int, suffix: str = "") -> Occurrence:
    return Occurrence(date(year, month, 1), month_end(year, month), f"{MONTHS[month - 1]} {year}{suffix}")


def every_month(year: int, suffix: str = "") -> list[Occurrence]:
    return [month_of(year, month, suffix) for month in range(1, 13)]


def every_quarter(first_year: int, last_year: int) -> list[Occurrence]:
    return [
        Occurrence(date(year, 3 * q - 2, 1), month_end(year, 3 * q), f"{QUARTERS[q - 1]} {year}")
        for year in range(first_year, last_year + 1)
        for q in range(1, 5)
    ]


def halves(year: int) -> list[Occurrence]:
    return [span(f"01.01.{year}", f"30.06.{year}", f"I полугодие {year}"),
            span(f"01.07.{year}", f"31.12.{year}", f"II полугодие {year}")]  # fmt: skip


def quarter_then(year: int, day_of_next_month: int, last_quarter: int = 3) -> list[Occurrence]:
    """Each quarter of `year` from its first day to that day of the month after it."""
    return [
        Occurrence(
            date(year, 3 * q - 2, 1), date(year, 3 * q + 1, day_of_next_month), f"{QUARTERS[q - 1]} {year}"
        )
        for q in range(1, last_quarter + 1)
    ]


# fmt: off
DAYS_OF_THE_MONTH = [
    pytest.param("до 20 числа каждого месяца", Y2025, [until(f"20.{m:02}.2025") for m in range(1, 13)],
                 "ежемесячно до 20 числа", id="until-a-day-of-each-month"),
    pytest.param("ежемесячно, не позднее 3-го числа", Y2025, [until(f"03.{m:02}.2025") for m in range(1, 13)],
                 "ежемесячно до 3 числа", id="monthly-no-later-than-the-3rd"),
    pytest.param("Ежемесячно до 10-го числа", Y2025, [until(f"10.{m:02}.2025") for m in range(1, 13)],
                 "ежемесячно до 10 числа", id="monthly-until-the-10th"),
    pytest.param("ежемесячно 5 числа", Y2025, [on(f"05.{m:02}.2025") for m in range(1, 13)],
                 "ежемесячно 5 числа", id="monthly-on-the-5th"),
    pytest.param("до 20 числа каждого месяца, начиная с сентября 2025 года", Y2025,
                 [until(f"20.{m:02}.2025") for m in range(9, 13)], "ежемесячно до 20 числа с 01.09.2025",
                 id="from-a-month-on"),
]

REPORTING_PERIODS = [
    pytest.param("ежеквартально, до 5 числа месяца, следующего за отчётным", Y2025, quarter_then(2025, 5),
                 "ежеквартально, до 5 числа месяца после квартала", id="activity-form-help-text"),
    pytest.param("до 15 числа месяца, следующего за отчётным кварталом", Y2025, quarter_then(2025, 15),
                 "ежеквартально, до 15 числа месяца после квартала", id="after-the-reporting-quarter"),
    pytest.param("до 15 числа месяца, следующего за отчетным", Y2025,
                 [Occurrence(date(2025, m, 1), date(2025, m + 1, 15), f"{MONTHS[m - 1]} 2025")
                  for m in range(1, 12)],
                 "ежемесячно, до 15 числа месяца после месяца", id="after-the-reporting-month"),
    pytest.param("ежеквартально, в течение 10 дней после окончания квартала", Y2025,
                 [Occurrence(date(2025, 3 * q - 2, 1), month_end(2025, 3 * q) + timedelta(days=10),
                             f"{QUARTERS[q - 1]} 2025") for q in (1, 2, 3)],
                 "ежеквартально, в течение 10 дней после окончания квартала", id="days-after-the-quarter"),
    pytest.param("в течение 5 рабочих дней после окончания квартала", Y2025,
                 [span("01.01.2025", "07.04.2025", "I кв. 2025"),
                  span("01.04.2025", "07.07.2025", "II кв. 2025"),
                  span("01.07.2025", "07.10.2025", "III кв. 2025")],
                 "ежеквартально, в течение 5 рабочих дней после окончания квартала", id="working-days-after"),
    pytest.param("по итогам полугодия, до 25 июля", Y2025_2026,
                 [span("01.01.2025", "25.07.2025", "I полугодие 2025"),
                  span("01.01.2026", "25.07.2026", "I полугодие 2026")],
                 "по итогам полугодия, до 25 июля", id="half-year-results-by-a-day"),
    pytest.param("по итогам года, до 20 января", Y2025_2026, [span("01.01.2025", "20.01.2026", "2025")],
                 "по итогам года, до 20 января", id="year-results-early-next-year"),
    pytest.param("по итогам квартала", Y2025, every_quarter(2025, 2025), "по итогам квартала",
                 id="quarter-results"),
]

SCHOOL_YEARS = [
    pytest.param("2025/2026 учебный год", Y2025_2026, KIND_RANGE,
                 [span("01.09.2025", "31.05.2026", "2025/2026 уч. год")], id="school-year"),
    pytest.param("2025-2026 уч. г.", Y2025_2026, KIND_RANGE,
                 [span("01.09.2025", "31.05.2026", "2025/2026 уч. год")], id="school-year-abbreviated"),
    pytest.param("в течение 2025-2026 учебного года", Y2025_2026, KIND_CONTINUOUS,
                 [span("01.09.2025", "31.05.2026", "2025/2026 уч. год")], id="during-a-school-year"),
    pytest.param("в течение 2025/2026 учебного года, включая летний период", Y2025_2026, KIND_CONTINUOUS,
                 [span("01.09.2025", "31.08.2026", "2025/2026 уч. год")], id="school-year-with-the-summer"),
    pytest.param("2025/2026, 2026/2027 учебные годы", Y2025_2027, KIND_DATES,
                 [span("01.09.2025", "31.05.2026", "2025/2026 уч. год"),
                  span("01.09.2026", "31.05.2027", "2026/2027 уч. год")], id="two-school-years"),
    pytest.param("в течение учебного года", Y2025_2026, KIND_CONTINUOUS,
                 [span("01.01.2025", "31.05.2025", "2024/2025 уч. год"),
                  span("01.09.2025", "31.05.2026", "2025/2026 уч. год"),
                  span("01.09.2026", "31.12.2026", "2026/2027 уч. год")],
                 id="each-school-year-of-the-period"),
    pytest.param("по итогам каждой четверти", Y2025, KIND_RECURRING,
                 [span("09.01.2025", "21.03.2025", "III четверть 2024/2025"),
                  span("01.04.2025", "31.05.2025", "IV четверть 2024/2025"),
                  span("01.09.2025", "26.10.2025", "I четверть 2025/2026"),
                  span("05.11.2025", "28.12.2025", "II четверть 2025/2026")], id="each-school-quarter"),
    pytest.param("по итогам I четверти", Y2025_2026, KIND_RECURRING,
                 [span("01.09.2025", "26.10.2025", "I четверть 2025/2026"),
                  span("01.09.2026", "26.10.2026", "I четверть 2026/2027")], id="first-school-quarter"),
    pytest.param("I четверть 2025/2026 учебного года", Y2025_2026, KIND_RANGE,
                 [span("01.09.2025", "26.10.2025", "I четверть 2025/2026")], id="one-stated-school-quarter"),
    pytest.param("по итогам триместра", Y2025, KIND_RECURRING,
                 [span("01.03.2025", "31.05.2025", "III триместр 2024/2025"),
                  span("01.09.2025", "30.11.2025", "I триместр 2025/2026")], id="each-trimester"),
    pytest.param("в каникулярный период", Y2025, KIND_RECURRING,
                 [span("22.03.2025", "31.03.2025", "весенние каникулы 2025"),
                  span("01.06.2025", "31.08.2025", "летние каникулы 2025"),
                  span("27.10.2025", "04.11.2025", "осенние каникулы 2025")], id="holidays"),
    pytest.param("в период летних каникул", Y2025_2026, KIND_RECURRING,
                 [span("01.06.2025", "31.08.2025", "летние каникулы 2025"),
                  span("01.06.2026", "31.08.2026", "летние каникулы 2026")], id="summer-holidays"),
    pytest.param("в зимние каникулы", Y2025_2026, KIND_RECURRING,
                 [span("29.12.2025", "08.01.2026", "зимние каникулы 2025/2026")], id="winter-holidays"),
]

FREQUENCIES = [
    pytest.param("1 раз в полугодие", Y2025, halves(2025), "1 раз в полугодие", id="once-a-half-year"),
    pytest.param("ежеполугодно", Y2025, halves(2025), "ежеполугодно", id="half-yearly"),
    pytest.param("не реже одного раза в квартал", Y2025, every_quarter(2025, 2025),
                 "не реже 1 раза в квартал", id="at-least-once-a-quarter"),
    pytest.param("1 раз в месяц", Y2025, every_month(2025), "1 раз в месяц", id="once-a-month"),
    pytest.param("3 раза в год", Y2025,
                 [span("01.01.2025", "30.04.2025", "январь–апрель 2025"),
                  span("01.05.2025", "31.08.2025", "май–август 2025"),
                  span("01.09.2025", "31.12.2025", "сентябрь–декабрь 2025")],
                 "3 раза в год", id="three-a-year"),
    pytest.param("2 раза в год", Y2025, halves(2025), "2 раза в год", id="twice-a-year"),
    pytest.param("4 раза в год", Y2025, every_quarter(2025, 2025), "4 раза в год", id="four-a-year"),
    pytest.param("1 раз в год", Y2025_2026, [span("01.01.2025", "31.12.2025", "2025"),
                                             span("01.01.2026", "31.12.2026", "2026")],
                 "1 раз в год", id="once-a-year"),
    pytest.param("2 раза в год (апрель, октябрь)", Y2025_2026,
                 [month_of(2025, 4), month_of(2025, 10), month_of(2026, 4), month_of(2026, 10)],
                 "2 раза в год: в апреле и октябре", id="twice-a-year-in-named-months"),
    pytest.param("еженедельно по пятницам", Y2025, every_month(2025, " (еженедельно)"),
                 "еженедельно по пятницам", id="weekly-on-fridays"),
    pytest.param("по понедельникам", Y2025, every_month(2025, " (еженедельно)"),
                 "еженедельно по понедельникам", id="on-mondays"),
    pytest.param("раз в неделю", Y2025, every_month(2025, " (еженедельно)"), "1 раз в неделю",
                 id="once-a-week"),
    pytest.param("ежедневно", Y2025, every_quarter(2025, 2025), "ежедневно", id="daily"),
]

LISTS_SERIES_AND_SPANS = [
    # A year stated once for the whole list.
    pytest.param("апрель, ноябрь 2025 г.", Y2025_2026, KIND_DATES, [month_of(2025, 4), month_of(2025, 11)],
                 id="two-months-of-one-year"),
    pytest.param("февраль, июнь, октябрь 2026 года", Y2025_2026, KIND_DATES,
                 [month_of(2026, 2), month_of(2026, 6), month_of(2026, 10)], id="three-months-of-one-year"),
    pytest.param("15.03, 20.10.2025", Y2025_2026, KIND_DATES, [on("15.03.2025"), on("20.10.2025")],
                 id="two-days-of-one-year"),
    pytest.param("март - апрель, октябрь 2026", Y2025_2026, KIND_DATES,
                 [span("01.03.2026", "30.04.2026", "март–апрель 2026"), month_of(2026, 10)],
                 id="a-range-and-a-month-of-one-year"),
    # The start of a series.
    pytest.param("ежегодно до 1 марта, начиная с 2026 года", Y2025_2027, KIND_RECURRING,
                 [until("01.03.2026"), until("01.03.2027")], id="yearly-until-from-a-year"),
    pytest.param("ежегодно в ноябре, начиная с 2026 года", Y2025_2027, KIND_RECURRING,
                 [month_of(2026, 11), month_of(2027, 11)], id="yearly-in-a-month-from-a-year"),
    pytest.param("I квартал 2026 г., далее – ежеквартально", Y2025_2026, KIND_RECURRING,
                 every_quarter(2026, 2026), id="a-quarter-then-quarterly"),
    # Months in parentheses and spans during which the work goes on.
    pytest.param("ежегодно (апрель)", Y2025_2026, KIND_RECURRING, [month_of(2025, 4), month_of(2026, 4)],
                 id="yearly-month-in-parentheses"),
    pytest.param("Ежегодно (апрель, октябрь)", Y2025, KIND_RECURRING, [month_of(2025, 4), month_of(2025, 10)],
                 id="yearly-months-in-parentheses"),
    pytest.param("в течение второго полугодия 2026 года", Y2025_2026, KIND_CONTINUOUS,
                 [span("01.07.2026", "31.12.2026", "II полугодие 2026")], id="during-a-half-year"),
    pytest.param("в течение I квартала 2025 г.", Y2025_2026, KIND_CONTINUOUS,
                 [span("01.01.2025", "31.03.2025", "I кв. 2025")], id="during-a-quarter"),
    pytest.param("в течение марта 2025", Y2025_2026, KIND_CONTINUOUS, [month_of(2025, 3)],
                 id="during-a-month"),
]

EVENTS = [
    pytest.param("в течение 5 рабочих дней после утверждения приказа", id="days-after-an-order"),
    pytest.param("по мере поступления", id="as-they-come"),
    pytest.param("По запросу Минпросвещения России", id="on-a-ministry-request"),
    pytest.param("по мере необходимости", id="as-needed"),
    pytest.param("по требованию", id="on-demand"),
    pytest.param("в течение 10 дней со дня получения запроса", id="days-after-a-request"),
    pytest.param("по факту проведения мероприятия", id="after-the-fact"),
    pytest.param("при поступлении обращений", id="when-letters-come"),
]

WRONG_AS_WRITTEN = [
    pytest.param("до 32 числа каждого месяца", Y2025, KIND_RECURRING, ["Числа 32 в месяце нет"],
                 id="no-32nd-day"),
    pytest.param("ежеквартально, до 10 числа", Y2025, KIND_RECURRING,
                 ["Не ясно, к какому месяцу квартала относится 10 число"], id="day-of-which-month"),
    pytest.param("по итогам квартала, до 31 апреля", Y2025, KIND_RECURRING,
                 ["31.04.2025", "в апреле 30 дней"],
                 id="no-31-april"),
    pytest.param("2024/2026 учебный год", Y2025_2026, KIND_RANGE, ["годы должны идти подряд"],
                 id="school-year-of-two-years"),
    pytest.param("2024/2025 учебный год", Y2025_2026, KIND_RANGE,
                 ["2024/2025 уч. год вне периода дорожной карты 2025–2026"],
                 id="school-year-before-the-period"),
    pytest.param("ежегодно до 1 марта, начиная с 2030 года", Y2025_2026, KIND_RECURRING,
                 ["Начало 01.01.2030 позже окончания дорожной карты (2026)"],
                 id="series-starting-after-the-end"),
]
# fmt: on


def assert_exactly(schedule, kind, expected):
    assert (schedule.kind, list(schedule.occurrences), schedule.problems) == (kind, expected, ())
    assert not schedule.needs_review


@pytest.mark.parametrize(("text", "period", "expected", "cadence"), DAYS_OF_THE_MONTH)
def test_a_day_of_each_month_gives_one_due_date_a_month(text, period, expected, cadence):
    schedule = parse_deadline(text, period=period)

    assert_exactly(schedule, KIND_RECURRING, expected)
    assert schedule.cadence == cadence
    assert schedule.text == text


def test_a_day_past_a_short_months_end_falls_on_its_last_day_with_a_note():
    schedule = parse_deadline("до 31 числа каждого месяца", period=Y2025)

    assert [o.due for o in schedule.occurrences] == [month_end(2025, month) for month in range(1, 13)]
    assert schedule.problems == ()
    assert schedule.notes == ("В месяцах короче 31 дней срок — последний день месяца.",)


@pytest.mark.parametrize(("text", "period", "expected", "cadence"), REPORTING_PERIODS)
def test_a_day_after_each_reporting_period_gives_that_period_with_its_due_day(
    text, period, expected, cadence
):
    schedule = parse_deadline(text, period=period)

    assert_exactly(schedule, KIND_RECURRING, expected)
    assert schedule.cadence == cadence


def test_the_reporting_period_whose_due_day_is_after_the_roadmap_is_left_out_with_a_note():
    schedule = parse_deadline("ежеквартально, до 5 числа месяца, следующего за отчётным", period=Y2025)

    assert schedule.occurrences[-1].label == "III кв. 2025"
    assert schedule.notes == (
        "Срок позже окончания дорожной карты, контрольная точка не создана: IV кв. 2025 — 05.01.2026.",
    )
    assert not schedule.needs_review


def test_working_days_are_counted_monday_to_friday_and_say_so():
    schedule = parse_deadline("в течение 3 рабочих дней после окончания месяца", period=Y2025)

    assert schedule.occurrences[0] == span("01.01.2025", "05.02.2025", "январь 2025")  # 31.01 is a Friday
    assert "без праздников" in schedule.notes[0]


def test_one_due_day_a_year_for_a_half_year_says_the_other_half_has_none():
    schedule = parse_deadline("по итогам полугодия, до 25 июля", period=Y2025)

    assert "за остальные контрольные точки не созданы" in schedule.notes[-1]


@pytest.mark.parametrize(("text", "period", "kind", "expected"), SCHOOL_YEARS)
def test_school_years_and_their_parts_come_from_the_school_year_table(text, period, kind, expected):
    assert_exactly(parse_deadline(text, period=period), kind, expected)


def test_each_school_year_cut_to_the_period_says_so():
    schedule = parse_deadline("в течение учебного года", period=Y2025_2026)

    assert schedule.notes == ("Учебные годы обрезаны по периоду дорожной карты 2025–2026.",)
    assert schedule.describe() == "в течение учебного года, 2025–2026"


def test_school_quarters_note_that_a_regional_calendar_may_differ():
    assert "календарём региона" in parse_deadline("по итогам каждой четверти", period=Y2025).notes[0]


def test_the_school_year_table_has_four_quarters_three_trimesters_and_four_holidays_in_order():
    table = school_year.SCHOOL_YEAR
    assert school_year.part_days(table.year, 2025) == (date(2025, 9, 1), date(2026, 5, 31))
    assert school_year.part_days(table.year_with_summer, 2025) == (date(2025, 9, 1), date(2026, 8, 31))
    for parts in (table.quarters, table.trimesters):
        days = [school_year.part_days(part, 2027) for part in parts]  # 2028 is a leap year
        assert days[0][0] == date(2027, 9, 1) and days[-1][1] == date(2028, 5, 31)
        assert all(first <= last < following for (first, last), (following, _) in pairwise(days))
    assert school_year.part_days(table.trimesters[1], 2027)[1] == date(2028, 2, 29)
    assert [len(table.quarters), len(table.trimesters), len(table.holidays)] == [4, 3, 4]


@pytest.mark.parametrize(("text", "period", "expected", "cadence"), FREQUENCIES)
def test_a_frequency_gives_one_occurrence_per_its_unit(text, period, expected, cadence):
    schedule = parse_deadline(text, period=period)

    assert_exactly(schedule, KIND_RECURRING, expected)
    assert schedule.cadence == cadence


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("ежедневно", "контрольная точка одна за квартал"),
        ("еженедельно по пятницам", "контрольная точка одна за месяц"),
        ("3 раза в год", "год разделён на 3 равные части"),
        ("5 раз в год", "5 раз в год: сроки внутри года не указаны"),
        ("2 раза в квартал", "2 раза в квартал: контрольная точка одна за квартал"),
    ],
)
def test_a_frequency_finer_than_its_checkpoints_explains_them_in_a_note(text, note):
    schedule = parse_deadline(text, period=Y2025)

    assert schedule.occurrences and not schedule.problems
    assert any(note in written for written in schedule.notes), schedule.notes


def test_a_count_that_disagrees_with_the_named_months_is_flagged_and_keeps_the_months():
    schedule = parse_deadline("3 раза в год (апрель, октябрь)", period=Y2025)

    assert schedule.occurrences == (month_of(2025, 4), month_of(2025, 10))
    assert schedule.problems == ("Указано 3 раза в год, а сроков названо 2: проверьте.",)


@pytest.mark.parametrize(("text", "period", "kind", "expected"), LISTS_SERIES_AND_SPANS)
def test_shared_years_series_starts_and_spans_give_exactly_the_expected_occurrences(
    text, period, kind, expected
):
    assert_exactly(parse_deadline(text, period=period), kind, expected)


def test_a_list_without_any_year_still_takes_the_first_year_and_asks_to_check_it():
    schedule = parse_deadline("апрель, ноябрь", period=Y2025_2026)

    assert schedule.occurrences == (month_of(2025, 4), month_of(2025, 11))
    assert schedule.problems == ("Год не указан: принят 2025, проверьте.",)


def test_a_series_from_a_year_names_that_year_and_adds_no_year_end_checkpoints():
    schedule = parse_deadline("ежегодно до 1 марта, начиная с 2026 года", period=Y2025_2027)

    assert all(o.label.startswith("до 01.03.") for o in schedule.occurrences)
    assert schedule.describe() == "ежегодно до 1 марта с 2026 года, 2026–2027"


@pytest.mark.parametrize("text", EVENTS)
def test_a_deadline_tied_to_an_event_gets_no_date_and_a_note_for_staff(text):
    schedule = parse_deadline(text, period=Y2025_2026)

    assert (schedule.kind, schedule.occurrences, schedule.problems) == (KIND_BY_EVENT, (), ())
    assert BY_EVENT_NOTE in schedule.notes
    assert "вручную" in BY_EVENT_NOTE and "не планируемое" in BY_EVENT_NOTE
    assert schedule.needs_review
    assert schedule.text == text
    assert schedule.describe().endswith("— по событию, дата не назначена")


def test_an_event_deadline_is_described_in_its_own_words():
    schedule = parse_deadline("По запросу Минпросвещения России", period=Y2025)

    assert schedule.describe() == "по запросу Минпросвещения России — по событию, дата не назначена"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("После согласования с министерством", KIND_UNPARSED),
        ("По мере разработки программ", KIND_BY_PLAN),
        ("ежеквартально, в течение 10 дней после окончания квартала", KIND_RECURRING),
    ],
)
def test_wordings_near_an_event_keep_their_own_kind(text, kind):
    assert parse_deadline(text, period=Y2025).kind == kind


def test_the_new_kind_is_listed_and_every_kind_has_a_russian_label():
    assert KIND_BY_EVENT == "by_event" and KIND_BY_EVENT in KINDS
    assert set(KIND_LABELS) == set(KINDS)
    assert KIND_LABELS[KIND_BY_EVENT] == "по событию"


@pytest.mark.parametrize(("text", "period", "kind", "fragments"), WRONG_AS_WRITTEN)
def test_a_rule_wrong_as_written_is_explained_and_gets_no_invented_date(text, period, kind, fragments):
    schedule = parse_deadline(text, period=period)

    assert schedule.kind == kind
    assert schedule.occurrences == ()
    assert len(schedule.problems) == 1
    assert all(fragment in schedule.problems[0] for fragment in fragments), schedule.problems
    assert schedule.needs_review


@pytest.mark.parametrize(
    "text",
    ["до 20 числа", "с 2026 года 5 раз в месяц когда-нибудь", "в течение учебного года 2025", "V четверть"],
)
def test_a_rule_wording_with_words_it_cannot_place_is_unparsed(text):
    assert parse_deadline(text, period=Y2025).kind == KIND_UNPARSED


# Properties -----------------------------------------------------------------------------------------------

# fmt: off
rule_fragments = st.sampled_from([
    "до", "не позднее", "не реже", "ежемесячно", "ежеквартально", "ежегодно", "ежеполугодно", "ежедневно",
    "еженедельно", "по", "пятницам", ",", "(", ")", "-", "/", "числа", "3-го", "каждого", "месяца",
    "следующего за", "отчетным", "кварталом", "в течение", "рабочих", "дней", "после окончания", "квартала",
    "по итогам", "полугодия", "года", "учебного", "учебный год", "уч. г.", "четверти", "I", "IV", "триместра",
    "каникулярный период", "летних каникул", "1 раз в", "3 раза в", "раза в", "год", "неделю", "четверть",
    "апрель", "октября", "25 июля", "31", "0", "5", "10", "32", "2024", "2025", "2026", "9999", "2025/2026",
    "2024-2025", "2024/2026", "начиная с", "с", "далее", "после утверждения", "по мере поступления",
    "по запросу", "31.11", "29.02", "включая летний период",
])
# fmt: on
rule_like_texts = st.lists(rule_fragments, max_size=10).map(" ".join)


@settings(max_examples=800)
@given(text=rule_like_texts, period=periods)
def test_any_mix_of_rule_words_parses_without_error_into_sorted_occurrences_inside_the_period(text, period):
    schedule = parse_deadline.__wrapped__(text, period=period)

    assert_schedule_is_sound(schedule, period)
    if schedule.kind == KIND_BY_EVENT:
        assert schedule.occurrences == () and BY_EVENT_NOTE in schedule.notes


@given(
    period=periods,
    number=st.integers(1, 31),
    form=st.sampled_from(["до {} числа каждого месяца", "ежемесячно, не позднее {}-го числа"]),
)
def test_a_day_of_each_month_is_due_on_that_day_or_the_months_last(period, number, form):
    schedule = parse_deadline.__wrapped__(form.format(number), period=period)

    assert_schedule_is_sound(schedule, period)
    assert len(schedule.occurrences) == 12 * (period[1] - period[0] + 1)
    for occurrence in schedule.occurrences:
        assert occurrence.start is None
        assert occurrence.due.day == min(
            number, calendar.monthrange(occurrence.due.year, occurrence.due.month)[1]
        )


@given(
    period=periods,
    number=st.integers(1, 28),
    unit=st.sampled_from(
        ["ежемесячно", "ежеквартально", "по итогам полугодия,", "по итогам каждой четверти,"]
    ),
)
def test_a_day_after_each_reporting_period_is_inside_the_period_and_after_its_start(period, number, unit):
    text = f"{unit} до {number} числа месяца, следующего за отчётным"

    schedule = parse_deadline.__wrapped__(text, period=period)

    assert_schedule_is_sound(schedule, period)
    assert schedule.kind == KIND_RECURRING and not schedule.problems
    assert schedule.occurrences and all(o.due.day == number for o in schedule.occurrences)


@given(period=periods, first=st.integers(1990, 2099), summer=st.booleans(), during=st.booleans())
def test_a_stated_school_year_is_that_year_or_flagged_outside_the_period(period, first, summer, during):
    during_words = "в течение " if during else ""
    text = f"{during_words}{first}/{first + 1} учебного года{', включая летний период' * summer}"

    schedule = parse_deadline.__wrapped__(text, period=period)

    assert_schedule_is_sound(schedule, period)
    start, end = date(first, 9, 1), date(first + 1, 8 if summer else 5, 31)
    if period[0] <= first and first + 1 <= period[1]:
        assert schedule.occurrences == ((start, end, f"{first}/{first + 1} уч. год"),)
    else:
        assert schedule.occurrences == () and "вне периода" in schedule.problems[0]
