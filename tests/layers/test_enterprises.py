from __future__ import annotations

import csv
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import Point, Polygon

from geo import InputError
from layers.enterprises import (
    ENTERPRISE_COLUMNS,
    STATUSES,
    enterprises,
    read_enterprises,
    segment_keys,
    validate_enterprises,
)
from layers.settings import data_path

KEYS = ("cathode", "copper_foil", "li_ion_cell", "na_ion_cell", "pv_cell", "ev")
# Nanchang's extent (facts file §4, EST.): about 115.2-116.6 E, 28.1-29.2 N.
NANCHANG = (115.2, 28.1, 116.6, 29.2)


def _raw(**columns: list[object]) -> gpd.GeoDataFrame:
    """Three valid rows as geo.io returns them (text as given), with columns overridden."""
    data: dict[str, list[object]] = {
        "id": ["A1", "A2", "A3"],
        "name_zh": ["甲", "乙", "丙"],
        "name_en": ["Alpha", "Beta", "Gamma"],
        "segment": ["cathode", "li_ion_cell", "pv_cell"],
        "status": ["operating", "planned", "construction"],
        "capacity": ["10", "2.5", ""],
        "precision_m": ["4000", "100", ""],
    }
    data.update(columns)
    geometry = [Point(115.94, 28.56), Point(115.84, 28.76), None]
    return gpd.GeoDataFrame(data, geometry=geometry, crs="EPSG:4326")


