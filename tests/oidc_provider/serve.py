"""Start the test identity provider: `python -m tests.oidc_provider.serve --db FILE --redirect-uri URI`.

Migrates a fresh SQLite file, creates the people of people.py and the portal's confidential client (RS256,
no consent screen), binds a free port on 127.0.0.1, prints `PORT <n>` and serves until it is stopped.
"""

from __future__ import annotations

import argparse
import os
import sys


def _set_up(redirect_uri: str) -> None:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    from tests.oidc_provider.people import CLIENT_ID, CLIENT_SECRET, PASSWORD, PEOPLE

    call_command("migrate", verbosity=0, interactive=False)
    for person in PEOPLE:
        User.objects.create_user(person.username, email=person.email, password=PASSWORD)
    Application.objects.create(
        name="Портал дорожных карт",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,  # hashed on save; the portal sends it in the clear
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        post_logout_redirect_uris=redirect_uri.rsplit("/accounts/", 1)[0] + "/accounts/login/",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--redirect-uri", required=True)
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    os.environ["OIDC_PROVIDER_DB"] = args.db

    import django

    django.setup()
    _set_up(args.redirect_uri)

    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler, allow_reuse_address=False)
    server.set_app(get_wsgi_application())
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    sys.exit(0)


if __name__ == "__main__":
    main()
