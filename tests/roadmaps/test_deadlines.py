"""Deadline wordings of the seed roadmaps («Сроки») become dated occurrences inside the roadmap's period."""

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmaps.deadlines import (
    KIND_BY_PLAN,
    KIND_CONTINUOUS,
    KIND_DATE,
    KIND_DATES,
    KIND_RANGE,
    KIND_RECURRING,
    KIND_UNPARSED,
    KINDS,
    KINDS_NEEDING_REVIEW,
    UNDEFINED_DUE_LABEL,
    Occurrence,
    parse_deadline,
)

# The periods of the seed documents: 000 is a plan for 2020, 001 a roadmap for 2020–2024, 002 a plan for
# 2020–2022, 003 a report on 2021 and 004 a roadmap for 2019–2024.
Y2020 = (2020, 2020)
Y2020_2024 = (2020, 2024)
Y2020_2022 = (2020, 2022)
Y2021 = (2021, 2021)
Y2019_2024 = (2019, 2024)

MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь",
          "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь")  # fmt: skip
NO_DUE = Occurrence(None, None, UNDEFINED_DUE_LABEL)


def day(written: str) -> date:
    number, month, year = map(int, written.split("."))
    return date(year, month, number)


def on(written: str) -> Occurrence:
    return Occurrence(day(written), day(written), written)


def between(start: str, due: str, label: str | None = None) -> Occurrence:
    return Occurrence(day(start), day(due), label or f"{start}–{due}")


def until(due: str) -> Occurrence:
    return Occurrence(None, day(due), f"до {due}")


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_of(year: int, month: int, suffix: str = "") -> Occurrence:
    return Occurrence(date(year, month, 1), month_end(year, month), f"{MONTHS[month - 1]} {year}{suffix}")


def every_month(first: tuple[int, int], last_year: int, suffix: str = "") -> list[Occurrence]:
    months = [(year, month) for year in range(first[0], last_year + 1) for month in range(1, 13)]
    return [month_of(year, month, suffix) for year, month in months if (year, month) >= first]


def every_quarter(first_year: int, last_year: int) -> list[Occurrence]:
    names = ("I кв.", "II кв.", "III кв.", "IV кв.")
    return [
        Occurrence(date(year, 3 * q - 2, 1), month_end(year, 3 * q), f"{names[q - 1]} {year}")
        for year in range(first_year, last_year + 1)
        for q in range(1, 5)
    ]


def whole_years(first_year: int, last_year: int) -> list[Occurrence]:
    years = range(first_year, last_year + 1)
    return [Occurrence(date(year, 1, 1), date(year, 12, 31), str(year)) for year in years]


def yearly(years: range, *months: tuple[int, int]) -> list[Occurrence]:
    """Each (first month, last month) span in each year, in date order."""
    occurrences = []
    for year in years:
        for first, last in months:
            name = MONTHS[first - 1] if first == last else f"{MONTHS[first - 1]}–{MONTHS[last - 1]}"
            occurrences.append(Occurrence(date(year, first, 1), month_end(year, last), f"{name} {year}"))
    return sorted(occurrences, key=lambda occurrence: occurrence.due)


