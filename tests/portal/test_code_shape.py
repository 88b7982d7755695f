"""No application module passes 500 lines and no function passes 60.

A long module hides the sections it should be a package of; a long function hides the steps
it should name. Every module of the apps below is read with ``ast`` (migrations excluded:
Django writes them). An entry in an allow-list needs its reason beside it; both are empty.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

APPS = [
    "access",
    "accounts",
    "datasets",
    "publications",
    "search",
    "species",
    "maps",
    "home",
    "people",
    "projects",
    "neaspec_portal",
    "scripts",
]
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60

#: Modules allowed past MAX_MODULE_LINES: path relative to ROOT -> why.
LONG_MODULES: dict[str, str] = {}
#: Functions allowed past MAX_FUNCTION_LINES: "path:qualified name" -> why.
LONG_FUNCTIONS: dict[str, str] = {}


def _modules() -> Iterator[Path]:
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def _functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, int]]:
    """Yield the qualified name and line count of every function in ``tree``, nested too."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = f"{prefix}{node.name}"
            yield name, (node.end_lineno or node.lineno) - node.lineno + 1
            yield from _functions(node, f"{name}.")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, f"{prefix}{node.name}.")
        else:
            yield from _functions(node, prefix)


def test_the_apps_are_read() -> None:
    """Guard the guard: a moved tree would make the checks below pass on nothing."""
    modules = list(_modules())
    assert len(modules) > 100, f"only {len(modules)} modules found under {ROOT}"
    assert any(path.name == "policy.py" or "policy" in path.parts for path in modules)


def test_no_module_passes_500_lines() -> None:
    too_long = []
    for path in _modules():
        relative = str(path.relative_to(ROOT))
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES and relative not in LONG_MODULES:
            too_long.append(f"{relative}: {lines} lines")
    assert not too_long, (
        f"Modules over {MAX_MODULE_LINES} lines: {too_long}. Make each a package of its "
        "sections, re-exported under the same name (as access/policy/ is)."
    )


def test_no_function_passes_60_lines() -> None:
    too_long = []
    for path in _modules():
        relative = str(path.relative_to(ROOT))
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
        for name, lines in _functions(tree):
            key = f"{relative}:{name}"
            if lines > MAX_FUNCTION_LINES and key not in LONG_FUNCTIONS:
                too_long.append(f"{key}: {lines} lines")
    assert not too_long, (
        f"Functions over {MAX_FUNCTION_LINES} lines: {too_long}. Name their steps as "
        "functions of their own; where the function is a hot loop, move out what runs "
        "once per error or per distinct value, not per row."
    )


def test_the_function_reader_finds_methods_and_nested_functions() -> None:
    tree = ast.parse(
        "class A:\n    def m(self):\n        def inner():\n            pass\n"
        "async def f():\n    pass\n"
    )
    assert dict(_functions(tree)) == {"A.m": 3, "A.m.inner": 2, "f": 2}
