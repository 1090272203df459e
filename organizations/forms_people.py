"""Forms of the people pages: an invitation and a role change, offering only the roles the actor may grant."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Membership, Organization
from organizations.people import grantable_roles


class _RoleChoicesMixin:
    def _limit_roles(self, *, actor, organization: Organization) -> None:
        allowed = grantable_roles(actor=actor, organization=organization)
        self.fields["role"].choices = [(v, label) for v, label in Membership.Role.choices if v in allowed]


class InviteForm(_RoleChoicesMixin, forms.Form):
    full_name = forms.CharField(label=_("Фамилия, имя, отчество"), max_length=300)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(
        label=_("Роль"), choices=Membership.Role.choices, initial=Membership.Role.COORDINATOR
    )
    position = forms.CharField(label=_("Должность"), max_length=200, required=False)

    def __init__(self, *args, actor, organization: Organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._limit_roles(actor=actor, organization=organization)


class RoleForm(_RoleChoicesMixin, forms.Form):
    role = forms.ChoiceField(label=_("Роль"), choices=Membership.Role.choices)

    def __init__(self, *args, actor, organization: Organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._limit_roles(actor=actor, organization=organization)
