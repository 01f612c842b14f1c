"""layers.i18n, the one vocabulary: complete, consistent, and covering the domain's values."""

from __future__ import annotations

import string

import pytest

import layers
import zoning
from layers.i18n import LANGS, STRINGS, distance, join, lang_or_default, t, term
from zoning.settings import CRITERIA

_FORMAT = string.Formatter()


def _fields(text: str) -> set[tuple[str, str]]:
    """The placeholders of a text with their format specs: ``{km:.1f}`` -> ("km", ".1f")."""
    return {(name, spec) for _, name, spec, _ in _FORMAT.parse(text) if name is not None}


def test_every_key_has_both_languages_with_the_same_placeholders():
    for key, texts in STRINGS.items():
        assert set(texts) == set(LANGS), key
        assert _fields(texts["zh"]) == _fields(texts["en"]), key
        assert all(texts[lang].strip() for lang in LANGS), key


def test_every_template_formats_with_its_placeholders():
    for key, texts in STRINGS.items():
        for lang in LANGS:
            values = {name: 1.5 if spec else "x" for name, spec in _fields(texts[lang])}
            t(key, lang, **values)  # a malformed template raises here


@pytest.mark.parametrize(
    ("group", "values"),
    [
        ("verdict", zoning.VERDICTS),
        ("status", layers.STATUSES),
        ("gaps.status", ("missing", "thin", "ok")),
        ("criterion", CRITERIA),
        ("criterion", ("designated", "other_area", "outside", "no_designated_area")),
        ("boundary", ("approximate", "official", "drawn")),
    ],
)
def test_every_domain_value_has_a_term(group, values):
    for value in values:
        for lang in LANGS:
            assert term(group, value, lang) == t(f"{group}.{value}", lang)


def test_every_shipped_stage_has_a_term():
    for stage in set(layers.chain()["stage"].astype(str)):
        assert term("stage", stage, "en") != term("stage", "unknown", "en"), stage


def test_term_default_and_unknown_keys():
    assert term("status", "mothballed", "zh", default="mothballed") == "mothballed"
    assert term("status", "planned", "zh", default="x") == "规划中"
    with pytest.raises(KeyError):
        term("verdict", "maybe", "en")


def test_lists_distances_and_languages():
    assert join(["甲", "乙"], "zh") == "甲、乙"
    assert join(["A", "B"], "en") == "A, B"
    assert distance(150.0, "en") == "150 m"
    assert distance(1000.0, "zh") == "1.0 公里"
    assert lang_or_default("en") == "en"
    assert lang_or_default("<script>") == "zh"
