"""The words of deadline wordings («Сроки»): month and unit names, and the token each word stands for.

Token codes: D date, d day.month, n number up to 31, Y year, M month, Q quarter, H half-year, s «с», u «до»,
t «по», > «далее», - dash, «,» list, E/G/K/L/W/J yearly/half-yearly/quarterly/monthly/weekly/daily,
C continuous, P by plan,
o ordinal and q «квартал» / «полугодие» (joined into Q or H), ~ «-й» after an ordinal, ? unknown.
"""

from functools import lru_cache
from typing import Any

Token = tuple[str, Any]

MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь",
          "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь")  # fmt: skip
# Month names decline regularly: январь → января, январе; март → марта, марте.
MONTHS_GENITIVE = tuple(name[:-1] + "я" if name[-1] in "ьй" else name + "а" for name in MONTHS)
MONTHS_IN = tuple(name[:-1] + "е" if name[-1] in "ьй" else name + "е" for name in MONTHS)
ROMAN = ("I", "II", "III", "IV")

_MONTH_BY_STEM = {name[:3]: number for number, name in enumerate(MONTHS, 1) if name != "май"}  # «ноя»
_IGNORED_WORDS = ("г", "гг", "год", "года", "году", "годы", "годов", "годах", "в", "во", "на", "не",
                  "начиная", "период", "периода", "всего", "каждого", "основе", "конца", "срок")  # fmt: skip
_WORD_TOKENS: dict[str, Token | None] = {
    **dict.fromkeys(_IGNORED_WORDS),
    **dict.fromkeys(("с", "со", "c"), ("s", None)),
    **dict.fromkeys(("до", "к", "позднее", "позже"), ("u", None)),
    **dict.fromkeys(("далее", "затем"), (">", None)),
    **{word: ("P", word) for word in ("график", "графику", "графиком", "плану", "планом", "мере")},
    **dict.fromkeys(("й", "ый", "ий", "ой", "е", "ое", "м", "ом", "го"), ("~", None)),
    **dict.fromkeys(("май", "мая", "мае", "маю", "маем"), ("M", 5)),
    "по": ("t", None), "и": (",", None), "каждый": ("E", None), "кв": ("q", 3),
    "течение": ("C", "в течение года"), "весь": ("C", "весь период"),
    "i": ("o", 1), "ii": ("o", 2), "iii": ("o", 3), "iv": ("o", 4),
}  # fmt: skip
_WORD_PREFIXES: tuple[tuple[str, Token], ...] = (
    ("ежегодн", ("E", None)), ("ежекварт", ("K", None)), ("ежемесячн", ("L", None)),
    ("еженедельн", ("W", None)), ("постоянн", ("C", "постоянно")), ("ежедневн", ("J", None)),
    ("ежеполугодн", ("G", None)),
    ("квартал", ("q", 3)), ("полугод", ("q", 6)),
    ("перв", ("o", 1)), ("втор", ("o", 2)), ("трет", ("o", 3)), ("четверт", ("o", 4)),
)  # fmt: skip
SYMBOL_TOKENS: dict[str, Token] = {"-": ("-", None), ",": (",", None), ";": (",", None)}


# The same few words make up almost every wording, and a word's token never depends on its neighbours.
@lru_cache(maxsize=1024)
def word_token(word: str) -> Token | None:
    """The token of a lower-case word; None for a word that carries no meaning here («год», «в»)."""
    if word in _WORD_TOKENS:
        return _WORD_TOKENS[word]
    if month := _MONTH_BY_STEM.get(word[:3]):
        return ("M", month)
    for prefix, token in _WORD_PREFIXES:
        if word.startswith(prefix):
            return token
    return ("?", word)


def number_token(digits: str) -> Token:
    if len(digits) == 4 and digits != "0000":
        return ("Y", int(digits))
    if len(digits) <= 2 and 1 <= int(digits) <= 31:
        return ("n", int(digits))
    return ("?", digits)


def unit_name(code: str, value: int) -> str:
    if code == "M":
        return MONTHS[value - 1]
    if code in "QH":
        return f"{ROMAN[value - 1]} {'кв.' if code == 'Q' else 'полугодие'}"
    return ""  # a year needs no name besides its number


def unit_phrase(code: str, value: int) -> str:
    """The unit after «в»: «в ноябре», «в I квартале», «в I полугодии»."""
    if code == "M":
        return MONTHS_IN[value - 1]
    return f"{ROMAN[value - 1]} {'квартале' if code == 'Q' else 'полугодии'}"


def unit_genitive(code: str, value: int) -> str:
    """The unit after «в течение»: «в течение марта», «в течение I квартала», «в течение II полугодия»."""
    if code == "M":
        return MONTHS_GENITIVE[value - 1]
    return f"{ROMAN[value - 1]} {'квартала' if code == 'Q' else 'полугодия'}"