# fmt: off
SEED_WORDINGS = [
    # Exact dates and ranges.
    pytest.param("19.02.2020", Y2020, KIND_DATE, [on("19.02.2020")], id="date"),
    pytest.param("С 13.01. по 28.01.2020", Y2020, KIND_RANGE, [between("13.01.2020", "28.01.2020")],
                 id="from-day-month-to-date"),
    pytest.param("С 20.02.по 03.03.2020", Y2020, KIND_RANGE, [between("20.02.2020", "03.03.2020")],
                 id="from-to-without-a-space"),
    pytest.param("До 17.03.", Y2020, KIND_DATE, [until("17.03.2020")], id="until-without-a-year"),
    pytest.param("12-23.10.2020", Y2020, KIND_RANGE, [between("12.10.2020", "23.10.2020")], id="day-range"),
    pytest.param("С10-15.11.2020", Y2020, KIND_RANGE, [between("10.11.2020", "15.11.2020")],
                 id="from-glued-to-a-day-range"),
    pytest.param("01.06-30.10.2020", Y2020, KIND_RANGE, [between("01.06.2020", "30.10.2020")],
                 id="day-month-range"),
    pytest.param("29.03-01.04.2021", Y2021, KIND_RANGE, [between("29.03.2021", "01.04.2021")],
                 id="range-across-months"),
    pytest.param("12.04.2021-16.04.2021", Y2021, KIND_RANGE, [between("12.04.2021", "16.04.2021")],
                 id="range-of-full-dates"),
    pytest.param("31. 05.2021", Y2020_2024, KIND_DATE, [on("31.05.2021")], id="stray-space"),
    # Months and years.
    pytest.param("Март - апрель 2020 года", Y2020_2022, KIND_RANGE,
                 [between("01.03.2020", "30.04.2020", "март–апрель 2020")], id="month-range"),
    pytest.param("Март-декабрь 2021 г.", Y2021, KIND_RANGE,
                 [between("01.03.2021", "31.12.2021", "март–декабрь 2021")], id="month-range-with-g"),
    pytest.param("Апрель 2021 г. – декабрь 2021 г.", Y2021, KIND_RANGE,
                 [between("01.04.2021", "31.12.2021", "апрель–декабрь 2021")], id="month-range-both-years"),
    pytest.param("Октябрь 2022 года", Y2020_2022, KIND_RANGE,
                 [between("01.10.2022", "31.10.2022", "октябрь 2022")], id="month"),
    pytest.param("2020 год", Y2020_2022, KIND_RANGE, [between("01.01.2020", "31.12.2020", "2020")],
                 id="year"),
    pytest.param("2019", Y2019_2024, KIND_RANGE, [between("01.01.2019", "31.12.2019", "2019")],
                 id="bare-year"),
    pytest.param("2019-2024", Y2019_2024, KIND_RANGE, [between("01.01.2019", "31.12.2024", "2019–2024")],
                 id="year-range"),
    pytest.param("2020 - 2024", Y2019_2024, KIND_RANGE, [between("01.01.2020", "31.12.2024", "2020–2024")],
                 id="year-range-spaced"),
    # Lists.
    pytest.param("01.07.2020\n01.07.2021\n01.07.2022\n01.07.2023\n01.07.2024", Y2020_2024, KIND_DATES,
                 [on(f"01.07.{year}") for year in range(2020, 2025)], id="one-date-per-line"),
    # Recurring.
    pytest.param("Ежеквартально", Y2020_2022, KIND_RECURRING, every_quarter(2020, 2022), id="quarterly"),
    pytest.param("Ежемесячно", Y2020_2022, KIND_RECURRING, every_month((2020, 1), 2022), id="monthly"),
    pytest.param("Еженедельно", Y2021, KIND_RECURRING, every_month((2021, 1), 2021, " (еженедельно)"),
                 id="weekly-reported-monthly"),
    pytest.param("Ноябрь, ежегодно", Y2020_2022, KIND_RECURRING, yearly(range(2020, 2023), (11, 11)),
                 id="yearly-in-a-month"),
    pytest.param("Июнь, ноябрь ежегодно", Y2020_2022, KIND_RECURRING,
                 yearly(range(2020, 2023), (6, 6), (11, 11)), id="yearly-in-two-months"),
    pytest.param("Ноябрь, март, июнь - август ежегодно", Y2020_2022, KIND_RECURRING,
                 yearly(range(2020, 2023), (11, 11), (3, 3), (6, 8)), id="yearly-in-months-and-a-range"),
    pytest.param("Первое полугодие, ежегодно", Y2020_2022, KIND_RECURRING,
                 [between(f"01.01.{y}", f"30.06.{y}", f"I полугодие {y}") for y in range(2020, 2023)],
                 id="yearly-in-the-first-half"),
    pytest.param("Август 2020 года, ежегодно", Y2020_2022, KIND_RECURRING, yearly(range(2020, 2023), (8, 8)),
                 id="yearly-from-a-month"),
    pytest.param("Январь 2021 года, далее - ежегодно", Y2020_2022, KIND_RECURRING,
                 yearly(range(2021, 2023), (1, 1)), id="then-yearly"),
    pytest.param("Январь 2020 года, далее - ежемесячно", Y2020_2022, KIND_RECURRING,
                 every_month((2020, 1), 2022), id="then-monthly"),
    pytest.param("с 01.09.2020 (ежегодно)", Y2020_2024, KIND_RECURRING,
                 [on(f"01.09.{year}") for year in range(2020, 2025)], id="yearly-from-a-date"),
    pytest.param("с 01.09.2020\n(ежегодно)", Y2020_2024, KIND_RECURRING,
                 [on(f"01.09.{year}") for year in range(2020, 2025)], id="yearly-from-a-date-on-two-lines"),
    pytest.param("01.01.2020 -31.12.2024 (1 раз в год …)", Y2020_2024, KIND_RANGE,
                 [between("01.01.2020", "31.12.2024")], id="range-with-a-remark"),
    # Open-ended or by another plan.
    pytest.param("Постоянно", Y2020_2022, KIND_CONTINUOUS, whole_years(2020, 2022), id="continuous"),
    pytest.param("С 1 января 2020 года постоянно", Y2020_2022, KIND_CONTINUOUS, whole_years(2020, 2022),
                 id="continuous-from-a-date-in-words"),
    pytest.param("С января 2021, постоянно", Y2020_2022, KIND_CONTINUOUS, whole_years(2021, 2022),
                 id="continuous-from-a-month"),
    pytest.param("В течение года", Y2020_2024, KIND_CONTINUOUS, whole_years(2020, 2024),
                 id="during-the-year"),
    pytest.param("По графику", Y2020_2022, KIND_BY_PLAN, [NO_DUE], id="by-schedule"),
    pytest.param("По плану", Y2020_2022, KIND_BY_PLAN, [NO_DUE], id="by-plan"),
    pytest.param("По мере разработки программ", Y2020_2022, KIND_BY_PLAN, [NO_DUE],
                 id="as-programmes-are-ready"),
    pytest.param("По отдельному плану, утвержденному распоряжением МОСО", Y2020_2022, KIND_BY_PLAN, [NO_DUE],
                 id="by-a-separate-plan"),
    pytest.param("По графику, начиная с января 2021 года", Y2020_2022, KIND_BY_PLAN,
                 [Occurrence(date(2021, 1, 1), None, UNDEFINED_DUE_LABEL)], id="by-schedule-from-a-month"),
]

