"""The shared reader of query parameters: what it accepts, what it names, what it ignores."""

import pytest
from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from neaspec_portal import params

SPEC = (
    params.text("q", max_length=10, shorten=True),
    params.code("species"),
    params.country(),
    params.year(),
    params.page(),
    params.flag("mine"),
    params.choice("sort", ["newest", "title"], default="newest"),
    params.bbox(),
)


def _read(query: str, *, strict: bool) -> params.Values:
    return params.read(QueryDict(query), SPEC, strict=strict)


def test_it_reads_good_values_and_gives_defaults_for_the_rest():
    values = _read("q=%20tiger%09crane&species=TIGER_AMUR&country=kr&year=2023", strict=True)
    assert values == {
        "q": "tiger cran",
        "species": "TIGER_AMUR",
        "country": "KR",
        "year": 2023,
        "page": 1,
        "mine": False,
        "sort": "newest",
        "bbox": None,
    }
    assert values.ignored == []


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("year=%C2%B2%C2%B2%C2%B2%C2%B2", "year"),
        ("year=%D9%A2%D9%A0%D9%A2%D9%A3", "year"),
        ("page=-1", "page"),
        ("page=1e309", "page"),
        ("page=0", "page"),
        ("page=99999999999999999999", "page"),
        ("page=1&page=2", "page"),
        ("species=%00", "species"),
        ("species=..%2F..%2Fetc", "species"),
        ("q=a%00b", "q"),
        ("country=KOR", "country"),
        ("mine=maybe", "mine"),
        ("sort=%27%20OR%201%3D1", "sort"),
        ("bbox=0,0,1e309,1", "bbox"),
        ("bbox=0,50,1,40", "bbox"),
    ],
)
def test_a_bad_value_is_named_by_the_api_and_ignored_by_a_page(query, name):
    with pytest.raises(params.InvalidParameters) as refused:
        _read(query, strict=True)
    assert list(refused.value.detail) == [name]

    values = _read(query, strict=False)
    assert values.ignored == [name]
    assert values[name] == next(param.default for param in SPEC if param.name == name)


def test_unknown_parameters_are_ignored():
    assert _read("utm_source=%00&format=json", strict=True).ignored == []


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([p.name for p in SPEC]), st.text(max_size=50)))
def test_any_text_is_a_value_or_a_named_refusal(given_values):
    query = QueryDict(mutable=True)
    query.update(given_values)
    try:
        params.read(query, SPEC, strict=True)
    except params.InvalidParameters as refused:
        assert set(refused.detail) <= set(given_values)
