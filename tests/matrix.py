"""What the access matrices share: rows made once for a module, and search asked twice.

The matrices of datasets and of the library build hundreds of rows; building them for each
test would take minutes, so a module-scoped fixture writes them outside the tests'
transactions and removes them itself.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management import call_command
from django.db import transaction

from species.services import reference_data_load


@contextmanager
def module_rows(django_db_blocker) -> Iterator[None]:
    """Let a module-scoped fixture write rows that outlive each test's transaction; then
    remove them and reload the reference data every other test expects."""
    with django_db_blocker.unblock():
        transaction.set_autocommit(True)
        yield
        call_command("flush", interactive=False, verbosity=0)
        reference_data_load()


def found_by_search(client, word: str, *, kind: str, pages: str) -> dict[int, tuple[bool, bool]]:
    """Return the objects search finds by ``word``: id → (by the API, by the page).

    ``kind`` is the search's type filter, ``pages`` the path the page links them under
    (``/data/``, ``/library/``).
    """
    api = client.get("/api/v1/search/", {"q": word, "type": kind}).json()
    assert api["count"] == len(api["results"]), "the matrix's objects fit on one page"
    by_api = {item["id"] for item in api["results"]}
    page = client.get("/search/", {"q": word, "type": kind}).content.decode()
    by_page = {int(pk) for pk in re.findall(rf'href="{pages}(\d+)/"', page)}
    return {pk: (pk in by_api, pk in by_page) for pk in by_api | by_page}
