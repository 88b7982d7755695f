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
    exact = [line for line in found if "exact locations" in line]
    assert [line.split(":")[1] for line in exact] == ["1", "3"]
    # A selectors module reads for someone: its direct query is refused as well.
    assert [line for line in found if "directly" in line] == [
        "maps/selectors.py:3: queries Occurrence directly; fetch it through access.policy "
        "(access_*/visible_*) instead."
    ]


def test_the_guard_reads_every_module_that_serves_protected_objects(tmp_path):
    planted = {
        "datasets/downloads.py": "DataFile.objects.get(pk=pk)\n",
        "datasets/uploads.py": "Dataset.objects.get(pk=pk)\n",
        "accounts/role_forms.py": "choices = User.objects.all()\n",
        "publications/forms.py": "queryset = Publication.objects.all()\n",
        "neaspec_portal/context_processors.py": "Dataset.objects.count()\n",
        "maps/selectors.py": "DataFile.objects.filter(dataset_id__in=ids)\n",
        "neaspec_portal/templatetags/portal.py": "AuditEvent.objects.all()\n",
        "datasets/management/commands/export_all.py": "Occurrence and Dataset.objects.all()\n",
        "accounts/security_views.py": "User.objects.get(pk=pk)\n",
        "accounts/security_api.py": "User.objects.get(pk=pk)\n",
    }
    for relative, text in planted.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)

    found = check_policy.problems(tmp_path)

    flagged = {line.split(":")[0] for line in found if "directly" in line}
    assert flagged == set(planted)


def test_the_guard_lets_prefetches_reasons_and_operator_commands_pass(tmp_path):
    selectors = tmp_path / "datasets" / "selectors.py"
    selectors.parent.mkdir()
    selectors.write_text(
        "def detail(user, pk):\n"
        "    dataset = policy.access_dataset(user, pk)\n"
        "    prefetch_related_objects([dataset], Prefetch(\n"
        "        'files', queryset=DataFile.objects.order_by('pk'),\n"
        "    ))\n"
        "    boxes = DataFile.objects.filter(pk__in=ids)  # policy: ids the user may download\n"
        "    return Dataset.objects.get(pk=pk)  # policy:\n"
    )
    command = tmp_path / "datasets" / "management" / "commands" / "reprocess_files.py"
    command.parent.mkdir(parents=True)
    command.write_text("DataFile.objects.filter(pk__in=ids).update(state='pending')\n")

    found = check_policy.problems(tmp_path)

    # A "# policy:" comment must give the reason; an empty one does not count.
    assert found == [
        "datasets/selectors.py:7: queries Dataset directly; fetch it through access.policy "
        "(access_*/visible_*) instead."
    ]


def test_the_guard_confines_guardian_to_the_policy_package(tmp_path):
    for relative in ("access/policy/grants.py", "access/services.py"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("from guardian.shortcuts import assign_perm\n")

    found = check_policy.problems(tmp_path)

    assert found == ["access/services.py: imports guardian; only access/policy/ may."]
