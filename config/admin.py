"""The Django admin is for technical administrators: active superusers, nobody else.

Staff do their work in the portal, whose services check the scope and the rules. The admin would go around
both, so `is_staff` no longer opens it, and the domain models are registered with the read-only classes
below: a superuser investigates there, and changes happen in the portal.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from import_export.admin import ExportMixin
from import_export.forms import SelectableFieldsExportForm
from simple_history.admin import SimpleHistoryAdmin

from config.admin_names import accusative, counted


def superuser_only(request: HttpRequest) -> bool:
    """`AdminSite.has_permission` of the portal: an active superuser, whatever `is_staff` says."""
    user = request.user
    return user.is_active and user.is_superuser


class SuperuserAuthenticationForm(AdminAuthenticationForm):
    """The admin login refuses staff accounts instead of logging them in to a site they cannot use."""

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.is_superuser:
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


def admin_site_restrict(site: admin.AdminSite) -> None:
    """Make `site` (the default one, where every app registers) answer superusers only."""
    site.site_header = "Портал дорожных карт — администрирование"
    site.site_title = "Портал дорожных карт"
    site.has_permission = superuser_only
    site.login_form = SuperuserAuthenticationForm
    site.empty_value_display = "—"
    for model, model_admin in list(site._registry.items()):
        if not isinstance(model_admin, RussianTitlesMixin):
            site.unregister(model)
            site.register(
                model, type(type(model_admin).__name__, (RussianTitlesMixin, type(model_admin)), {})
            )


class ForgivingChangeList(ChangeList):
    """A date drill-down no calendar has (`?planned_due__year=99999999999999999999999` or `=9999`) sends
    the list back without it, as every other unusable filter does, instead of answering 500.

    Its title, «Add» button and count name the model in the right case (config/admin_names.py)."""

    def __init__(self, request: HttpRequest, *args, **kwargs) -> None:
        super().__init__(request, *args, **kwargs)
        if self.is_popup:
            title = gettext("Select %s")
        elif self.model_admin.has_change_permission(request):
            title = gettext("Select %s to change")
        else:
            title = gettext("Select %s to view")
        self.title = title % accusative(self.model)

    def get_filters(self, request: HttpRequest):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as exc:
            raise IncorrectLookupParameters(exc) from exc

    @property
    def add_title(self) -> str:
        return gettext("Add %s") % accusative(self.model)

    @property
    def result_count_text(self) -> str:
        return counted(self.model, self.result_count)


class RussianTitlesMixin:
    """Every admin page of the portal (each registered ModelAdmin gets it in `admin_site_restrict`): titles
    with the model in the accusative («Выберите дорожную карту для изменения», «Добавить дорожную карту»)
    and the history pages' titles in Russian."""

    def get_changelist(self, request: HttpRequest, **kwargs) -> type[ChangeList]:
        changelist = super().get_changelist(request, **kwargs)
        return ForgivingChangeList if changelist is ChangeList else changelist

    def render_change_form(
        self, request: HttpRequest, context, add=False, change=False, form_url="", obj=None
    ):
        if add:
            title = gettext("Add %s")
        elif self.has_change_permission(request, obj):
            title = gettext("Change %s")
        else:
            title = gettext("View %s")
        context["title"] = title % accusative(self.model)
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    # django-simple-history's pages (SimpleHistoryAdmin); «View history: …» has no Russian in its catalogue.
    def history_view_title(self, request: HttpRequest, obj) -> str:
        return gettext("Change history: %s") % obj

    def history_form_view_title(self, request: HttpRequest, obj) -> str:
        return f"Версия записи: {obj}"


class ReadOnlyAdminMixin:
    """Shows a model and never writes it: its writes belong to the services."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """A read-only inline; it lists its `fields`, each shown as text (non-editable ones included)."""

    extra = 0
    show_change_link = True

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return list(self.fields or ())


class ReadOnlyHistoryAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read-only, with the django-simple-history list; a past version can be looked at, never reverted to."""

    def revert_disabled(self, request: HttpRequest, obj=None) -> bool:
        return True

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # The past-version page builds its form without asking for the change permission: every field as text.
        declared = list(super().get_readonly_fields(request, obj))
        hidden = set(declared) | set(self.get_exclude(request, obj) or ())
        fields = [f.name for f in self.model._meta.fields if f.editable and not f.auto_created]
        return declared + [name for name in fields if name not in hidden]

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ) -> HttpResponse:
        # simple-history saves a posted form here without asking for the change permission.
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class StrictPolicyExportForm(SelectableFieldsExportForm):
    """import-export's export form plus a script file that makes its «Select all» toggle work: the
    library wires the toggle with an inline onchange handler, which the Content-Security-Policy refuses."""

    @property
    def media(self) -> forms.Media:
        return super().media + forms.Media(js=["admin/js/export_select_all.js"])


class ExportAdminMixin(ExportMixin):
    """ExportMixin for the portal's admin pages (ImportExportModelAdmin ones too, listed first)."""

    export_form_class = StrictPolicyExportForm
