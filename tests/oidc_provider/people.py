"""The provider's accounts, known to the provider process and to the tests (no Django import)."""

from __future__ import annotations

from dataclasses import dataclass

PASSWORD = "provider-pass-2025"
CLIENT_ID = "roadmap-portal"
CLIENT_SECRET = "portal-client-secret-for-tests"


@dataclass(frozen=True)
class ProviderPerson:
    username: str
    email: str
    email_verified: bool = True


PEOPLE = [
    # Invited to the portal and never set a password there.
    ProviderPerson("orlova", "orlova@kedr.example"),
    # The provider spells the address with capitals; the portal's account is lower-case.
    ProviderPerson("ivanov", "Ivanov@School.ru"),
    # Nobody invited this address.
    ProviderPerson("stranger", "stranger@elsewhere.example"),
    # Invited, then switched off by staff.
    ProviderPerson("switched_off", "switched-off@kedr.example"),
    # The provider has not checked the address.
    ProviderPerson("unverified", "unverified@kedr.example", email_verified=False),
    # An account in the portal with no membership.
    ProviderPerson("nomember", "nomember@kedr.example"),
]
BY_USERNAME = {person.username: person for person in PEOPLE}
