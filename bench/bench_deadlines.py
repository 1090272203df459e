"""Parse 100,000 deadline cells drawn from the wordings of the seed roadmaps and the rule wordings, cached and
uncached."""

import sys
import time
from itertools import cycle, islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from roadmaps.deadlines import parse_deadline

COUNT = 100_000
PERIOD = (2020, 2024)
# fmt: off
WORDINGS = (
    "19.02.2020", "С 13.01. по 28.01.2020", "С 20.02.по 03.03.2020", "До 17.03.", "12-23.10.2020",
    "С10-15.11.2020", "01.06-30.10.2020", "29.03-01.04.2021", "12.04.2021-16.04.2021", "31. 05.2021",
    "Март - апрель 2020 года", "Март-декабрь 2021 г.", "Апрель 2021 г. – декабрь 2021 г.",
    "Октябрь 2022 года", "2020 год", "2019", "2019-2024", "2020 - 2024",
    "01.07.2020\n01.07.2021\n01.07.2022\n01.07.2023\n01.07.2024",
    "Ежеквартально", "Ежемесячно", "Еженедельно", "Ноябрь, ежегодно", "Июнь, ноябрь ежегодно",
    "Ноябрь, март, июнь - август ежегодно", "Первое полугодие, ежегодно", "Август 2020 года, ежегодно",
    "Январь 2021 года, далее - ежегодно", "Январь 2020 года, далее - ежемесячно", "с 01.09.2020\n(ежегодно)",
    "01.01.2020 -31.12.2024\n(1 раз в год …)", "Постоянно", "С 1 января 2020 года постоянно",
    "С января 2021, постоянно", "В течение года", "По графику", "По плану", "По мере разработки программ",
    "По отдельному плану, утвержденному распоряжением МОСО", "По графику, начиная с января 2021 года",
    "С 01.11. по 31.11.2020", "22.05-12.04.2021", "16-01.06.2020", "16.02.2020",
    # Rules, school years and events (the project's own wordings, not the seeds').
    "до 20 числа каждого месяца", "ежеквартально, до 5 числа месяца, следующего за отчётным",
    "ежеквартально, в течение 10 дней после окончания квартала", "по итогам полугодия, до 25 июля",
    "в течение 2021-2022 учебного года", "в течение учебного года", "по итогам каждой четверти",
    "2 раза в год (апрель, октябрь)", "не реже одного раза в квартал", "еженедельно по пятницам",
    "апрель, ноябрь 2021 г.", "ежегодно до 1 марта, начиная с 2022 года", "по мере поступления",
)
# fmt: on


def timed(parse, texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        parse(text, period=PERIOD)
    return time.perf_counter() - started


def main() -> None:
    texts = list(islice(cycle(WORDINGS), COUNT))
    cached = timed(parse_deadline, texts)
    uncached = timed(parse_deadline.__wrapped__, texts)
    print(f"deadlines: parsed {COUNT} strings in {cached:.2f} s ({COUNT / cached:.0f}/s)")
    print(f"deadlines: uncached {COUNT} strings in {uncached:.2f} s ({COUNT / uncached:.0f}/s)")


if __name__ == "__main__":
    main()
