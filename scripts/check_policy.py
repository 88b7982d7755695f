"""Fail when a module reaches protected objects for someone without going through the policy.

Three rules, each "often a security bug" when broken:
1. Only the ``access/policy/`` package imports django-guardian.
2. Every module that reads protected objects for someone never queries protected models
   directly (``Model.objects``, ``get_object_or_404``); it calls ``access.policy``
   (``access_*``, ``visible_*``). Those modules are the pages and APIs, downloads and
   uploads, forms, selectors, context processors, template tags and management commands
   (see ``_reads_for_someone``). Two things are not a read for someone: a ``Prefetch``
   queryset, which loads the relations of rows already fetched through the policy, and a
   line that says why it is not, with a ``# policy: <reason>`` comment. Commands that act
   as the system for an operator, serving no user, are listed in ``OPERATOR_COMMANDS``.
3. Exact locations (the ``Occurrence`` model) are read only by the policy, and written by
   the processing pipeline and the public-form builder; everything else reads the public
   form (``PublicOccurrence``) through the policy.

Usage: python scripts/check_policy.py [ROOT]
"""

import ast
import re
import sys
from pathlib import Path

#: Models whose rows only the access policy may hand out.
PROTECTED_MODELS = (
    "Dataset",
    "DataFile",
    "DatasetFile",
    "AccessGrant",
    "AccessRequest",
    "Publication",
    "PublicationFile",
    "Material",
    "Occurrence",
    "User",
    "AuditEvent",
    "Profile",
)
POLICY_PACKAGE = Path("access/policy")
#: The modules that may name the model holding exact coordinates (besides the policy).
EXACT_LOCATION_MODULES = {
    Path("datasets/models/__init__.py"),
    Path("datasets/models/occurrences.py"),
    Path("datasets/locations.py"),
    Path("datasets/processing/pipeline.py"),
    Path("datasets/management/commands/set_species_sensitivity.py"),
}
#: The model named as code: imported, or followed by an attribute, call or list separator.
EXACT_LOCATIONS = re.compile(r"\bOccurrence\b(?=\s*[.,()\]]|\s*$)")
#: Modules that read protected objects for someone, by file name, name ending and folder.
SURFACE_NAMES = {
    "views.py",
    "api.py",
    "apis.py",
    "feeds.py",
    "sitemaps.py",
    "downloads.py",
    "uploads.py",
    "forms.py",
    "selectors.py",
    "context_processors.py",
}
SURFACE_SUFFIXES = ("_views.py", "_api.py", "_forms.py", "_selectors.py")
SURFACE_FOLDERS = {"views", "api", "templatetags", "commands"}
#: Management commands an operator runs as the system (they serve no user), and why.
OPERATOR_COMMANDS = {
    Path("accounts/management/commands/seed_demo.py"): "creates the demo accounts",
    Path("datasets/management/commands/reprocess_files.py"): "re-queues files by id",
    Path("datasets/management/commands/generalize_occurrences.py"): "rebuilds public forms",
    Path("datasets/management/commands/set_species_sensitivity.py"): "rebuilds public forms",
}
SKIP_DIRS = {
    ".venv",
    ".data",
    "node_modules",
    "static",
    "migrations",
    "tests",
    "scripts",
    "benchmarks",  # they time the exact table on purpose
}

GUARDIAN_IMPORT = re.compile(r"^\s*(from|import)\s+guardian\b", re.MULTILINE)
GUARDIAN_MODEL_BASES = re.compile(
    r"^from guardian\.models import [\w, ]*ObjectPermissionBase[\w, ]*(  # noqa: TID251)?$",
    re.MULTILINE,
)
DIRECT_QUERY = re.compile(
    r"\b(?P<model>" + "|".join(PROTECTED_MODELS) + r")\.(objects|_default_manager)\b"
)
SHORTCUT = re.compile(r"\bget_object_or_404\(|\bget_list_or_404\(")
#: A line that says why its query is not a read for someone.
REASONED = re.compile(r"#\s*policy:\s*\S")


def _python_files(root: Path):
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if not SKIP_DIRS.intersection(relative.parts):
            yield relative


def _reads_for_someone(relative: Path) -> bool:
    """Return True for a module that reads protected objects on someone's behalf."""
    if relative in OPERATOR_COMMANDS:
        return False
    return (
        relative.name in SURFACE_NAMES
        or relative.name.endswith(SURFACE_SUFFIXES)
        or bool(SURFACE_FOLDERS.intersection(relative.parts[:-1]))
    )


def _prefetch_lines(text: str) -> set[int]:
    """Return the numbers of the lines inside a ``Prefetch(...)`` call."""
    lines: set[int] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name == "Prefetch" and node.end_lineno is not None:
                lines.update(range(node.lineno, node.end_lineno + 1))
    return lines


def _direct_reads(relative: Path, text: str) -> list[str]:
    """Return one line per direct query of a protected model in ``text``."""
    found = []
    exempt = _prefetch_lines(text)
    for number, line in enumerate(text.splitlines(), start=1):
        if number in exempt or REASONED.search(line):
            continue
        match = DIRECT_QUERY.search(line)
        if match:
            found.append(
                f"{relative}:{number}: queries {match.group('model')} directly; "
                "fetch it through access.policy (access_*/visible_*) instead."
            )
        if SHORTCUT.search(line):
            found.append(
                f"{relative}:{number}: get_object_or_404 bypasses the access policy; "
                "use an access_* function of access.policy."
            )
    return found


def problems(root: Path) -> list[str]:
    """Return one line per rule broken under ``root``."""
    found = []
    for relative in _python_files(root):
        text = (root / relative).read_text(encoding="utf-8")
        # Models may subclass guardian's base classes to declare direct foreign-key tables.
        uses_guardian = GUARDIAN_IMPORT.search(GUARDIAN_MODEL_BASES.sub("", text))
        in_policy = relative.parent == POLICY_PACKAGE
        if not in_policy and uses_guardian:
            found.append(f"{relative}: imports guardian; only {POLICY_PACKAGE}/ may.")
        if not in_policy and relative not in EXACT_LOCATION_MODULES:
            for number, line in enumerate(text.splitlines(), start=1):
                if EXACT_LOCATIONS.search(line.split("#")[0]):
                    found.append(
                        f"{relative}:{number}: names Occurrence, the exact locations; read "
                        "the public form through access.policy (occurrences_for, "
                        "occurrence_summaries) instead."
                    )
        if _reads_for_someone(relative):
            found.extend(_direct_reads(relative, text))
    return found


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    found = problems(root)
    for line in found:
        print(line, file=sys.stderr)
    if found:
        print(f"{len(found)} access-policy violation(s).", file=sys.stderr)
        return 1
    print("access-policy guard: no direct access to protected objects outside access.policy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
