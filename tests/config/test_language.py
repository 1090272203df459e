import datetime

from django.template import Context, Template
from django.utils import translation


def _render(n: int) -> str:
    template = Template(
        "{% load i18n %}{% blocktranslate count n=n %}{{ n }} мероприятие{% plural %}{{ n }} мероприятий"
        "{% endblocktranslate %}"
    )
    with translation.override("ru"):
        return template.render(Context({"n": n}))


def test_counts_use_the_three_russian_plural_forms():
    assert [_render(n) for n in (1, 3, 5, 11, 21, 22, 25)] == [
        "1 мероприятие",
        "3 мероприятия",
        "5 мероприятий",
        "11 мероприятий",
        "21 мероприятие",
        "22 мероприятия",
        "25 мероприятий",
    ]


def test_dates_are_shown_as_day_month_year():
    with translation.override("ru"):
        rendered = Template("{{ day }}").render(Context({"day": datetime.date(2026, 3, 5)}))

    assert rendered == "05.03.2026"