FORMS_AROUND_THE_SEED_WORDINGS = [
    pytest.param("1 января 2021", Y2021, KIND_DATE, [on("01.01.2021")], id="date-in-words"),
    pytest.param("до 31 мая 2021 г.", Y2021, KIND_DATE, [until("31.05.2021")], id="until-a-date-in-words"),
    pytest.param("не позднее 01.10.2021", Y2021, KIND_DATE, [until("01.10.2021")], id="no-later-than"),
    pytest.param("<p>29.03.2021</p>", Y2021, KIND_DATE, [on("29.03.2021")], id="html-paragraph"),
    pytest.param("31 . 05 . 2021", Y2021, KIND_DATE, [on("31.05.2021")], id="spaces-around-dots"),
    pytest.param("15.03-9.04.2021", Y2021, KIND_RANGE, [between("15.03.2021", "09.04.2021")],
                 id="one-digit-day"),
    pytest.param("13.01.2020 — 28.01.2020", Y2020, KIND_RANGE, [between("13.01.2020", "28.01.2020")],
                 id="em-dash"),
    pytest.param("13.01.2020 – 28.01.2020", Y2020, KIND_RANGE, [between("13.01.2020", "28.01.2020")],
                 id="en-dash"),
    pytest.param("С 13.01. по\n28.01.2020", Y2020, KIND_RANGE, [between("13.01.2020", "28.01.2020")],
                 id="range-wrapped-over-two-lines"),
    pytest.param("с 1 по 15 ноября 2020 года", Y2020, KIND_RANGE, [between("01.11.2020", "15.11.2020")],
                 id="day-range-in-words"),
    pytest.param("в марте 2021 года", Y2021, KIND_RANGE, [between("01.03.2021", "31.03.2021", "март 2021")],
                 id="month-prepositional"),
    pytest.param("мая 2021", Y2021, KIND_RANGE, [between("01.05.2021", "31.05.2021", "май 2021")],
                 id="month-genitive"),
    pytest.param("с марта по май 2021 г.", Y2021, KIND_RANGE,
                 [between("01.03.2021", "31.05.2021", "март–май 2021")], id="from-month-to-month"),
    pytest.param("январе - феврале 2021", Y2021, KIND_RANGE,
                 [between("01.01.2021", "28.02.2021", "январь–февраль 2021")],
                 id="month-range-prepositional"),
    pytest.param("Ноябрь 2020 - март 2021", Y2020_2022, KIND_RANGE,
                 [between("01.11.2020", "31.03.2021", "ноябрь 2020–март 2021")],
                 id="month-range-across-years"),
    pytest.param("I квартал 2021", Y2021, KIND_RANGE, [between("01.01.2021", "31.03.2021", "I кв. 2021")],
                 id="quarter"),
    pytest.param("IV кв. 2021 г.", Y2021, KIND_RANGE, [between("01.10.2021", "31.12.2021", "IV кв. 2021")],
                 id="quarter-abbreviated"),
    pytest.param("2-й квартал", Y2021, KIND_RANGE, [between("01.04.2021", "30.06.2021", "II кв. 2021")],
                 id="quarter-without-a-year"),
    pytest.param("1 полугодие 2021", Y2021, KIND_RANGE,
                 [between("01.01.2021", "30.06.2021", "I полугодие 2021")], id="half-year"),
    pytest.param("первое полугодие 2021 года", Y2021, KIND_RANGE,
                 [between("01.01.2021", "30.06.2021", "I полугодие 2021")], id="first-half-in-words"),
    pytest.param("2 полугодие", Y2021, KIND_RANGE,
                 [between("01.07.2021", "31.12.2021", "II полугодие 2021")], id="second-half-without-a-year"),
    pytest.param("в период с 2019 по 2024 г.г.", Y2019_2024, KIND_RANGE,
                 [between("01.01.2019", "31.12.2024", "2019–2024")], id="years-with-g-g"),
    pytest.param("до 2024 года", Y2019_2024, KIND_DATE, [until("31.12.2024")], id="until-a-year"),
    pytest.param("01.07.2020, 01.07.2021", Y2020_2024, KIND_DATES, [on("01.07.2020"), on("01.07.2021")],
                 id="dates-separated-by-commas"),
    pytest.param("ежегодно в ноябре", Y2020_2022, KIND_RECURRING, yearly(range(2020, 2023), (11, 11)),
                 id="yearly-first"),
    pytest.param("Июль - август, ежегодно", Y2020_2022, KIND_RECURRING, yearly(range(2020, 2023), (7, 8)),
                 id="yearly-month-range"),
    pytest.param("Март - декабрь 2020 года, далее - ежегодно", Y2020_2022, KIND_RECURRING,
                 yearly(range(2020, 2023), (3, 12)), id="month-range-then-yearly"),
    pytest.param("Октябрь - март ежегодно", Y2020_2022, KIND_RECURRING,
                 [between(f"01.10.{year}", f"31.03.{year + 1}", f"октябрь {year}–март {year + 1}")
                  for year in (2020, 2021)], id="yearly-range-into-the-next-year"),
    pytest.param("ежегодно до 01.10", Y2020_2022, KIND_RECURRING,
                 [until(f"01.10.{year}") for year in range(2020, 2023)], id="yearly-until"),
    pytest.param("Ежегодно", Y2020_2022, KIND_RECURRING, whole_years(2020, 2022), id="yearly"),
    pytest.param("Ежегодно по графику", Y2020_2022, KIND_RECURRING, whole_years(2020, 2022),
                 id="yearly-by-schedule"),
    pytest.param("Сентябрь 2020 года, далее - ежемесячно", Y2020_2022, KIND_RECURRING,
                 every_month((2020, 9), 2022), id="monthly-from-september"),
    pytest.param("ежеквартально с 2021 года", Y2020_2022, KIND_RECURRING, every_quarter(2021, 2022),
                 id="quarterly-from-a-year"),
    pytest.param("С 01.09.2021 постоянно", Y2020_2022, KIND_CONTINUOUS,
                 [between("01.09.2021", "31.12.2021", "2021"), *whole_years(2022, 2022)],
                 id="continuous-from-a-date"),
    pytest.param("на постоянной основе", Y2021, KIND_CONTINUOUS, whole_years(2021, 2021),
                 id="on-a-permanent-basis"),
    pytest.param("в течение 2021 года", Y2020_2024, KIND_CONTINUOUS, whole_years(2021, 2021),
                 id="during-a-stated-year"),
    pytest.param("с 01.09.2020", Y2020_2024, KIND_DATE, [Occurrence(date(2020, 9, 1), None, "с 01.09.2020")],
                 id="from-a-date-only"),
    pytest.param("По графику, согласованному с федеральным проектным офисом", Y2020_2022, KIND_BY_PLAN,
                 [NO_DUE], id="by-an-agreed-schedule"),
]

