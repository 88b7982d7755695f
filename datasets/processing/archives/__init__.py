"""Reading the standard archives: Darwin Core Archive and Camtrap DP, streamed from the zip.

Each archive is read member by member without unpacking it, in pieces of whole rows that
Arrow reads (``stream``; the csv module where Arrow cannot): the rows of its table go
through the same running profile as a CSV (``tabular.table._Table``), so its problems are
row-numbered and worded like a CSV's, and its located rows reach the same ``on_points``
writer. A small table that rows must be joined to (a Darwin Core event core,
Camtrap DP deployments) is held in memory, keyed by its identifier; the big one streams.
"""

from datasets.processing.archives.camtrap import profile_camtrap
from datasets.processing.archives.dwca import profile_dwca
from datasets.processing.archives.movebank import movebank_animals

__all__ = ["movebank_animals", "profile_camtrap", "profile_dwca"]
