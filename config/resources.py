"""The base of every django-import-export resource: exported text never becomes a live formula.

django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only drops one leading «=» (so «==1+1»
stays a formula and «+», «-», «@» pass untouched) and turns every cell, numbers included, into text; this
escapes each exported text value with the rule the report builders use, and leaves other values typed.
"""

from __future__ import annotations

from import_export import resources

from config.spreadsheet_text import escape_formula


class FormulaSafeModelResource(resources.ModelResource):
    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))
