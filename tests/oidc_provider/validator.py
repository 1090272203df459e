from __future__ import annotations

from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.oidc_provider.people import BY_USERNAME


class EmailClaimsValidator(OAuth2Validator):
    """The e-mail claims (scope «email»), as a regional Keycloak sends them."""

    def get_additional_claims(self, request):
        person = BY_USERNAME[request.user.username]
        return {"email": person.email, "email_verified": person.email_verified}
