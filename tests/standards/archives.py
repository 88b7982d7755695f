"""Small standard archives made by the tests: Darwin Core, Camtrap DP, Movebank."""

import io
import json
import zipfile
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
DWC = "http://rs.tdwg.org/dwc/terms/"

EML = """<?xml version="1.0" encoding="UTF-8"?>
<eml:eml xmlns:eml="https://eml.ecoinformatics.org/eml-2.2.0" packageId="x" system="x">
<dataset><title>Cranes of Khanka</title>
<abstract><para>Counts of cranes on the lake shore.</para><para>Spring 2023.</para></abstract>
<keywordSet><keyword>Grus monacha</keyword></keywordSet>
<coverage><temporalCoverage><rangeOfDates><beginDate><calendarDate>2023-03-01</calendarDate>
</beginDate><endDate><calendarDate>2023-05-31</calendarDate></endDate></rangeOfDates>
</temporalCoverage></coverage>
<methods><methodStep><description><para>Point counts at dawn.</para></description></methodStep>
</methods></dataset></eml:eml>"""


def _fields(terms: list[str]) -> str:
    return "".join(
        f'<field index="{index}" term="{DWC}{term}"/>' for index, term in enumerate(terms) if term
    )


def zip_of(members: dict[str, bytes | str]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return output.getvalue()


def occurrence_dwca(rows: list[list[str]], *, eml: bool = True) -> bytes:
    """Return a tab-separated Occurrence-core archive of ``rows`` (id, name, date, lat, lon)."""
    terms = ["occurrenceID", "scientificName", "eventDate", "decimalLatitude", "decimalLongitude"]
    meta = (
        '<archive xmlns="http://rs.tdwg.org/dwc/text/" metadata="eml.xml">'
        f'<core encoding="UTF-8" fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" '
        f'fieldsEnclosedBy="" ignoreHeaderLines="1" rowType="{DWC}Occurrence">'
        f'<files><location>occurrence.txt</location></files><id index="0"/>{_fields(terms)}'
        f'<field term="{DWC}basisOfRecord" default="HumanObservation"/></core></archive>'
    )
    text = "\n".join("\t".join(row) for row in [terms, *rows]) + "\n"
    members: dict[str, bytes | str] = {"meta.xml": meta, "occurrence.txt": text}
    if eml:
        members["eml.xml"] = EML
    return zip_of(members)


def event_dwca() -> bytes:
    """Return an Event-core archive whose occurrences take their event's date and place."""
    meta = (
        '<archive xmlns="http://rs.tdwg.org/dwc/text/">'
        f'<core fieldsTerminatedBy="," ignoreHeaderLines="1" rowType="{DWC}Event">'
        '<files><location>event.csv</location></files><id index="0"/>'
        f"{_fields(['eventID', 'eventDate', 'decimalLatitude', 'decimalLongitude'])}</core>"
        f'<extension fieldsTerminatedBy="," ignoreHeaderLines="1" rowType="{DWC}Occurrence">'
        '<files><location>occurrence.csv</location></files><coreid index="0"/>'
        f"{_fields(['', 'occurrenceID', 'scientificName', 'individualCount'])}</extension>"
        "</archive>"
    )
    return zip_of(
        {
            "meta.xml": meta,
            "event.csv": "eventID,eventDate,decimalLatitude,decimalLongitude\n"
            "e1,2023-04-02,45.1,132.4\ne2,2023-04-09,45.2,132.5\n",
            "occurrence.csv": "eventID,occurrenceID,scientificName,individualCount\n"
            "e1,o1,Grus monacha,12\ne1,o2,Grus vipio,3\ne2,o3,Grus monacha,5\n",
        }
    )


def camtrap_example() -> bytes:
    """Return the Camtrap DP 1.0.2 example package, zipped (without its images)."""
    return zip_of(
        {
            name: (DATA / f"camtrap-dp-example-{name}").read_bytes()
            for name in ("datapackage.json", "deployments.csv", "media.csv", "observations.csv")
        }
    )


def camtrap(
    *, latitude: str = "43.12", descriptor_changes: dict | None = None, observations_extra: str = ""
) -> bytes:
    """Return a small Camtrap DP package: two deployments, tiger and deer detections."""
    descriptor = json.loads((DATA / "camtrap-dp-example-datapackage.json").read_text())
    descriptor.update(descriptor_changes or {})
    deployments = (
        "deploymentID,locationID,latitude,longitude,deploymentStart,deploymentEnd\n"
        f"d1,l1,{latitude},131.56,2023-01-01T00:00:00Z,2023-01-31T00:00:00Z\n"
        "d2,l2,43.30,131.70,2023-02-01T00:00:00Z,2023-02-11T00:00:00Z\n"
    )
    media = (
        "mediaID,deploymentID,captureMethod,timestamp,filePath,filePublic,fileMediatype\n"
        "m1,d1,activityDetection,2023-01-05T02:00:00Z,m1.jpg,false,image/jpeg\n"
    )
    observations = (
        "observationID,deploymentID,mediaID,eventID,eventStart,eventEnd,observationLevel,"
        "observationType,scientificName,count\n"
        "o1,d1,,e1,2023-01-05T02:00:00Z,2023-01-05T02:01:00Z,event,animal,"
        "Panthera tigris altaica,1\n"
        "o2,d2,,e2,2023-02-03T05:00:00Z,2023-02-03T05:01:00Z,event,animal,Capreolus pygargus,2\n"
        "o3,d2,m1,e2,2023-02-03T05:00:00Z,2023-02-03T05:00:00Z,media,animal,"
        "Capreolus pygargus,2\n"
        "o4,d1,,e3,2023-01-06T02:00:00Z,2023-01-06T02:01:00Z,event,blank,,\n"
    ) + observations_extra
    return zip_of(
        {
            "datapackage.json": json.dumps(descriptor),
            "deployments.csv": deployments,
            "media.csv": media,
            "observations.csv": observations,
        }
    )


MOVEBANK = (
    "event-id,timestamp,location-long,location-lat,individual-local-identifier,"
    "tag-local-identifier,sensor-type\n"
    "1,2022-03-01 10:00:00.000,131.1,43.1,Tiger-A,T1,gps\n"
    "2,2022-03-01 14:00:00.000,131.2,43.2,Tiger-A,T1,gps\n"
    "3,2022-03-01 10:00:00.000,132.1,44.1,Tiger-B,T2,gps\n"
    "4,2022-03-02 10:00:00.000,132.2,44.2,Tiger-B,T3,gps\n"
)
