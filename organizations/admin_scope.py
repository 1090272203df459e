from organizations.scope import user_scope


class ScopedAdminMixin:
    """Limit an admin changelist to the user's scope; `scope_lookup` is the path to an organisation path."""

    scope_lookup: str = ""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser or not self.scope_lookup:
            return queryset
        return queryset.filter(user_scope(request.user).q(self.scope_lookup, "staff")).distinct()
