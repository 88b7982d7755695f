"""Processing of uploaded files: real type, thumbnails, text, validation and profiling.

Every reader takes a ``Source``: a path (tests, benchmarks) or a ``StoredSource``, a file
of the storage read in chunks where it is (``datasets.stored_files``); both ``open("rb")``.
"""

from pathlib import Path

from datasets.message_catalog import english
from datasets.stored_files import StoredSource

Source = Path | StoredSource


class ProcessingError(Exception):
    """A file cannot be accepted, for the reason named by ``code`` with ``params``.

    The reason is worded when read, in the reader's language (``datasets.message_catalog``);
    ``str()`` gives it in English, for logs. ``problems`` are the problems found in a
    table's cells, in the stored form of ``datasets.messages.problem``.
    """

    def __init__(self, code: str = "", problems: list[dict] | None = None, **params) -> None:
        self.code = code or "cell_problems"
        self.params = params
        self.problems = problems or []
        super().__init__(self.code)

    def __str__(self) -> str:
        return english(self.code, self.params)
