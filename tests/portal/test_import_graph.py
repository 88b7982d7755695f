"""The import graph shows the architecture: apps depend downward, and nothing hides an arrow.

Every module of the project's apps is read with ``ast`` (imports at module level and inside
functions alike), mapped to its layer, and each arrow between layers must point down the
list below. Models are the shared floor: any layer may import any app's ``models``, and a
``models`` module imports only models below it (and its own app's ``rules``, validators that
import nothing of the project). docs/architecture.md draws the same layers.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: The layers, lowest first: a module may import its own layer and the layers before it.
LAYERS = [
    "neaspec_portal",  # core: settings, environment, parameters, mail, caching, errors
    "access",  # the access policy and the audit trail
    "maps",  # the map page and the point-and-legend drawing that species pages reuse
    "species",  # reference data, name resolution, species, site and country pages
    "accounts",  # registration, verification, roles, second factor, API tokens
    "search",  # the index; datasets and publications index themselves on commit
    "datasets",  # datasets, files, review, access requests and grants, processing
    "publications",  # the library and events (uploads through datasets' storage)
    "people",  # public profiles, the expert directory, links from authors to profiles
    "projects",  # projects and networks, which gather the items of the apps below
    "programme",  # the programme's targets and figures (capacity building, participation)
    "reports",  # the secretariat's reports: a registry of tables, charts and downloads
    "home",  # the home page, which sums up every app
    "wiring",  # the URL confs and the template context: they name every app
]
#: Modules of ``neaspec_portal`` that wire the apps together, above all of them.
WIRING = {
    "neaspec_portal.urls",
    "neaspec_portal.api_urls",
    "neaspec_portal.context_processors",
}
#: Models, lowest first: a models module imports only the models before it.
MODEL_LAYERS = [
    "species",
    "accounts",
    "access",
    "datasets",
    "publications",
    "search",
    "people",
    "projects",
    "programme",
]

#: Upward arrows that remain, each with its reason: (importing module, imported layer).
UPWARD_EXCEPTIONS = {
    # A development command that seeds every app's demo data; it runs after all are loaded.
    ("accounts.management.commands.seed_demo", "datasets"): "seeds demo datasets",
    ("accounts.management.commands.seed_demo", "publications"): "seeds the demo library",
    ("accounts.management.commands.seed_demo", "people"): "seeds demo public profiles",
    ("accounts.management.commands.seed_demo", "projects"): "seeds the demo projects",
    ("accounts.management.commands.seed_demo", "programme"): "seeds the demo trainings",
}

#: Imports inside functions that stay, each with its reason: (path, function).
FUNCTION_IMPORTS = {
    # Optional heavy libraries that only the worker needs (web processes read no files).
    ("datasets/processing/extract.py", "_read_pdf"): "pypdf",
    ("datasets/processing/extract.py", "pdf_text"): "pypdf",
    ("datasets/processing/extract.py", "_pdfium_error"): "pypdfium2",
    ("datasets/processing/extract.py", "_thumbnail"): "pypdfium2",
    ("datasets/processing/tabular/table.py", "add_block"): "Arrow, about 50 MB per process",
    ("datasets/processing/tabular/table.py", "add_strings"): "Arrow, about 50 MB per process",
    ("datasets/processing/tabular/table.py", "_add_read_block"): "Arrow, about 50 MB per process",
    # Frictionless and jsonschema, some 15 MB, only in the process that checks a package.
    ("datasets/processing/archives/camtrap.py", "_validator"): "jsonschema, referencing",
    ("datasets/processing/archives/camtrap.py", "_check_descriptor"): "Frictionless",
    ("datasets/processing/archives/camtrap.py", "_check_table"): "Frictionless",
}

APPS = set(LAYERS) - {"wiring"}


@dataclass(frozen=True)
class Import:
    path: str
    module: str
    line: int
    target: str
    function: str | None


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _targets(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level or node.module is None:
        return []  # relative imports stay inside their package
    return [f"{node.module}.{alias.name}" for alias in node.names]


def _walk(node: ast.AST, function: str | None) -> Iterator[tuple[ast.AST, str | None]]:
    for child in ast.iter_child_nodes(node):
        inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else None
        yield child, function
        yield from _walk(child, inner or function)


def imports_in(source: str, relative: str) -> list[Import]:
    """Return every import in ``source`` (the file at ``relative``), with its function."""
    module = _module_name(ROOT / relative)
    return [
        Import(relative, module, node.lineno, target, function)
        for node, function in _walk(ast.parse(source), None)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for target in _targets(node)
    ]


def project_imports() -> list[Import]:
    """Return every import in the project's apps (migrations aside), with its function."""
    found = []
    for app in sorted(APPS):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                relative = str(path.relative_to(ROOT))
                found.extend(imports_in(path.read_text(encoding="utf-8"), relative))
    return found


