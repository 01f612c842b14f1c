"""Enterprises are validated once, where they come in; the analysis trusts the result."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from geopandas.testing import assert_geodataframe_equal

import layers
import zoning
from layers.enterprises import VALIDATED, is_validated
from zoning._common import located_xy


def _unmarked(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = gdf.copy()
    out.attrs.clear()
    return out


def test_validated_tables_keep_their_mark_through_selection_and_concatenation():
    project = layers.open_project(default_store=False, synthetic=50)
    firms = project.enterprises
    assert is_validated(firms)
    assert is_validated(layers.enterprises())
    assert is_validated(layers.synthetic_enterprises(3, seed=1))
    assert is_validated(firms.loc[firms["located"]])
    assert is_validated(firms.iloc[::2].copy())
    # A frame merely shaped like one is not trusted.
    assert not is_validated(_unmarked(firms))
    assert not is_validated(firms.drop(columns="located"))


def test_trusted_columns_give_what_the_geometry_gives():
    firms = layers.open_project(default_store=False, synthetic=2000).enterprises
    trusted = located_xy(firms)
    derived = located_xy(_unmarked(firms))
    for a, b in zip(trusted, derived, strict=True):
        np.testing.assert_array_equal(a, b)
    assert trusted[2].sum() == int(firms["located"].sum()) < len(firms)  # two unlocated


def test_results_are_the_same_for_a_validated_and_an_unmarked_table():
    project = layers.open_project(default_store=False, synthetic=500)
    firms, areas, chain = project.enterprises, project.areas, project.chain
    assert firms.attrs[VALIDATED]
    marked = zoning.check(firms, areas=areas, chain=chain)
    plain = zoning.check(_unmarked(firms), areas=areas, chain=chain)
    marked.attrs.clear()
    plain.attrs.clear()
    assert_geodataframe_equal(marked, plain)
    pd.testing.assert_frame_equal(
        zoning.supplier_distances(firms, chain=chain),
        zoning.supplier_distances(_unmarked(firms), chain=chain),
    )
