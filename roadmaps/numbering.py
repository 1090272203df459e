"""Activity numbers as officials write them ("1.", "1.10.", "IV.2", "3а") and their natural order."""

import re
from collections import defaultdict
from dataclasses import dataclass

_PART = re.compile(r"\d+|[IVXLC]+(?![а-яa-z])|[^\W\d_]+", re.IGNORECASE)
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman_to_int(text: str) -> int:
    total = 0
    values = [_ROMAN[ch] for ch in text.upper()]
    for current, following in zip(values, [*values[1:], 0], strict=True):
        total += -current if current < following else current
    return total


def number_sort_key(number: str) -> str:
    """A string that sorts like the numbers read: 1.2 < 1.10 < 2.1, II < IX, 3 < 3а < 4.

    Each numeric part becomes five zero-padded digits so the database can order by the key alone.
    """
    parts: list[str] = []
    for token in _PART.findall(number.strip()):
        if token.isdigit():
            parts.append(f"{int(token):05d}")
        elif re.fullmatch(r"[IVXLC]+", token, re.IGNORECASE) and token.isupper():
            parts.append(f"{_roman_to_int(token):05d}")
        else:
            parts.append("~" + token.lower())
    return ".".join(parts)[:120]


# --- Giving numbers: the next one for a new section or activity, and renumbering after moves -------------

_ARABIC = re.compile(r"\s*(\d+(?:\.\d+)*)(\.?)\s*")


def arabic_parts(number: str) -> list[int] | None:
    """[1, 2] for «1.2.» or «1.2»; None for a number this module does not write («IV.2», «3а», «»)."""
    match = _ARABIC.fullmatch(number)
    return [int(part) for part in match.group(1).split(".")] if match else None


def writes_trailing_dot(numbers: list[str]) -> bool:
    """Whether the roadmap writes «1.1.» rather than «1.1»: as most of its numbers do, «1.» when none."""
    written = [n.strip() for n in numbers if arabic_parts(n)]
    with_dot = sum(n.endswith(".") for n in written)
    return with_dot * 2 >= len(written)


def is_hierarchical(activity_numbers: list[str]) -> bool:
    """Activities numbered within their section («2.3.») rather than through the roadmap («17.»)."""
    return any(len(parts) > 1 for parts in map(arabic_parts, activity_numbers) if parts)


def write_number(parts: list[int], *, dot: bool) -> str:
    return ".".join(map(str, parts)) + ("." if dot else "")


def next_number(siblings: list[str], *, prefix: list[int], dot: bool) -> str:
    """The number after the highest of `siblings` under `prefix`: «1.3.» after «1.1.» and «1.2.»."""
    last = max(
        (parts[-1] for parts in map(arabic_parts, siblings) if parts and parts[:-1] == prefix), default=0
    )
    return write_number([*prefix, last + 1], dot=dot)


@dataclass(frozen=True)
class Numbered:
    """A section or activity as the page shows it, in order: `parent` is the section it sits in."""

    pk: int
    parent: int | None
    number: str


def renumbered(
    sections: list[Numbered], activities: list[Numbered], *, dot: bool, hierarchical: bool
) -> tuple[dict[int, str], dict[int, str]]:
    """New numbers following the order shown: sections (parents before children, in page order) «1.»,
    «1.1.», «2.»; activities «<section>.<n>.» when `hierarchical`, else «1.», «2.» through the roadmap
    (those outside any section first, as the page shows them). Returns every item's new number."""
    section_parts: dict[int, list[int]] = {}
    counters: dict[int | None, int] = defaultdict(int)
    for section in sections:
        parent = section.parent if section.parent in section_parts else None
        counters[parent] += 1
        section_parts[section.pk] = [*section_parts.get(parent, []), counters[parent]]
    by_section: dict[int | None, list[Numbered]] = defaultdict(list)
    for activity in activities:
        by_section[activity.parent if activity.parent in section_parts else None].append(activity)
    activity_numbers: dict[int, str] = {}
    running = 0
    for owner in [None, *section_parts]:
        for index, activity in enumerate(by_section[owner], start=1):
            running += 1
            parts = [*section_parts.get(owner, []), index] if hierarchical else [running]
            activity_numbers[activity.pk] = write_number(parts, dot=dot)
    section_numbers = {pk: write_number(parts, dot=dot) for pk, parts in section_parts.items()}
    return section_numbers, activity_numbers