def _validate(gdf: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    return validate_enterprises(gdf, source_name="firms.csv", chain_keys=KEYS)


def _only(problems: pd.DataFrame) -> pd.Series:
    assert len(problems) == 1, problems.to_string()
    return problems.iloc[0]


# --- validation on hand-made tables -------------------------------------------------


def test_clean_table_has_no_problems_and_the_schema() -> None:
    data, problems = _validate(_raw())
    assert problems.empty
    assert list(problems.columns) == ["row", "column", "value", "problem", "problem_zh", "action"]
    assert list(data.columns) == [*ENTERPRISE_COLUMNS, "geometry"]
    assert data.crs.to_epsg() == 4326
    assert data["capacity"].tolist()[:2] == [10.0, 2.5]
    assert np.isnan(data["capacity"].iloc[2])
    assert data["located"].tolist() == [True, True, False]
    assert data.geometry.iloc[2] is None
    assert data["lon"].iloc[0] == 115.94
    assert np.isnan(data["lat"].iloc[2])
    assert not data["synthetic"].any()
    assert data["segment_known"].all()
    for col in ("precision_m", "capacity", "investment_cny", "lon", "lat"):
        assert data[col].dtype == np.float64, col
    for col in ("synthetic", "located", "segment_known"):
        assert data[col].dtype == bool, col
    # optional columns missing from the input are created empty
    assert (data["park"] == "").all()
    assert (data["coord_system"] == "wgs84").all()


def test_input_is_not_mutated() -> None:
    raw = _raw(segment=["cathod", "li_ion_cell", "pv_cell"], capacity=["-1", "x", "3"])
    before = raw.copy()
    _validate(raw)
    assert_geodataframe_equal(raw, before)


def test_index_is_kept() -> None:
    raw = _raw().set_index(pd.Index([10, 20, 30]))
    data, _ = _validate(raw)
    assert data.index.tolist() == [10, 20, 30]


def test_unknown_segment_is_kept_with_nearest_match_and_valid_keys() -> None:
    data, problems = _validate(_raw(segment=["cathod", "li_ion_cell", "pv_cell"]))
    p = _only(problems)
    assert (p["row"], p["column"], p["value"], p["action"]) == (2, "segment", "cathod", "kept")
    assert "did you mean cathode?" in p["problem"]
    assert p["problem"].startswith("firms.csv row 2: ")
    assert "no segment key, name or synonym" in p["problem"]
    assert data["segment"].iloc[0] == "cathod"
    assert data["segment_known"].tolist() == [False, True, True]


def test_unknown_segment_without_a_close_key_gets_no_guess() -> None:
    _, problems = _validate(_raw(segment=["banana", "li_ion_cell", "pv_cell"]))
    p = _only(problems)
    assert "did you mean" not in p["problem"]
    assert "'banana'" in p["problem"]


def test_segment_spelling_is_normalised_silently() -> None:
    data, problems = _validate(_raw(segment=["Cathode", "Li-ion cell", " pv_cell "]))
    assert problems.empty
    assert data["segment"].tolist() == ["cathode", "li_ion_cell", "pv_cell"]


def test_injected_chain_keys_are_used() -> None:
    _, problems = validate_enterprises(_raw(), source_name="f.csv", chain_keys=("cathode",))
    assert problems["value"].tolist() == ["li_ion_cell", "pv_cell"]


def test_negative_capacity_is_a_problem_and_set_nan() -> None:
    data, problems = _validate(_raw(capacity=["10", "-5", ""]))
    p = _only(problems)
    assert (p["row"], p["column"], p["value"], p["action"]) == (3, "capacity", "-5", "repaired")
    assert "negative" in p["problem"]
    assert np.isnan(data["capacity"].iloc[1])
    assert data["capacity"].iloc[0] == 10.0


def test_non_numeric_capacity_is_repaired_to_nan_and_thousands_are_read() -> None:
    data, problems = _validate(_raw(capacity=["50,000", "lots", "1e3"]))
    p = _only(problems)
    assert (p["row"], p["column"], p["value"], p["action"]) == (3, "capacity", "lots", "repaired")
    assert "must be a number" in p["problem"]
    assert data["capacity"].iloc[0] == 50_000.0
    assert np.isnan(data["capacity"].iloc[1])
    assert data["capacity"].iloc[2] == 1000.0


def test_negative_precision_and_investment_are_problems() -> None:
    raw = _raw(precision_m=["-100", "100", ""], investment_cny=["1e9", "-2", ""])
    data, problems = _validate(raw)
    assert sorted(zip(problems["row"], problems["column"], strict=True)) == [
        (2, "precision_m"),
        (3, "investment_cny"),
    ]
    assert np.isnan(data["precision_m"].iloc[0])
    assert np.isnan(data["investment_cny"].iloc[1])


def test_bad_status_lists_valid_statuses_and_becomes_unknown() -> None:
    data, problems = _validate(_raw(status=["open", "Operating ", ""]))
    p = _only(problems)
    assert (p["row"], p["column"], p["value"], p["action"]) == (2, "status", "open", "repaired")
    assert all(s in p["problem"] for s in STATUSES)
    assert data["status"].tolist() == ["unknown", "operating", "unknown"]


def test_duplicate_id_in_a_table_keeps_the_first() -> None:
    data, problems = _validate(_raw(id=["A1", "A2", "A1"]))
    p = _only(problems)
    assert (p["row"], p["column"], p["value"], p["action"]) == (4, "id", "A1", "rejected")
    assert "repeats row 2" in p["problem"]
    assert data["id"].tolist() == ["A1", "A2"]


def test_duplicate_row_reports_only_the_rejection() -> None:
    _, problems = _validate(_raw(id=["A1", "A2", "A1"], status=["operating", "planned", "bad"]))
    assert problems["action"].tolist() == ["rejected"]


def test_blank_id_is_reported_and_kept() -> None:
    data, problems = _validate(_raw(id=["A1", "", ""]))
    assert problems["row"].tolist() == [3, 4]
    assert set(problems["action"]) == {"kept"}
    assert len(data) == 3


def test_missing_required_columns_is_an_input_error_naming_them() -> None:
    # The segment may be missing (it is read from codes, the scope or asked); a name may not.
    raw = _raw().drop(columns=["id", "name_zh"])
    with pytest.raises(InputError, match=r"firms\.csv.*id, name_zh") as info:
        _validate(raw)
    assert "header" in str(info.value)


def test_header_case_is_forgiven() -> None:
    raw = _raw().rename(columns={"segment": "Segment", "name_zh": "NAME_ZH"})
    data, problems = _validate(raw)
    assert problems.empty
    assert data["segment"].tolist() == ["cathode", "li_ion_cell", "pv_cell"]


def test_synthetic_flag_is_parsed() -> None:
    data, problems = _validate(_raw(synthetic=["TRUE", "no", "maybe"]))
    assert data["synthetic"].tolist() == [True, False, False]
    p = _only(problems)
    assert (p["row"], p["column"], p["action"]) == (4, "synthetic", "repaired")


def test_polygon_becomes_a_point_inside_it_and_nan_point_is_unlocated() -> None:
    square = Polygon([(115.9, 28.5), (116.0, 28.5), (116.0, 28.6), (115.9, 28.6)])
    raw = _raw()
    raw = raw.set_geometry([square, Point(float("nan"), float("nan")), None], crs="EPSG:4326")
    data, problems = _validate(raw)
    p = _only(problems)
    assert (p["row"], p["column"], p["action"]) == (2, "geometry", "repaired")
    assert data.geometry.iloc[0].geom_type == "Point"
    assert square.contains(data.geometry.iloc[0])
    assert data["located"].tolist() == [True, False, False]


def test_other_crs_is_converted_and_naive_refused() -> None:
    raw = _raw().to_crs("EPSG:4548")
    data, _ = _validate(raw)
    assert data.crs.to_epsg() == 4326
    assert data["lon"].iloc[0] == pytest.approx(115.94)
    with pytest.raises(InputError, match="no CRS"):
        _validate(_raw().set_crs(None, allow_override=True))


def test_vector_sources_are_numbered_from_one() -> None:
    _, problems = validate_enterprises(
        _raw(status=["bad", "planned", "planned"]), source_name="firms.geojson", chain_keys=KEYS
    )
    assert _only(problems)["row"] == 1


def test_segment_keys_default_contains_the_contract_keys() -> None:
    keys = segment_keys()
    assert {"li_ion_cell", "na_ion_cell", "copper_foil", "pv_cell", "ev", "cathode"} <= set(keys)


# --- files through geo.io -----------------------------------------------------------


def _write(tmp_path: Path, text: str, name: str = "firms.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "id,name_zh,segment,status,capacity,lon,lat\n"


def test_file_duplicate_id_is_reported_once_and_row_numbers_stay_true(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER
        + "A,甲,cathode,operating,1,115.94,28.56\n"
        + "A,乙,cathode,operating,1,115.94,28.56\n"
        + "B,丙,cathode,open,1,115.94,28.56\n",
    )
    result = read_enterprises(path)
    assert result.source == "firms.csv"
    assert result.data["id"].tolist() == ["A", "B"]
    assert sorted(zip(result.problems["row"], result.problems["action"], strict=True)) == [
        (3, "rejected"),
        (4, "repaired"),
    ]
    assert result.problems.set_index("row").loc[4, "column"] == "status"


def test_blank_lines_do_not_shift_the_reported_row(tmp_path: Path) -> None:
    # Row 3 is blank (dropped by geo.io); the bad status is on spreadsheet row 5.
    path = _write(
        tmp_path,
        HEADER
        + "A,甲,cathode,operating,1,115.94,28.56\n"
        + ",,,,,,\n"
        + "B,乙,cathode,operating,1,115.94,28.56\n"
        + "C,丙,cathode,open,1,115.94,28.56\n",
    )
    result = read_enterprises(path)
    assert result.data["id"].tolist() == ["A", "B", "C"]
    assert result.rows.tolist() == [2, 4, 5]
    assert result.problems[["row", "column"]].to_numpy().tolist() == [[5, "status"]]


def test_file_rows_without_coordinates_stay_unlocated(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER + "A,甲,cathode,operating,-1,115.94,28.56\nB,乙,li_ion_cell,planned,,,\n",
    )
    result = read_enterprises(path)
    data = result.data
    assert data["located"].tolist() == [True, False]
    assert data.geometry.iloc[1] is None
    assert "capacity" in set(result.problems["column"])
    assert isinstance(data.index, pd.RangeIndex)


def test_gcj02_file_is_converted_to_wgs84(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "A,甲,cathode,operating,1,115.9449,28.5567\n")
    wgs = read_enterprises(path).data
    gcj = read_enterprises(path, coord_system="gcj02").data
    # GCJ-02 lies ~480 m east and ~365 m south of WGS 84 in Nanchang (facts §4).
    assert gcj["lon"].iloc[0] < wgs["lon"].iloc[0]
    assert gcj["lat"].iloc[0] > wgs["lat"].iloc[0]
    assert gcj["coord_system"].iloc[0] == "wgs84"


# --- the shipped data ---------------------------------------------------------------


def _shipped_records() -> list[dict[str, str]]:
    with data_path("enterprises.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_shipped_file_loads_every_row_without_problems() -> None:
    result = read_enterprises()
    records = _shipped_records()
    # The only problems are the projects without a site, kept as unlocated.
    without = [i + 2 for i, r in enumerate(records) if not r["lon"] and not r["lat"]]
    assert result.problems["row"].tolist() == without, result.problems.to_string()
    assert set(result.problems["action"]) == {"kept unlocated"}
    assert result.data["id"].tolist() == [r["id"] for r in records]
    assert enterprises()["id"].tolist() == [r["id"] for r in records]


def test_shipped_unlocated_rows_are_present_and_flagged() -> None:
    data = enterprises().set_index("id")
    without = {r["id"] for r in _shipped_records() if not r["lon"] and not r["lat"]}
    assert without  # the two projects of the plan whose site is unknown
    assert set(data.index[~data["located"]]) == without
    assert data.loc[sorted(without)].geometry.isna().all()
    assert data.loc[sorted(without), "lon"].isna().all()


def test_shipped_rows_have_valid_keys_and_honest_locations() -> None:
    data = enterprises()
    assert data["segment"].isin(segment_keys()).all()
    assert data["segment_known"].all()
    assert data["status"].isin(STATUSES).all()
    assert not data["synthetic"].any()
    assert data["id"].is_unique
    assert (data["source"] != "").all()
    assert data["as_of"].map(lambda s: s == "" or re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", s)).all()
    located = data[data["located"]]
    x0, y0, x1, y1 = NANCHANG
    assert located["lon"].between(x0, x1).all()
    assert located["lat"].between(y0, y1).all()
    # every coordinate is a park-level estimate, and says so
    assert located["precision_m"].between(3000, 5000).all()
    assert located["location_basis"].str.startswith("EST.").all()
    assert (data.loc[~data["located"], "location_basis"] != "").all()


def test_shipped_capacities_are_positive_where_given() -> None:
    data = enterprises()
    given = data["capacity"].notna()
    assert (data.loc[given, "capacity"] > 0).all()
    assert (data.loc[given, "capacity_unit"] != "").all()
    assert (data["investment_cny"].dropna() > 0).all()


def test_chain_names_are_read_as_keys() -> None:
    raw = _raw(segment=["正极材料", "Li-ion cells", "光伏电池"])
    data, problems = validate_enterprises(raw, source_name="firms.csv")
    assert problems.empty, problems.to_string()
    assert data["segment"].tolist() == ["cathode", "li_ion_cell", "pv_cell"]


def test_blank_segment_is_reported_as_missing() -> None:
    data, problems = _validate(_raw(segment=["cathode", "", "pv_cell"]))
    p = _only(problems)
    assert (p["row"], p["column"], p["action"]) == (3, "segment", "kept")
    assert "no segment" in p["problem"]
    assert "产业环节" in p["problem"]  # says which column to fill
    assert not data["segment_known"].iloc[1]


def test_numbers_given_as_numbers_are_checked_as_their_text_is() -> None:
    # GeoParquet gives floats and booleans; a CSV gives their text. Same data, same problems.
    floats = _raw(capacity=[1.5, -2.0, np.inf], precision_m=[np.nan, 3.0, 0.0])
    floats["synthetic"] = np.array([True, False, True])
    text = _raw(capacity=["1.5", "-2.0", "inf"], precision_m=["", "3.0", "0.0"])
    text["synthetic"] = ["True", "False", "True"]
    data_f, problems_f = _validate(floats)
    data_t, problems_t = _validate(text)
    assert_geodataframe_equal(data_f, data_t)
    pd.testing.assert_frame_equal(problems_f, problems_t)
    assert problems_f[["row", "column", "value"]].to_numpy().tolist() == [
        [3, "capacity", "-2.0"],
        [4, "capacity", "inf"],
    ]
