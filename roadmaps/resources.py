"""django-import-export resources: raw data in and out of the admin as .xlsx."""

from import_export import fields, widgets

from config.resources import FormulaSafeModelResource
from organizations.models import Organization
from roadmaps.models import Activity, Checkpoint, Indicator, IndicatorValue, Roadmap, Section
from roadmaps.services.activities import ACTIVITY_FIELDS


class ActivityResource(FormulaSafeModelResource):
    roadmap = fields.Field(
        attribute="roadmap", column_name="roadmap", widget=widgets.ForeignKeyWidget(Roadmap)
    )
    section = fields.Field(
        attribute="section", column_name="section", widget=widgets.ForeignKeyWidget(Section)
    )

    class Meta:
        model = Activity
        import_id_fields = ("roadmap", "number")
        fields = ("roadmap", *ACTIVITY_FIELDS)
        export_order = fields
        skip_unchanged = True
        use_transactions = True

    def get_queryset(self):
        return super().get_queryset().select_related("roadmap", "section").order_by("roadmap_id", "sort_key")


class CheckpointResource(FormulaSafeModelResource):
    roadmap = fields.Field(attribute="activity__roadmap_id", column_name="roadmap", readonly=True)
    activity_number = fields.Field(attribute="activity__number", column_name="activity_number", readonly=True)

    class Meta:
        model = Checkpoint
        fields = (
            "id",
            "roadmap",
            "activity_number",
            "period_label",
            "planned_start",
            "planned_due",
            "status",
            "actual_date",
            "actual_text",
            "result",
            "return_reason",
        )
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("activity").order_by("activity__roadmap_id", "pk")


class IndicatorValueResource(FormulaSafeModelResource):
    indicator = fields.Field(
        attribute="indicator", column_name="indicator", widget=widgets.ForeignKeyWidget(Indicator)
    )
    organization = fields.Field(
        attribute="organization",
        column_name="organization",
        widget=widgets.ForeignKeyWidget(Organization, field="short_name"),
    )

    class Meta:
        model = IndicatorValue
        import_id_fields = ("indicator", "year", "organization")
        fields = ("indicator", "year", "organization", "value", "weight")
        skip_unchanged = True
        use_transactions = True
