"""Cursor pagination on a stable key: the sync timestamp, then the primary key for ties."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class UpdatedCursorPagination(CursorPagination):
    """`?cursor=` pages in (updated_at, pk) order unless the view names its own `cursor_ordering`;
    a client syncing incrementally keeps the last page's newest `updated_at` for `updated_since`."""

    ordering = ("updated_at", "pk")
    page_size_query_param = "page_size"
    max_page_size = 1000
    cursor_query_description = "Курсор страницы (из ссылок next / previous предыдущего ответа)."
    page_size_query_description = "Сколько записей на странице (не больше 1000)."

    def get_ordering(self, request, queryset, view) -> tuple[str, ...]:
        return tuple(getattr(view, "cursor_ordering", self.ordering))
