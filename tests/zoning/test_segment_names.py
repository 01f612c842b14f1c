"""Every place a segment is typed takes its key, its names and its synonyms."""

from __future__ import annotations

import json

import pytest

from layers import chain
from zoning._common import validate_segment
from zoning.cli import main

SITE = ("site", "--lon", "115.94", "--lat", "28.56")


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("copper_foil", "copper_foil"),
        ("锂电铜箔", "copper_foil"),
        ("Copper foil", "copper_foil"),
        ("铜箔", "copper_foil"),
        ("储能变流器", "pcs"),
        ("PCS", "pcs"),
        ("三元材料", "cathode"),
    ],
)
def test_validate_segment_reads_names_and_synonyms(typed, key):
    assert validate_segment(typed, chain()) == key


def test_a_term_naming_several_segments_is_refused_with_its_candidates():
    with pytest.raises(ValueError, match="can mean several segments") as caught:
        validate_segment("储能电池", chain())
    assert "li_ion_cell, na_ion_cell, battery_pack" in str(caught.value)


def test_an_unknown_segment_still_names_the_nearest_key():
    with pytest.raises(ValueError, match="Did you mean 'cathode'") as caught:
        validate_segment("cathod", chain())
    assert "synonyms of segment_terms.yaml are accepted too" in str(caught.value)


def test_zoning_site_takes_a_segment_name(capsys):
    assert main([*SITE, "--segment", "锂电铜箔", "--json"]) == 0
    out, err = capsys.readouterr()
    by_name = json.loads(out)
    assert by_name["segment"] == "copper_foil"
    assert "segment 锂电铜箔 read as copper_foil" in err
    assert main([*SITE, "--segment", "copper_foil", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["score"] == by_name["score"]
    assert err == ""


def test_zoning_site_takes_a_synonym_in_its_text_report(capsys):
    assert main([*SITE, "--segment", "铜箔"]) == 0
    out, _ = capsys.readouterr()
    assert "锂电铜箔" in out
    assert "/100" in out


def test_zoning_site_refuses_an_ambiguous_term_on_one_line(capsys):
    assert main([*SITE, "--segment", "储能电池"]) == 2
    _, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert "li_ion_cell, na_ion_cell, battery_pack" in lines[0]
