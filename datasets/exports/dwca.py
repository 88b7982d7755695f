"""Darwin Core Archive of a dataset's occurrences, written as it is sent.

The archive holds ``meta.xml`` (the star schema: one Occurrence core), ``occurrence.txt``
(tab-separated, a header line, no quoting: tabs and line breaks inside values become
spaces) and ``eml.xml`` (EML 2.2, ``datasets.exports.eml``). Rows come from
``policy.occurrence_rows``: exact for people who may download the dataset's files, the
public form for everyone else. The zip is written to a pipe that hands its bytes on after
each block of rows (``zipfile`` writes data descriptors to a stream it cannot seek), so a
dataset of any size costs the memory of one block.
"""

from collections.abc import Iterable, Iterator
from xml.etree import ElementTree as ET  # noqa: S405 -- builds XML, parses none
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from django.utils import timezone, translation

from access import policy
from access.policy.roles import Actor
from datasets.exports.eml import eml_document
from datasets.models import Dataset
from datasets.zip_stream import Pipe as _Pipe

TEXT_NS = "http://rs.tdwg.org/dwc/text/"
DWC = "http://rs.tdwg.org/dwc/terms/"
#: Terms that are not Darwin Core's own, by their namespace.
OTHER_TERMS = {"license": "http://purl.org/dc/terms/license"}
OCCURRENCE = DWC + "Occurrence"
#: Rows written between two hand-overs of bytes.
BLOCK_ROWS = 1000
_CLEAN = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def term_uri(term: str) -> str:
    """Return the full URI of a column's term."""
    return OTHER_TERMS.get(term, DWC + term)


def meta_document() -> bytes:
    """Return ``meta.xml``: the core file, its id column and the term of every column."""
    # The namespace is declared by hand: ElementTree's prefix registry is process-wide.
    archive = ET.Element("archive", {"xmlns": TEXT_NS, "metadata": "eml.xml"})
    core = ET.SubElement(
        archive,
        "core",
        {
            "encoding": "UTF-8",
            "fieldsTerminatedBy": "\\t",
            "linesTerminatedBy": "\\n",
            "fieldsEnclosedBy": "",
            "ignoreHeaderLines": "1",
            "rowType": OCCURRENCE,
        },
    )
    files = ET.SubElement(core, "files")
    ET.SubElement(files, "location").text = "occurrence.txt"
    ET.SubElement(core, "id", {"index": "0"})
    for index, term in enumerate(policy.DWC_TERMS):
        ET.SubElement(core, "field", {"index": str(index), "term": term_uri(term)})
    return ET.tostring(archive, encoding="utf-8", xml_declaration=True)


def _line(values: Iterable[str]) -> bytes:
    return ("\t".join(value.translate(_CLEAN) for value in values) + "\n").encode()


def archive_chunks(user: Actor, dataset: Dataset) -> Iterator[bytes]:
    """Yield the bytes of the Darwin Core Archive of ``dataset`` as ``user`` may have it."""
    pipe = _Pipe()
    with translation.override("en"):
        eml = eml_document(dataset)
    with ZipFile(pipe, mode="w", compression=ZIP_DEFLATED) as archive:
        archive.writestr("meta.xml", meta_document())
        archive.writestr("eml.xml", eml)
        yield pipe.take()
        # A member opened for writing is dated 1980 unless given its own date.
        table_info = ZipInfo("occurrence.txt", date_time=timezone.now().timetuple()[:6])
        table_info.compress_type = ZIP_DEFLATED
        with archive.open(table_info, mode="w", force_zip64=True) as table:
            table.write(_line(policy.DWC_TERMS))
            for count, row in enumerate(policy.occurrence_rows(user, dataset), start=1):
                table.write(_line(row.get(term, "") for term in policy.DWC_TERMS))
                if count % BLOCK_ROWS == 0:
                    yield pipe.take()
    yield pipe.take()