def hidden_imports(imports: list[Import]) -> list[str]:
    """Return each import made inside a function that ``FUNCTION_IMPORTS`` does not allow."""
    return [
        f"{item.path}:{item.line}: {item.function}() imports {item.target}"
        for item in imports
        if item.function and (item.path, item.function) not in FUNCTION_IMPORTS
    ]


def _is_models(module: str) -> bool:
    return len(module.split(".")) > 1 and module.split(".")[1] == "models"


def _layer(module: str) -> str:
    return "wiring" if module in WIRING else module.split(".")[0]


def upward_arrows(imports: list[Import]) -> list[str]:
    """Return each import that points up the layers (or up the models), as a line to fix."""
    found = []
    for item in imports:
        top = item.target.split(".")[0]
        if top not in APPS:
            continue
        if _is_models(item.module):
            if _is_models(item.target) and top in MODEL_LAYERS:
                below = MODEL_LAYERS.index(top) <= MODEL_LAYERS.index(item.module.split(".")[0])
                if below:
                    continue
            elif top == "neaspec_portal":
                continue
            elif item.target.startswith(f"{item.module.split('.')[0]}.rules"):
                continue  # the app's own validators, which import nothing of the project
            elif item.target == f"{item.module.split('.')[0]}.message_catalog":
                continue  # the app's own message wording, which imports nothing of the project
            found.append(f"{item.path}:{item.line}: models import {item.target}")
            continue
        if _is_models(item.target):
            continue
        source, target = _layer(item.module), _layer(item.target)
        if LAYERS.index(target) <= LAYERS.index(source):
            continue
        if (item.module, target) in UPWARD_EXCEPTIONS:
            continue
        found.append(f"{item.path}:{item.line}: {source} imports {item.target} ({target})")
    return found


def test_apps_depend_only_downward():
    arrows = upward_arrows(project_imports())

    assert arrows == [], (
        "These imports point up the layers of tests/portal/test_import_graph.py: move the code "
        "they need down, or the importing code up (see docs/architecture.md).\n" + "\n".join(arrows)
    )


def test_no_import_hides_inside_a_function():
    imports = project_imports()
    hidden = hidden_imports(imports)
    stale = sorted(
        set(FUNCTION_IMPORTS) - {(item.path, item.function) for item in imports if item.function}
    )

    assert hidden == [], (
        "Import at the top of the module, so the graph shows the arrow:\n" + "\n".join(hidden)
    )
    assert stale == [], f"Drop these from FUNCTION_IMPORTS, they import nothing now: {stale}"


def test_the_named_exceptions_are_still_needed():
    imports = project_imports()
    used = {
        (item.module, _layer(item.target))
        for item in imports
        if item.target.split(".")[0] in APPS and not _is_models(item.target)
    }

    assert set(UPWARD_EXCEPTIONS) <= used, set(UPWARD_EXCEPTIONS) - used


def test_the_graph_test_sees_an_upward_arrow_and_a_hidden_import():
    planted = imports_in(
        "from access import policy\n"
        "from datasets.services import dataset_submit\n"
        "class Page:\n"
        "    def render(self):\n"
        "        from maps import selectors\n",
        "species/views.py",
    )
    planted_models = imports_in("from publications.models import Event\n", "datasets/models.py")

    assert upward_arrows(planted + planted_models) == [
        "species/views.py:2: species imports datasets.services.dataset_submit (datasets)",
        "datasets/models.py:1: models import publications.models.Event",
    ]
    assert hidden_imports(planted) == ["species/views.py:5: render() imports maps.selectors"]
