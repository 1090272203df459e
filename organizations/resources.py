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
            "aliases",
        )
        export_order = fields
        skip_unchanged = True
        use_transactions = True
