"""Template helpers for the roadmap screens: role flags for the menu, status badges and SVG charts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from organizations.scope import user_scope
from roadmaps.outcomes import OUTCOME_COLOURS

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_roles(context) -> dict[str, bool]:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {}
    scope = user_scope(request.user)
    return {
        "staff": scope.has_role("staff"),
        "coordinator": scope.has_role("coordinator"),
        "reader": scope.has_role("staff", "analyst", "observer"),
        "projects": scope.is_superuser or bool(scope.organization_ids),
    }


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def clip(value: Any, length: int) -> str:
    """`truncatechars` for the long lists: Django's walks every character of the text to skip combining
    marks, which Russian titles (NFC, precomposed) do not have."""
    text = str(value)
    return text if len(text) <= int(length) else text[: int(length) - 1] + "…"


# A simple tag, not an inclusion tag: it is drawn once per row of the longest lists.
@register.simple_tag
def status_badge(checkpoint, today=None) -> str:
    overdue = today is not None and checkpoint.is_overdue(today)
    label = gettext("просрочено") if overdue else checkpoint.get_status_display()
    return format_html('<span class="badge {}">{}</span>', "overdue" if overdue else checkpoint.status, label)


@register.inclusion_tag("roadmaps/partials/chart_outcomes.html")
def outcome_bars(rows: list, outcomes) -> dict[str, Any]:
    """Horizontal stacked bars of checkpoint outcomes, one inline SVG per row, scaled to the largest row.

    Each SVG stretches to the column (viewBox 0..100, preserveAspectRatio none); labels stay HTML so the
    text does not shrink with the bar.
    """
    largest = max((sum(row[key] for key, _ in outcomes) for row in rows), default=0) or 1
    bars = []
    for row in rows:
        x = 0.0
        parts = []
        for key, label in outcomes:
            w = row[key] / largest * 100
            if row[key]:
                parts.append(
                    {
                        "x": round(x, 3),
                        "w": round(w, 3),
                        "colour": OUTCOME_COLOURS[key],
                        "label": label,
                        "n": row[key],
                    }
                )
            x += w
        bars.append({"label": row["label"], "parts": parts, "total": sum(row[key] for key, _ in outcomes)})
    return {"bars": bars, "outcomes": [(key, label, OUTCOME_COLOURS[key]) for key, label in outcomes]}


@register.inclusion_tag("roadmaps/partials/chart_indicator.html")
def indicator_chart(series: dict[str, Any], width: int = 420, height: int = 160) -> dict[str, Any]:
    """Grouped bars per year: target (outline) against actual (filled), as inline SVG."""
    points = series["points"]
    values = [p[k] for p in points for k in ("target", "actual") if p[k] is not None]
    top = max(values, default=Decimal(1)) or Decimal(1)
    plot_height = height - 30
    group_width = width / max(len(points), 1)
    bar = min(group_width / 3, 36)
    groups = []
    for index, point in enumerate(points):
        x = index * group_width + (group_width - 2 * bar) / 2
        group: dict[str, Any] = {
            "year": point["year"],
            "label_x": round(index * group_width + group_width / 2, 1),
        }
        for key, offset in (("target", 0), ("actual", bar)):
            value = point[key]
            h = float(value / top) * plot_height if value is not None else 0
            group[key] = {
                "x": round(x + offset, 1),
                "y": round(plot_height - h, 1),
                "h": round(h, 1),
                "value": value,
            }
        groups.append(group)
    return {
        "indicator": series["indicator"],
        "groups": groups,
        "width": width,
        "height": height,
        "bar": round(bar - 2, 1),
        "axis_y": plot_height,
    }