WRONG_AS_WRITTEN = [
    pytest.param("С 01.11. по 31.11.2020", Y2020, KIND_RANGE, ["31.11.2020", "в ноябре 30 дней"],
                 id="no-31-november"),
    pytest.param("22.05-12.04.2021", Y2021, KIND_RANGE, ["12.04.2021 раньше начала 22.05.2021"],
                 id="ends-before-it-starts"),
    pytest.param("<p>22.05-12.04.2021</p>", Y2021, KIND_RANGE, ["раньше начала"],
                 id="ends-before-it-starts-in-a-paragraph"),
    pytest.param("16-01.06.2020", Y2020, KIND_RANGE, ["Начало срока неоднозначно", "день 16", "01.06.2020"],
                 id="ambiguous-start"),
    pytest.param("16.02.2020", Y2021, KIND_DATE, ["Дата 16.02.2020 вне периода дорожной карты 2021–2021"],
                 id="date-outside-the-period"),
    pytest.param("29.02.2021", Y2021, KIND_DATE, ["29.02.2021", "в феврале 2021 года 28 дней"],
                 id="no-29-february-in-a-common-year"),
    pytest.param("15.13.2021", Y2021, KIND_DATE, ["15.13.2021", "месяца 13 нет"], id="no-13th-month"),
    pytest.param("2019-2024", Y2020_2024, KIND_RANGE, ["2019–2024 вне периода дорожной карты 2020–2024"],
                 id="years-beyond-the-period"),
    pytest.param("с 01.09.2025", Y2020_2024, KIND_DATE, ["Срок с 01.09.2025 вне периода дорожной карты"],
                 id="start-after-the-period"),
    pytest.param("до 17.03.2019", Y2020_2024, KIND_DATE, ["Срок до 17.03.2019 вне периода дорожной карты"],
                 id="due-before-the-period"),
    pytest.param("Март - январь 2021", Y2021, KIND_RANGE, ["январь 2021 раньше начала март 2021"],
                 id="months-in-the-wrong-order"),
    pytest.param("Октябрь - март ежегодно", Y2021, KIND_RECURRING,
                 ["Ни один срок не попадает в период дорожной карты 2021–2021"], id="series-that-never-fits"),
    pytest.param("Январь 2025 года, далее - ежегодно", Y2020_2022, KIND_RECURRING,
                 ["Начало 01.01.2025 позже окончания дорожной карты (2022)"],
                 id="series-starting-after-the-end"),
]

