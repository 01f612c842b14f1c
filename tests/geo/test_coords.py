"""geo.coords: coordinates as people paste them, and refusals that say how to write them."""

from __future__ import annotations

import pytest

from geo import InputError
from geo.coords import parse_coords
from geo.messages import MESSAGES

LON, LAT = 115.9449, 28.5567
# 115°56'41.6"E 28°33'24.1"N, by hand: 115 + 56/60 + 41.6/3600, 28 + 33/60 + 24.1/3600.
DMS_LON, DMS_LAT = 115.944888889, 28.556694444


@pytest.mark.parametrize(
    ("typed", "lon", "lat", "swapped", "dms"),
    [
        ("115.9449,28.5567", LON, LAT, False, False),  # Amap's "copy coordinates"
        ("115.9449, 28.5567", LON, LAT, False, False),
        ("  115.9449 28.5567  ", LON, LAT, False, False),
        ("115.9449;28.5567", LON, LAT, False, False),
        ("115.9449，28.5567", LON, LAT, False, False),  # full-width comma
        ("115.9449\u300028.5567", LON, LAT, False, False),  # full-width space
        ("１１５.９４４９，２８.５５６７", LON, LAT, False, False),  # full-width digits
        ("28.5567,115.9449", LON, LAT, True, False),  # Google: latitude first
        ("28.5567, 115.9449", LON, LAT, True, False),
        ("115°56'41.6\"E 28°33'24.1\"N", DMS_LON, DMS_LAT, False, True),
        ("28°33'24.1\"N, 115°56'41.6\"E", DMS_LON, DMS_LAT, True, True),
        ("115°56′41.6″E 28°33′24.1″N", DMS_LON, DMS_LAT, False, True),  # primes
        ("东经115度56分41.6秒，北纬28度33分24.1秒", DMS_LON, DMS_LAT, False, True),
        ("北纬28°33′24.1″ 东经115°56′41.6″", DMS_LON, DMS_LAT, True, True),
        ("E115.9449 N28.5567", LON, LAT, False, False),
        ("28.5567° N, 115.9449° E", LON, LAT, True, True),
        ("115°56.7'E 28°33'N", 115.945, 28.55, False, True),
        ("-70.5, -33.4", -70.5, -33.4, False, False),
        ("70.5W 33.4S", -70.5, -33.4, False, False),
    ],
)
def test_each_pasted_form_reads_as_lon_lat(typed, lon, lat, swapped, dms):
    got = parse_coords(typed)
    assert got.lon == pytest.approx(lon, abs=1e-8)
    assert got.lat == pytest.approx(lat, abs=1e-8)
    assert (got.swapped, got.dms) == (swapped, dms)
    assert got.text == typed.strip()


def test_lat_first_and_lon_first_give_the_same_place():
    a = parse_coords("115.9449,28.5567")
    b = parse_coords("28.5567,115.9449")
    assert (a.lon, a.lat) == (b.lon, b.lat)
    assert not a.swapped
    assert b.swapped


def test_without_letters_an_ambiguous_pair_is_taken_as_typed():
    got = parse_coords("28.5, 30.1")  # both could be latitudes: longitude first, as typed
    assert (got.lon, got.lat, got.swapped) == (28.5, 30.1, False)


@pytest.mark.parametrize(
    ("typed", "key", "named"),
    [
        ("", "geo.coords.empty", None),
        ("   ", "geo.coords.empty", None),
        ("115.9449", "geo.coords.count", "115.9449"),
        ("115.9449, 28.5567, 30", "geo.coords.count", "115.9449, 28.5567, 30"),
        ("lon 115.9 lat 28.5", "geo.coords.unreadable", "lon"),
        ("115.9449,28.5567x", "geo.coords.unreadable", "x"),
        ("115°61'E 28°33'N", "geo.coords.sixty", "115°61'E"),
        ("115°56'75\"E 28°33'N", "geo.coords.sixty", "115°56'75\"E"),
        ("200, 28.5", "geo.coords.range", "200"),
        ("115E 28E", "geo.coords.letters", "115E 28E"),
        ("115.9N, 28.5S", "geo.coords.letters", "N/S"),
    ],
)
def test_refusals_name_the_value_and_the_fix_in_both_languages(typed, key, named):
    with pytest.raises(InputError) as info:
        parse_coords(typed)
    both = info.value.text
    assert both is not None
    assert str(info.value) == both.en
    # The message is the keyed one (same wording in every front end) ...
    entry = MESSAGES[key]
    stem_en = entry["en"].split("{")[0][:8] or entry["en"].split("}")[-1][:8]
    assert stem_en in both.en
    # ... names what was typed and says how to write it, in both languages.
    for lang_text in both:
        if named is not None:
            assert named in lang_text
        assert "115" in lang_text or "E/W" in lang_text or "60" in lang_text or "180" in lang_text
    assert both.en != both.zh
    assert any("\u4e00" <= ch <= "\u9fff" for ch in both.zh)


def test_every_coords_message_has_both_languages():
    keys = [k for k in MESSAGES if k.startswith("geo.coords.")]
    assert len(keys) >= 6
    for key in keys:
        assert set(MESSAGES[key]) == {"zh", "en"}
