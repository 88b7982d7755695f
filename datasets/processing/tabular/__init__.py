"""Streaming validation and profiling of tables: CSV, Darwin Core, Camtrap DP, Movebank.

Memory stays constant whatever the file's size: the table is read in chunks of about 2 MB.
A chunk of whole lines without quotes, carriage returns or NULs (the usual case) is read by
Arrow, only the columns the profile needs, and checked with Arrow's compute functions; date
strings are parsed once each. A chunk that is not that simple (empty or wrong values, ragged
rows, padded numbers, Windows line ends) is read line by line in Python; from the first quote
or NUL on, the rest of the file is read by the csv module. Problems are reported in words a
researcher can act on, with row numbers, whichever way the rows were read. A big table whose
points are not stored is read by two processes, each taking half of the file.
"""

from datasets.processing.tabular.columns import (
    FORMATS,
    LATITUDE,
    LONGITUDE,
    Profile,
    detect_format,
    open_text,
)
from datasets.processing.tabular.columns import _first as first_column
from datasets.processing.tabular.head import Head, read_head
from datasets.processing.tabular.scan import profile_csv

__all__ = [
    "FORMATS",
    "LATITUDE",
    "LONGITUDE",
    "Head",
    "Profile",
    "detect_format",
    "first_column",
    "open_text",
    "profile_csv",
    "read_head",
]