DESCRIPTIONS = [
    pytest.param("Ноябрь, ежегодно", Y2020_2022, "ежегодно в ноябре, 2020–2022", id="yearly"),
    pytest.param("Ноябрь, март, июнь - август ежегодно", Y2020_2022,
                 "ежегодно в ноябре, марте и июне–августе, 2020–2022", id="yearly-in-several-months"),
    pytest.param("Первое полугодие, ежегодно", Y2020_2022, "ежегодно в I полугодии, 2020–2022",
                 id="yearly-half"),
    pytest.param("с 01.09.2020 (ежегодно)", Y2020_2024, "ежегодно 1 сентября, 2020–2024",
                 id="yearly-on-a-day"),
    pytest.param("Ежеквартально", Y2020_2024, "ежеквартально, 2020–2024", id="quarterly"),
    pytest.param("Еженедельно", Y2021, "еженедельно, 2021", id="weekly"),
    pytest.param("Январь 2021 года, далее - ежемесячно", Y2020_2022, "ежемесячно с 01.01.2021, 2021–2022",
                 id="monthly-from"),
    pytest.param("19.02.2020", Y2020, "19.02.2020", id="date"),
    pytest.param("До 17.03.", Y2020, "до 17.03.2020", id="until"),
    pytest.param("С 13.01. по 28.01.2020", Y2020, "с 13.01.2020 по 28.01.2020", id="range"),
    pytest.param("Март - апрель 2020 года", Y2020_2022, "март–апрель 2020", id="month-range"),
    pytest.param("01.07.2020\n01.07.2021\n01.07.2022\n01.07.2023\n01.07.2024", Y2020_2024,
                 "01.07.2020 … 01.07.2024, 5 сроков", id="list"),
    pytest.param("01.07.2020, 01.07.2021", Y2020_2024, "01.07.2020, 01.07.2021", id="short-list"),
    pytest.param("Постоянно", Y2020_2022, "постоянно, 2020–2022", id="continuous"),
    pytest.param("С января 2021, постоянно", Y2020_2022, "постоянно с 01.01.2021, 2021–2022",
                 id="continuous-from"),
    pytest.param("В течение года", Y2020_2024, "в течение года, 2020–2024", id="during-the-year"),
    pytest.param("По графику", Y2020_2022, "по графику — срок не определён", id="by-schedule"),
    pytest.param("По графику, начиная с января 2021 года", Y2020_2022,
                 "по графику с 01.01.2021 — срок не определён", id="by-schedule-from"),
    pytest.param("По мере разработки программ", Y2020_2022, "по мере разработки программ — срок не определён",
                 id="as-ready"),
    pytest.param("22.05-12.04.2021", Y2021, "срок требует проверки", id="wrong"),
    pytest.param("когда-нибудь", Y2021, "срок не разобран", id="unparsed"),
]
# fmt: on


@pytest.mark.parametrize(("text", "period", "kind", "expected"), SEED_WORDINGS)
def test_each_seed_wording_gives_exactly_the_expected_occurrences(text, period, kind, expected):
    schedule = parse_deadline(text, period=period)

    assert (schedule.kind, list(schedule.occurrences), schedule.problems) == (kind, expected, ())
    assert schedule.text == text
    assert not schedule.needs_review


@pytest.mark.parametrize(("text", "period", "kind", "expected"), FORMS_AROUND_THE_SEED_WORDINGS)
def test_forms_around_the_seed_wordings_give_exactly_the_expected_occurrences(text, period, kind, expected):
    schedule = parse_deadline(text, period=period)

    assert (schedule.kind, list(schedule.occurrences), schedule.problems) == (kind, expected, ())


@pytest.mark.parametrize(("text", "period", "kind", "fragments"), WRONG_AS_WRITTEN)
def test_a_wording_wrong_as_written_is_explained_and_gets_no_invented_date(text, period, kind, fragments):
    schedule = parse_deadline(text, period=period)

    assert schedule.kind == kind
    assert schedule.occurrences == ()
    assert len(schedule.problems) == 1
    assert all(fragment in schedule.problems[0] for fragment in fragments), schedule.problems
    assert schedule.needs_review
    assert schedule.text == text


@pytest.mark.parametrize(("text", "period", "description"), DESCRIPTIONS)
def test_describe_says_the_deadline_briefly_in_russian(text, period, description):
    assert parse_deadline(text, period=period).describe() == description


def test_a_date_without_a_year_in_a_several_year_roadmap_takes_the_first_year_and_asks_to_check_it():
    schedule = parse_deadline("До 17.03.", period=Y2020_2024)

    assert schedule.occurrences == (until("17.03.2020"),)
    assert schedule.problems == ("Год не указан: принят 2020, проверьте.",)
    assert schedule.needs_review


def test_a_date_without_a_year_in_a_one_year_plan_takes_that_year_silently():
    schedule = parse_deadline("До 17.03.", period=Y2020)

    assert schedule.occurrences == (until("17.03.2020"),)
    assert schedule.problems == ()


