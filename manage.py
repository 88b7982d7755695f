#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from collections.abc import MutableMapping


def lift_statement_timeout(argv: list[str], environ: MutableMapping[str, str]) -> None:
    """Run an operator's command without the web's statement timeout, unless one is set.

    ``DATABASE_STATEMENT_TIMEOUT_MS`` bounds web requests; a migration or the reprocessing
    of millions of records may rightly run longer. ``runserver`` serves requests: it keeps it.
    """
    if argv[1:2] != ["runserver"]:
        environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "0")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neaspec_portal.settings")
    lift_statement_timeout(sys.argv, os.environ)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
