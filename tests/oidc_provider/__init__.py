"""A real OpenID Connect provider for the single sign-on tests: a tiny Django project of its own with
django-oauth-toolkit in OIDC mode, run in a second process (`serve.py`, started by `fixtures.py`)."""