def test_a_list_keeps_its_dates_inside_the_period_and_flags_the_one_outside():
    schedule = parse_deadline("01.07.2019\n01.07.2020\n01.07.2021", period=Y2020_2024)

    assert schedule.kind == KIND_DATES
    assert schedule.occurrences == (on("01.07.2020"), on("01.07.2021"))
    assert schedule.problems == ("Дата 01.07.2019 вне периода дорожной карты 2020–2024: проверьте год.",)


def test_parenthesised_remarks_are_kept_as_notes():
    schedule = parse_deadline(
        "01.01.2020 -31.12.2024\n(1 раз в год …)\n(1-2 раза в месяц)", period=Y2020_2024
    )

    assert schedule.notes == ("1 раз в год …", "1-2 раза в месяц")
    assert schedule.occurrences == (between("01.01.2020", "31.12.2024"),)


def test_a_during_the_year_line_under_a_list_of_dates_is_kept_as_a_note():
    text = "\n".join(f"31.12.{year}" for year in range(2020, 2025)) + "\nВ течение года"

    schedule = parse_deadline(text, period=Y2020_2024)

    assert schedule.kind == KIND_DATES
    assert schedule.occurrences == tuple(on(f"31.12.{year}") for year in range(2020, 2025))
    assert schedule.notes == ("В течение года",)


def test_a_wording_of_no_known_form_is_unparsed_with_a_request_to_enter_the_date_by_hand():
    schedule = parse_deadline("после  согласования\nс министерством", period=Y2021)

    assert schedule.kind == KIND_UNPARSED
    assert schedule.occurrences == ()
    assert schedule.problems == (
        "Не удалось разобрать срок: «после согласования с министерством». Укажите дату вручную.",
    )
    assert schedule.needs_review


def test_an_empty_cell_is_unparsed_and_asks_for_a_date():
    schedule = parse_deadline("  \n ", period=Y2021)

    assert schedule.kind == KIND_UNPARSED
    assert schedule.problems == ("Срок не указан: укажите дату вручную.",)


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="period"):
        parse_deadline("19.02.2020", period=(2024, 2020))


def test_the_cadence_names_how_often_a_recurring_deadline_comes():
    assert parse_deadline("Июнь, ноябрь ежегодно", period=Y2020_2022).cadence == "ежегодно в июне и ноябре"
    assert parse_deadline("19.02.2020", period=Y2020).cadence == ""


def test_the_same_wording_and_period_give_the_same_schedule_object_from_the_cache():
    first = parse_deadline("Ноябрь, ежегодно", period=Y2020_2022)

    assert parse_deadline("Ноябрь, ежегодно", period=Y2020_2022) is first
    assert parse_deadline.__wrapped__("Ноябрь, ежегодно", period=Y2020_2022) == first


# Properties -----------------------------------------------------------------------------------------------

periods = st.tuples(st.integers(1990, 2100), st.integers(0, 12)).map(
    lambda pair: (pair[0], min(pair[0] + pair[1], 2100))
)
# fmt: off
deadline_fragments = st.sampled_from([
    "с", "С", "по", "до", "не позднее", "-", "–", "—", ",", "\n", "(", ")", "г.", "года", "г.г.", "далее",
    "ежегодно", "Ежеквартально", "ежемесячно", "еженедельно", "постоянно", "в течение года", "По графику",
    "по плану", "по мере", "начиная с", "январь", "января", "ноябре", "март", "мая", "Август", "I", "IV",
    "кв.", "квартал", "полугодие", "первое", "1-й", "16", "31", "0", "2019", "2020", "2024", "2100", "9999",
    "0000", "01.06", "31.11.", "29.02.2021", "29.02.2024", "13.13.2020", "00.01.2020", "31. 05.2021",
    "22.05-12.04.2021", "16-01.06.2020", "01.01.1990", "31.12.2100", "<p>", "</p>", "…", "1 раз в год",
    # The rule, school-year and event wordings (tests/roadmaps/test_deadlines_rules.py).
    "числа", "каждого месяца", "следующего за отчетным", "по итогам", "учебного года", "2020/2021",
    "четверти", "каникул", "2 раза в", "неделю", "по пятницам", "ежедневно", "ежеполугодно",
    "по мере поступления", "по запросу", "после утверждения", "дней после окончания",
])
# fmt: on
deadline_like_texts = st.lists(deadline_fragments, max_size=12).map(" ".join)


