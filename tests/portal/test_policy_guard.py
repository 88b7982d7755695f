import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_policy", ROOT / "scripts/check_policy.py")
check_policy = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_policy)


def test_the_project_passes_its_own_guard():
    assert check_policy.problems(ROOT) == []


def test_the_guard_catches_guardian_imports_and_direct_queries(tmp_path):
    app = tmp_path / "datasets"
    app.mkdir()
    (app / "views.py").write_text(
        "from guardian.shortcuts import get_perms\n"
        "def detail(request, pk):\n"
        "    return Dataset.objects.get(pk=pk)\n"
        "def other(request, pk):\n"
        "    return get_object_or_404(DataFile, pk=pk)\n"
    )
    (app / "services.py").write_text("Dataset.objects.filter(status='draft')\n")

    found = check_policy.problems(tmp_path)

    assert len(found) == 3
    assert "imports guardian" in found[0] or "imports guardian" in " ".join(found)
    assert any("views.py:3: queries Dataset directly" in line for line in found)
    assert any("views.py:5: get_object_or_404" in line for line in found)
    assert not any("services.py" in line for line in found)


def test_the_guard_keeps_exact_locations_inside_the_policy(tmp_path):
    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "selectors.py").write_text(
        "from datasets.models import DataFile, Occurrence\n"
        "def points():\n"
        "    return models.Occurrence.objects.values('latitude')\n"
        "def public():\n"
        "    return PublicOccurrence.objects.all()  # Occurrence points, in words\n"
    )
    found = check_policy.problems(tmp_path)
    assert [line.split(":")[1] for line in found] == ["1", "3"]
    assert "exact locations" in found[0]
