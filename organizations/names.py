"""Spellings of organisation names: which ones likely name the same organisation. Plain Python.

Documents spell one organisation many ways: «МБУ ДО ДДТ», «МБУ ДО «ДДТ»», «ДДТ», «Муниципальное бюджетное
учреждение дополнительного образования «Дом детского творчества»». `normalize_name` irons out quotes,
case, «ё» and spacing (two spellings equal after it are the same name); `identity_keys` also drops the
legal form and adds the initials of a quoted name, and `group_spellings` puts spellings sharing a key in
one group — a suggestion for the person mapping them, never a match by itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_QUOTES = re.compile(r"[«»\"“”„'‘’`]")
_NUMBER_SIGN = re.compile(r"№\s*")
_QUOTED = re.compile(r"[«\"“„]([^«»\"“”„]+)[»\"”“]")
_WORD = re.compile(r"[0-9a-zа-я№]+(?:-[0-9a-zа-я]+)*")

# Legal forms written before the name, abbreviated (МБОУ, ОГБУ ДПО…) or in full.
_LEGAL_FORMS = """
    мбу мау мку мбоу маоу мкоу моу мдоу мбдоу мадоу мкдоу мбудо маудо мбоудо гоу гбоу гаоу гкоу огбоу
    огаоу огкоу огбу огау огку огоу гбу гау гку фгбоу фгаоу фгбу чоу ано нко оу до дпо спо во
    муниципальное муниципального государственное государственного областное областного бюджетное
    бюджетного автономное автономного казенное казенного частное некоммерческая организация учреждение
    учреждения общеобразовательное образовательное образовательная дошкольное дополнительного
    образования профессионального высшего среднего"""
LEGAL_FORMS = frozenset(_LEGAL_FORMS.split())


def normalize_name(name: str) -> str:
    """Lower case, «ё» as «е», no quotes, «№3» as «№ 3», single spaces."""
    text = _QUOTES.sub(" ", name.lower().replace("ё", "е"))
    return " ".join(_NUMBER_SIGN.sub("№ ", text).split())


def _without_legal_form(words: list[str]) -> list[str]:
    """The words after the legal form, unless too little is left to name anything («ДО ТО» stays)."""
    start = 0
    while start < len(words) - 1 and words[start] in LEGAL_FORMS:
        start += 1
    rest = words[start:]
    return rest if any(len(word) >= 3 or word.isdigit() for word in rest) else words


def identity_keys(name: str) -> set[str]:
    """What a spelling is recognised by: the name without its legal form, and the quoted name with its
    initials («Дом детского творчества» → «ддт»)."""
    words = _WORD.findall(normalize_name(name))
    keys = {" ".join(_without_legal_form(words))} if words else set()
    for quoted in _QUOTED.findall(name.replace("ё", "е")):
        inner = _WORD.findall(normalize_name(quoted))
        if inner:
            keys.add(" ".join(inner))
        if len(inner) >= 2 and not any(w.isdigit() or w == "№" for w in inner):
            keys.add("".join(w[0] for w in inner))
    return {key for key in keys if key}


def group_spellings(names: Iterable[str]) -> list[list[str]]:
    """Spellings that share a key, in groups; groups and the names in them keep the order given."""
    names = list(dict.fromkeys(names))
    parent = list(range(len(names)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner_of_key: dict[str, int] = {}
    for index, name in enumerate(names):
        for key in identity_keys(name):
            if key in owner_of_key:
                parent[root(index)] = root(owner_of_key[key])
            else:
                owner_of_key[key] = index
    groups: dict[int, list[str]] = {}
    for index, name in enumerate(names):
        groups.setdefault(root(index), []).append(name)
    return sorted(groups.values(), key=lambda group: names.index(group[0]))
