"""Reference content in the six portal languages: KMGBF targets, sites and themes."""

import csv

import pytest
from django.conf import settings
from django.utils import translation

from species.models import NAME_FIELD_SUFFIX, KmgbfTarget, Site, Theme
from species.services import REFERENCE_DIR, reference_data_load

SUFFIXES = tuple(NAME_FIELD_SUFFIX.values())


def test_the_portal_languages_are_the_six_the_reference_data_covers():
    assert {code for code, _name in settings.LANGUAGES} == set(NAME_FIELD_SUFFIX)


def test_every_target_has_a_title_and_a_summary_in_six_languages(db):
    targets = list(KmgbfTarget.objects.all())
    assert [target.number for target in targets] == list(range(1, 24))
    for target in targets:
        for suffix in SUFFIXES:
            assert getattr(target, f"title_{suffix}").strip(), (target.number, suffix)
            assert getattr(target, f"summary_{suffix}").strip(), (target.number, suffix)
        # A translation is not a copy of the English text.
        translated = {getattr(target, f"title_{suffix}") for suffix in SUFFIXES}
        assert len(translated) >= 5, target.number


def test_every_site_and_theme_is_named_in_six_languages(db):
    for model in (Site, Theme):
        rows = list(model.objects.all())
        assert rows
        for row in rows:
            for suffix in SUFFIXES:
                assert getattr(row, f"name_{suffix}").strip(), (row.code, suffix)


@pytest.mark.parametrize("name", ["kmgbf_targets.csv", "sites.csv", "themes.csv"])
def test_the_reference_files_write_mongolian_in_cyrillic_and_chinese_in_han(name):
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for column, value in row.items():
                if column.endswith("_mn"):
                    assert any("\u0400" <= char <= "\u04ff" for char in value), (column, value)
                if column.endswith("_zh"):
                    assert any("\u4e00" <= char <= "\u9fff" for char in value), (column, value)
                if column.endswith("_ko"):
                    assert any("\uac00" <= char <= "\ud7a3" for char in value), (column, value)


def test_target_titles_follow_the_active_language_and_fall_back_to_english(db):
    target = KmgbfTarget.objects.get(number=20)
    with translation.override("ru"):
        assert target.title.startswith("Укрепить наращивание потенциала")
        assert str(target).startswith("T20. Укрепить")
    with translation.override("zh-hans"):
        assert target.title == target.title_zh
        assert target.summary == target.summary_zh
    target.title_ko = ""
    with translation.override("ko"):
        assert target.title == target.title_en


def test_a_reload_restores_a_translation_and_leaves_no_trace_when_nothing_changed(db):
    KmgbfTarget.objects.filter(number=4).update(title_mn="", summary_ja="")
    Site.objects.filter(code="JP_IZUMI").update(name_ja="")
    reference_data_load()
    assert KmgbfTarget.objects.get(number=4).title_mn.startswith("Зүйлийн")
    assert KmgbfTarget.objects.get(number=4).summary_ja
    assert Site.objects.get(code="JP_IZUMI").name_ja == "出水ツルの越冬地（鹿児島県荒崎）"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ja", "出水ツルの越冬地"), ("ru", "Место зимовки журавлей"), ("mn", "Изүми")],
)
def test_pages_name_sites_and_targets_in_the_active_language(client, language, expected):
    client.cookies["django_language"] = language
    page = client.get("/sites/").content.decode()
    assert expected in page
    targets = client.get("/targets/").content.decode()
    with translation.override(language):
        assert KmgbfTarget.objects.get(number=4).title in targets
