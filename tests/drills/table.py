"""The table of the drills' outcomes, printed at the end of the run, with or without xdist.

A drill's outcome travels on its test's report (``user_properties``), which pytest-xdist
sends from the worker that ran it to the process that prints: the top conftest collects the
rows there, since only it is loaded in that process.
"""

#: The name of a report's property that holds the title of the table and a row of it.
PROPERTY = "drill outcome"
HEADER = ["drill", "files", "final states", "duplicates", "orphans", "recovery time", "errors"]

#: The rows reported so far, under the title of their table (the scale of the drills).
ROWS: dict[str, list[list[str]]] = {}


def collect(report) -> None:
    """Keep the drill outcomes a test's report carries (its setup and teardown carry them too)."""
    if report.when != "call":
        return
    for name, value in getattr(report, "user_properties", ()):
        if name == PROPERTY:
            title, row = value
            ROWS.setdefault(title, []).append(list(row))


def write(terminalreporter) -> None:
    for title, outcomes in ROWS.items():
        rows = [HEADER, *outcomes]
        widths = [max(len(row[column]) for row in rows) for column in range(len(HEADER))]
        terminalreporter.section(title)
        for index, row in enumerate(rows):
            terminalreporter.write_line(
                "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            )
            if index == 0:
                terminalreporter.write_line("  ".join("-" * width for width in widths))
