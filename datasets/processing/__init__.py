"""Processing of uploaded files: real type, thumbnails, text, validation and profiling.

Every reader takes a ``Source``: a path (tests, benchmarks) or a ``StoredSource``, a file
of the storage read in chunks where it is (``datasets.stored_files``); both ``open("rb")``.
"""

from pathlib import Path

from datasets.stored_files import StoredSource

Source = Path | StoredSource


class ProcessingError(Exception):
    """A file cannot be accepted; the message is shown to the researcher as it is.

    ``problems`` are the problems found in a table's cells, in the stored form of
    ``datasets.messages.problem``: worded when read, for the reader.
    """

    def __init__(self, message: str = "", problems: list[dict] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []
