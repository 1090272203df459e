#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # The web statement timeout guards requests; shell commands (migrate, seed_demo, build_report) are
    # deliberate long work, so they run without it unless the environment sets one.
    if sys.argv[1:2] != ["runserver"]:
        os.environ.setdefault("DB_STATEMENT_TIMEOUT", "0")
    # Comparing the models with the migrations signs nothing and serves nobody: it runs anywhere, with no
    # SECRET_KEY, as the development settings (DEBUG stays off for every other command).
    if sys.argv[1:2] == ["makemigrations"]:
        os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
