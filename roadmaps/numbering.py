"""Activity numbers as officials write them ("1.", "1.10.", "IV.2", "3а") and their natural order."""

import re

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
