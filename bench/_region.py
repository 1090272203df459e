"""What the benchmarks that build their own region share (not a benchmark itself: bench/run.py runs only
bench_*.py). Call after django.setup(), inside the transaction the benchmark rolls back."""

from __future__ import annotations


def authority_with_schools(*, full_name: str, short_name: str, schools: int):
    """A regional authority and `schools` schools under it, their paths set in one UPDATE.

    Returns the authority and the schools' ids in creation order."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat

    from organizations.models import Organization

    authority = Organization.objects.create(
        full_name=full_name, short_name=short_name, kind=Organization.Kind.REGIONAL_AUTHORITY
    )
    Organization.objects.bulk_create(
        Organization(
            full_name=f"Школа № {n} (замер)", short_name=f"Школа {n}", kind="school", parent=authority
        )
        for n in range(schools)
    )
    created = Organization.objects.filter(parent=authority)
    created.update(path=Concat(Value(authority.path), Cast("id", CharField()), Value("/")))
    return authority, list(created.order_by("pk").values_list("pk", flat=True))
