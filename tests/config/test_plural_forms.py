"""Every counted phrase of the interface has its three Russian plural forms in the committed catalogue.

Without an entry gettext falls back to the English one/many rule: «и ещё 3 строк». The catalogue is read
from the compiled file the portal loads, so a .po edited without recompiling fails here too.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.mo"
COUNTED = re.compile(
    r"{% blocktranslate count (\w+)=[^%]*%}(.*?){% plural %}(.*?){% endblocktranslate %}", re.S
)
NGETTEXT = re.compile(r'ngettext\(\s*"([^"]+)",\s*"([^"]+)"')


def _counted_phrases() -> list[tuple[str, str]]:
    phrases = []
    for template in (ROOT / "templates").rglob("*.html"):
        for variable, singular, plural in COUNTED.findall(template.read_text()):
            placeholder = "{{ " + variable + " }}"
            phrases.append(
                (
                    singular.replace(placeholder, f"%({variable})s"),
                    plural.replace(placeholder, f"%({variable})s"),
                )
            )
    for module in ROOT.glob("*/**/*.py"):
        if ".venv" not in module.parts and "tests" not in module.parts:
            phrases += NGETTEXT.findall(module.read_text())
    return phrases


def test_the_interface_has_counted_phrases_to_check():
    assert len(_counted_phrases()) >= 5


@pytest.mark.parametrize("singular, plural", _counted_phrases())
def test_a_counted_phrase_takes_the_three_russian_forms(singular, plural):
    with CATALOGUE.open("rb") as file:
        catalogue = gettext.GNUTranslations(file)
    catalogue.add_fallback(_Missing())  # asked only for what the catalogue lacks
    forms = {n: catalogue.ngettext(singular, plural, n) for n in (1, 3, 5, 21, 11)}
    assert MISSING not in forms.values()
    assert forms[1] == singular and forms[5] == plural
    assert forms[21] == forms[1] and forms[11] == forms[5]


MISSING = "нет в каталоге"


class _Missing(gettext.NullTranslations):
    def ngettext(self, msgid1, msgid2, n):
        return MISSING
