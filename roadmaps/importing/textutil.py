"""Small text helpers shared by readers and structure recognition: cleaning cells, telling what a
cell looks like (a date wording, a link, an organisation…), amendment notes and legal acts."""

from __future__ import annotations

import re
from datetime import date

from roadmaps.deadlines import names_a_rule

from .parsed import ParsedAct

_MARKUP = re.compile(r"\[bookmark:[^\]]*\]|</?p\b[^>]*>|</?(?:span|b|i|u|strong|em|div)\b[^>]*>", re.I)
_BREAK = re.compile(r"<br\s*/?>", re.I)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_CONNECTOR_END = re.compile(r"(?:^|\s)(?:по|до|с|со|и|в|во|на|от|для|из|к|о|об)$|[,\-–—]$", re.I)


def clean_line(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def normalise(text: str) -> str:
    """Collapse spaces, drop empty lines and markup, and join lines that only wrap a phrase.

    A line break is kept where it separates items (one date per line, «- пункт» lists, names);
    a line that starts with a lower-case letter or «(» continues the line above, and so does any
    line after one ending with a preposition, a comma or a dash."""
    if not text:
        return ""
    text = _BREAK.sub("\n", text)
    text = _MARKUP.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad", "").replace("\u200b", "")
    out: list[str] = []
    for raw in text.split("\n"):
        line = clean_line(raw)
        if not line:
            continue
        if out and (line[0].islower() or line[0] == "(" or _CONNECTOR_END.search(out[-1])):
            out[-1] = out[-1] + " " + line
        else:
            out.append(line)
    return "\n".join(out)


def one_line(text: str) -> str:
    return clean_line(text.replace("\n", " "))


# ---- what a cell looks like -------------------------------------------------------------------

_MONTH = r"(?:январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр)\w*"
_DATE_HINT = re.compile(
    r"\d{1,2}\s?\.\s?\d{1,2}|\b(?:19|20)\d\d\b|"
    + _MONTH
    + r"|\b(?:ежегодно|ежемесячно|еженедельно|ежеквартально|ежедневно|постоянно|в течение)\b"
    + r"|\b(?:квартал|полугоди)\w*",
    re.I,
)


def _names_a_date(text: str) -> bool:
    """Dates, months and cadences here; rule wordings («до 5 числа», «по мере поступления», «раз в квартал»,
    «учебный год») from the deadline parser's own vocabulary, so the two never disagree."""
    return bool(_DATE_HINT.search(text)) or names_a_rule(text)


_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.I)
_DOCREF = re.compile(
    r"^(?:приказ|письм|распоряжени|постановлени|протокол|решени|указ|справк|отч[её]т)\w*\b", re.I
)
_ABBREVIATION = re.compile(r"\b[А-ЯЁ]{2,}\b")
ROW_NUMBER = re.compile(r"^\d{1,3}(?:\.\s?\d{1,3})*\.{0,2}$")
DONE = re.compile(r"\s*\(\s*выполнено\s*\)\s*\.?\s*$", re.I)


def is_url(text: str) -> bool:
    return bool(_URL.match(text.strip()))


def find_urls(text: str) -> list[str]:
    return [u.rstrip(".,;)") for u in _URL.findall(text)]


def is_date_like(text: str) -> bool:
    """A deadline wording: «21.01.2021», «Март-декабрь 2021 г.», «Еженедельно», «2019-2024»…"""
    text = one_line(text)
    if not text or len(text) > 60 or _URL.search(text):
        return False
    if not _names_a_date(text):
        return False
    words = re.findall(r"[A-Za-zА-Яа-яЁё]{3,}", text)
    return len(words) <= 6


def cell_class(text: str) -> str:
    """One of: empty, number, url, date, docref, done, org, text."""
    text = text.strip()
    if not text:
        return "empty"
    if ROW_NUMBER.match(text):
        return "number"
    if is_url(text):
        return "url"
    if _DOCREF.match(text):
        return "docref"
    if is_date_like(text):
        return "date"
    if DONE.search(text):
        return "done"
    if len(text) <= 80 and _ABBREVIATION.search(text):
        return "org"
    return "text"


def row_number(text: str) -> str:
    """«1.1.» → «1.1», «2.3..» → «2.3», «1. » → «1»."""
    return re.sub(r"\s+", "", text).rstrip(".")


# ---- legal acts and amendment notes ------------------------------------------------------------

