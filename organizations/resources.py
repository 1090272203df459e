from import_export import fields, widgets

from config.resources import FormulaSafeModelResource
from organizations.models import Organization, Region


class OrganizationResource(FormulaSafeModelResource):
    region = fields.Field(
        attribute="region", column_name="region", widget=widgets.ForeignKeyWidget(Region, field="code")
    )
    parent = fields.Field(
        attribute="parent",
        column_name="parent",
        widget=widgets.ForeignKeyWidget(Organization, field="short_name"),
    )

    class Meta:
        model = Organization
        fields = (
            "id",
            "full_name",
            "short_name",
            "kind",
            "parent",
            "region",
            "address",
            "phone",
            "email",
            "inn",
            "ogrn",
            "head_name",
            "head_position",
        )
        export_order = fields
        skip_unchanged = True
        use_transactions = True

    # Text columns a spreadsheet leaves empty arrive as None; the model stores a blank as "" (NOT NULL).
    TEXT_COLUMNS = ("full_name", "short_name", "address", "phone", "email", "inn", "ogrn", "head_name",
                    "head_position")  # fmt: skip

    def before_import_row(self, row, **kwargs) -> None:
        for column in self.TEXT_COLUMNS:
            if column in row and row[column] is None:
                row[column] = ""