def assert_schedule_is_sound(schedule, period):
    first_day, last_day = date(period[0], 1, 1), date(period[1], 12, 31)
    assert schedule.kind in KINDS
    keys = [occurrence.sort_key for occurrence in schedule.occurrences]
    assert keys == sorted(keys)
    for occurrence in schedule.occurrences:
        for moment in (occurrence.start, occurrence.due):
            assert moment is None or first_day <= moment <= last_day, (occurrence, period)
        if occurrence.start and occurrence.due:
            assert occurrence.start <= occurrence.due
    assert schedule.needs_review == bool(schedule.problems or schedule.kind in KINDS_NEEDING_REVIEW)
    assert schedule.occurrences or schedule.needs_review
    assert schedule.describe()


@settings(max_examples=300)
@given(text=st.text(max_size=60), period=periods)
def test_any_text_with_any_period_parses_without_error_into_sorted_occurrences_inside_the_period(
    text, period
):
    assert_schedule_is_sound(parse_deadline.__wrapped__(text, period=period), period)


@settings(max_examples=600)
@given(text=deadline_like_texts, period=periods)
def test_any_mix_of_deadline_words_parses_without_error_into_sorted_occurrences_inside_the_period(
    text, period
):
    assert_schedule_is_sound(parse_deadline.__wrapped__(text, period=period), period)


@st.composite
def periods_and_days(draw, count=1):
    period = draw(periods)
    first_day, last_day = date(period[0], 1, 1), date(period[1], 12, 31)
    offsets = draw(st.lists(st.integers(0, (last_day - first_day).days), min_size=count, max_size=count))
    return period, sorted(first_day + timedelta(days=offset) for offset in offsets)


@given(period_and_days=periods_and_days())
def test_a_random_date_in_the_period_written_as_dd_mm_yyyy_gives_exactly_that_date(period_and_days):
    period, (moment,) = period_and_days
    written = moment.strftime("%d.%m.%Y")

    schedule = parse_deadline.__wrapped__(written, period=period)

    assert (schedule.kind, schedule.occurrences, schedule.problems) == (KIND_DATE, (on(written),), ())


@given(period_and_days=periods_and_days(count=2), dash=st.sampled_from(["-", " - ", "–", " — ", " по "]))
def test_a_random_range_in_the_period_gives_exactly_that_range(period_and_days, dash):
    period, (start, due) = period_and_days
    written = f"{start:%d.%m.%Y}{dash}{due:%d.%m.%Y}"
    label = f"{start:%d.%m.%Y}" if start == due else f"{start:%d.%m.%Y}–{due:%d.%m.%Y}"  # a one-day range

    schedule = parse_deadline.__wrapped__(written, period=period)

    assert (schedule.kind, schedule.occurrences, schedule.problems) == (
        KIND_RANGE,
        ((start, due, label),),
        (),
    )


# fmt: off
MONTH_FORMS = {  # nominative, genitive, prepositional
    1: ("январь", "января", "январе"), 2: ("февраль", "февраля", "феврале"), 3: ("март", "марта", "марте"),
    4: ("апрель", "апреля", "апреле"), 5: ("май", "мая", "мае"), 6: ("июнь", "июня", "июне"),
    7: ("июль", "июля", "июле"), 8: ("август", "августа", "августе"),
    9: ("сентябрь", "сентября", "сентябре"), 10: ("октябрь", "октября", "октябре"),
    11: ("ноябрь", "ноября", "ноябре"), 12: ("декабрь", "декабря", "декабре"),
}
# fmt: on


@given(period=periods, data=st.data())
def test_a_month_in_any_case_with_a_year_gives_that_whole_month(period, data):
    year = data.draw(st.integers(*period))
    month = data.draw(st.integers(1, 12))
    word = data.draw(st.sampled_from(MONTH_FORMS[month]))
    suffix = data.draw(st.sampled_from(["", " г.", " года"]))

    schedule = parse_deadline.__wrapped__(f"{word.capitalize()} {year}{suffix}", period=period)

    assert (schedule.kind, schedule.occurrences, schedule.problems) == (
        KIND_RANGE,
        (month_of(year, month),),
        (),
    )