_KINDS = [
    ("постановлени", "постановление"),
    ("распоряжени", "распоряжение"),
    ("приказ", "приказ"),
    ("решени", "решение"),
    ("указ", "указ"),
    ("закон", "закон"),
]
_KIND_WORD = r"(?:постановлени|распоряжени|приказ|решени|указ|закон)\w*"
_ACT_DATE = (
    r"(\d{1,2}\s?\.\s?\d{1,2}\s?\.\s?\d{2,4}|\d{1,2}\s+" + _MONTH + r"\s+\d{4}|_+|\s*)\s*(?:г\.|года)?"
)
_ACT_NUMBER = r"(?:№|N|No)\s*([^\s,;)]*)"
# «УТВЕРЖДЕН постановлением … от … № …», «Приложение № 3 к приказу … от 14 марта 2019 г. № 210».
APPROVAL = re.compile(
    r"(?:утвержд\w*|приложение\s*(?:№\s*\d+\s*)?к)\s+("
    + _KIND_WORD
    + r")\s+(.{0,250}?)\s*\bот\s*"
    + _ACT_DATE
    + r"\s*"
    + _ACT_NUMBER,
    re.I,
)
# Amendment notes in brackets: «(в ред. … )», «(Пункт изложен в редакции приказа … от …)»,
# «(введен постановлением …)», «(строка исключена …)».
_AMENDED = (
    r"в\s+ред(?:\.|акции)"
    r"|(?:пункт|подпункт|раздел|строк|позици|граф|абзац|столб|мероприяти)\w*\s+(?:[\w.]+\s+)?"
    r"(?:изложен\w*\s+в\s+(?:новой\s+)?редакции|введен\w*|исключен\w*|изменен\w*|дополнен\w*)"
    r"|(?:введен\w*|изменен\w*|дополнен\w*)\s+(?=" + _KIND_WORD + r")"
)
REVISION_NOTE = re.compile(r"\(\s*(" + _AMENDED + r")\s*([^()]*(?:\([^()]*\)[^()]*)*)\)", re.I)
REVISION_START = re.compile(r"^\(\s*(?:" + _AMENDED + r")", re.I)
_REF = re.compile(r"\bот\s*" + _ACT_DATE + r"\s*" + _ACT_NUMBER, re.I)
_MONTHS = [
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
]


def act_kind(word: str) -> str:
    word = word.lower()
    for prefix, kind in _KINDS:
        if word.startswith(prefix):
            return kind
    return word


def parse_date(text: str) -> date | None:
    text = text.strip()
    match = re.fullmatch(r"(\d{1,2})\s?\.\s?(\d{1,2})\s?\.\s?(\d{2,4})", text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year + 2000 if year < 100 else year, month, day)
        match = re.fullmatch(r"(\d{1,2})\s+(\w+)\s+(\d{4})", text)
        if match:
            name = match.group(2).lower()
            month = next((i + 1 for i, p in enumerate(_MONTHS) if name.startswith(p)), 0)
            return date(int(match.group(3)), month, int(match.group(1))) if month else None
    except ValueError:
        return None
    return None


def clean_number(text: str) -> str:
    return text.strip().strip("_").rstrip(".")


def find_approving_act(text: str) -> ParsedAct | None:
    match = APPROVAL.search(one_line(text))
    if not match:
        return None
    kind, issuer, when, number = match.groups()
    return ParsedAct(
        kind=act_kind(kind),
        issuer=issuer.strip(" ,"),
        number=clean_number(number),
        date=parse_date(when),
        text=match.group(0).strip(),
    )


def split_revisions(text: str) -> tuple[str, list[str]]:
    """Remove amendment notes («(в ред. … )», «(Пункт изложен в редакции …)») from a cell; return the
    text left and the notes (without brackets; «в ред. …» notes in that one spelling)."""
    notes: list[str] = []

    def take(match: re.Match) -> str:
        lead, rest = match.group(1), match.group(2)
        if re.match(r"в\s+ред", lead, re.I):
            notes.append(one_line("в ред. " + rest))
        else:
            notes.append(one_line(lead + " " + rest))
        return " "

    rest = REVISION_NOTE.sub(take, text)
    if notes:
        rest = "\n".join(clean_line(line) for line in rest.split("\n") if clean_line(line))
    return rest, notes


_KIND_IN_NOTE = re.compile(r"\b(" + _KIND_WORD + r")\s*(.*)$", re.I)


def revision_acts(note: str) -> list[ParsedAct]:
    """«в ред. Постановления Правительства Сахалинской области от 26.05.2020 N 242» → acts; so is
    «Пункт изложен в редакции приказа Министерства от 01.02.2024 № 5»."""
    body = re.sub(r"^в\s+ред\.\s*", "", note, flags=re.I)
    refs = list(_REF.finditer(body))
    if not refs:
        return []
    head = body[: refs[0].start()].strip(" ,")
    found = _KIND_IN_NOTE.search(head)
    if found:
        kind, issuer = act_kind(found.group(1)), found.group(2).strip(" ,")
    else:
        words = head.split(" ", 1)
        kind = act_kind(words[0]) if words and words[0] else ""
        issuer = words[1].strip() if len(words) > 1 else ""
    return [
        ParsedAct(
            kind=kind,
            issuer=issuer,
            number=clean_number(ref.group(2)),
            date=parse_date(ref.group(1)),
            text=note,
        )
        for ref in refs
    ]
