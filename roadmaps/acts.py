"""How a document cites a legal act: «утверждена приказом департамента … от ДД.ММ.ГГГГ № …»,
«(в ред. распоряжения министерства … от … № …)». Plain Python, no database."""

from __future__ import annotations

import datetime
import re

INSTRUMENTAL = "instrumental"  # «утверждена приказом …»
GENITIVE = "genitive"  # «в ред. приказа …»

# The act's kind (LegalAct.Kind values, or the word an imported document used) in each case.
_KINDS = {
    "order": ("приказ", "приказом", "приказа"),
    "directive": ("распоряжение", "распоряжением", "распоряжения"),
    "decree": ("постановление", "постановлением", "постановления"),
    "decision": ("решение", "решением", "решения"),
    "other": ("документ", "документом", "документа"),
}
_KIND_STEMS = {"приказ": "order", "распоряжени": "directive", "постановлени": "decree", "решени": "decision"}

# The head noun of an issuer: nominative → genitive. A word already in the genitive is kept.
_HEADS = {
    "департамент": "департамента",
    "министерство": "министерства",
    "управление": "управления",
    "комитет": "комитета",
    "отдел": "отдела",
    "правительство": "правительства",
    "администрация": "администрации",
    "губернатор": "губернатора",
    "глава": "главы",
    "мэр": "мэра",
    "мэрия": "мэрии",
    "агентство": "агентства",
    "служба": "службы",
    "центр": "центра",
    "институт": "института",
    "учреждение": "учреждения",
    "директор": "директора",
    "начальник": "начальника",
    "руководитель": "руководителя",
}
_GENITIVE_HEADS = set(_HEADS.values())
_FIRST_WORD = re.compile(r"^(\S+)(.*)$", re.S)


def act_kind_code(kind: str) -> str:
    """A LegalAct.Kind value for a code or a word in any case («приказ», «Постановлением»)."""
    word = kind.strip().lower()
    if word in _KINDS:
        return word
    return next((code for stem, code in _KIND_STEMS.items() if word.startswith(stem)), "other")


def issuer_genitive(issuer: str) -> str:
    """«Департамент общего образования Томской области» → «департамента общего образования Томской
    области». Only a known head noun is changed (and lower-cased); anything else is left as written."""
    match = _FIRST_WORD.match(" ".join(issuer.split()))
    if not match:
        return ""
    word, rest = match.groups()
    lower = word.lower()
    if lower in _HEADS:
        return _HEADS[lower] + rest
    if lower in _GENITIVE_HEADS:
        return lower + rest
    return word + rest


def act_citation(
    *, kind: str, issuer: str, date: datetime.date | None, number: str, case: str = INSTRUMENTAL
) -> str:
    """«приказом департамента … от 01.02.2024 № 5» (instrumental) or «приказа департамента …» (genitive)."""
    forms = _KINDS[act_kind_code(kind)]
    kind_word = forms[1] if case == INSTRUMENTAL else forms[2]
    when = date.strftime("%d.%m.%Y") if date else "__________"
    who = issuer_genitive(issuer)
    return " ".join(part for part in (kind_word, who, f"от {when} № {number or '____'}") if part)


def approval_text(*, kind: str, issuer: str, date: datetime.date | None, number: str) -> str:
    """The approval block of a roadmap: «УТВЕРЖДЕНА приказом департамента … от … № …»."""
    return "УТВЕРЖДЕНА " + act_citation(kind=kind, issuer=issuer, date=date, number=number)


def amendment_text(*, kind: str, issuer: str, date: datetime.date | None, number: str) -> str:
    """An amendment note without its brackets: «в ред. приказа департамента … от … № …»."""
    return "в ред. " + act_citation(kind=kind, issuer=issuer, date=date, number=number, case=GENITIVE)
