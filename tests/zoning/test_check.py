"""zoning.check on hand-made areas: every verdict, boundaries, precision, alignment."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

from tests.zoning.conftest import BATTERY, MATERIALS, firms
from zoning import _cache, _situations
from zoning._locate import boundary_of, locate
from zoning.check import OUTPUT_COLUMNS, VERDICTS, check

TO_M = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:4548", always_xy=True)


def metres_to_edge(lon, lat, box):
    """Distance from a point to a box's boundary, measured independently in EPSG:4548."""
    ring = shapely.box(*box).boundary
    ring_m = shapely.transform(ring, lambda c: np.column_stack(TO_M.transform(c[:, 0], c[:, 1])))
    return shapely.distance(ring_m, shapely.Point(*TO_M.transform(lon, lat)))


@pytest.fixture
def sample():
    return firms(
        [
            ("cell", "li_ion_cell", 115.92, 28.62, 100.0),
            ("foil", "copper_foil", 115.92, 28.62, 100.0),
            ("far", "cathode", 115.92, 28.75, 0.0),
            ("pv", "pv_cell", 115.92, 28.62, 0.0),
            ("typo", "cathod", 115.92, 28.62, 0.0),
            ("lost", "li_ion_cell", None, None, 0.0),
            ("edge", "li_ion_cell", 115.9385, 28.62, 500.0),
        ],
        index=["a", "b", "c", "d", "e", "f", "g"],
    )


def test_every_verdict(sample, areas, chain):
    out = check(sample, areas=areas, chain=chain)
    assert list(out["verdict"].astype(str)) == [
        "conforming",
        "misplaced",
        "outside",
        "unassigned",
        "unassigned",
        "unlocated",
        "uncertain",
    ]
    assert set(out["verdict"].cat.categories) == set(VERDICTS)
    # Several areas per row are a list-typed column (tuples of keys), not joined text.
    assert list(out["area"]) == [
        ("battery",),
        ("battery",),
        (),
        ("battery",),
        ("battery",),
        (),
        ("battery",),
    ]


def test_copper_foil_in_battery_area_is_misplaced_and_says_why(sample, areas, chain):
    row = check(sample, areas=areas, chain=chain).loc["b"]
    assert row["verdict"] == "misplaced"
    assert "铜箔" in row["reason_zh"]
    assert "储能电池集聚区" in row["reason_zh"]
    assert "材料集聚区" in row["reason_zh"]
    assert "copper foil" in row["reason_en"]
    assert "materials area" in row["reason_en"]
    assert "materials" in row["rule"]


def test_unknown_segment_reason_names_the_nearest_key(sample, areas, chain):
    row = check(sample, areas=areas, chain=chain).loc["e"]
    assert "cathode" in row["reason_en"]
    assert "cathod" in row["reason_zh"]
    pv = check(sample, areas=areas, chain=chain).loc["d"]
    assert pv["reason_en"] != row["reason_en"]


def test_missing_segment_says_to_fill_it_in(areas, chain):
    out = check(firms([("x", "", 115.935, 28.62, 0.0)]), areas=areas, chain=chain)
    assert out["verdict"].iloc[0] == "unassigned"
    assert "no segment is given" in out["reason_en"].iloc[0]
    assert "未填写产业环节" in out["reason_zh"].iloc[0]


def test_uncertain_reason_names_boundary_and_precision(sample, areas, chain):
    row = check(sample, areas=areas, chain=chain).loc["g"]
    assert "±500 m" in row["reason_en"]
    assert "±500 米" in row["reason_zh"]
    # The 500 m circle reaches the shared edge of the battery and materials areas.
    assert "materials area" in row["reason_en"]
    assert "storage-battery area" in row["reason_en"]


@pytest.mark.parametrize(
    ("segment", "verdict"),
    [("li_ion_cell", "conforming"), ("copper_foil", "conforming"), ("pcs", "misplaced")],
)
def test_point_exactly_on_shared_edge_is_in_both_areas(areas, chain, segment, verdict):
    on_edge = (BATTERY[2], 28.62)  # lon 115.94 is the edge battery and materials share
    out = check(firms([("x", segment, *on_edge, 0.0)]), areas=areas, chain=chain)
    assert out["verdict"].iloc[0] == verdict
    assert out["area"].iloc[0] == ("battery", "materials")
    # The reason names each area holding the point.
    assert "storage-battery area" in out["reason_en"].iloc[0]
    assert "materials area" in out["reason_en"].iloc[0]
    assert "储能电池集聚区" in out["reason_zh"].iloc[0]
    assert "材料集聚区" in out["reason_zh"].iloc[0]


def test_point_on_outer_edge_and_corner_counts_as_inside(areas, chain):
    pts = firms(
        [
            ("west", "li_ion_cell", BATTERY[0], 28.62, 0.0),
            ("corner", "li_ion_cell", BATTERY[0], BATTERY[1], 0.0),
            ("just_out", "li_ion_cell", BATTERY[0] - 1e-9, 28.62, 0.0),
        ]
    )
    out = check(pts, areas=areas, chain=chain)
    assert list(out["verdict"].astype(str)) == ["conforming", "conforming", "outside"]


def test_point_on_boundary_with_precision_is_uncertain(areas, chain):
    out = check(firms([("x", "li_ion_cell", BATTERY[0], 28.62, 1.0)]), areas=areas, chain=chain)
    assert out["verdict"].iloc[0] == "uncertain"


def test_precision_threshold_is_the_distance_to_the_boundary(areas, chain):
    lon, lat = 115.935, 28.62  # inside battery, about 490 m from the shared edge
    d = metres_to_edge(lon, lat, BATTERY)
    assert 400 < d < 600
    pts = firms(
        [
            ("short", "li_ion_cell", lon, lat, d - 5.0),
            ("long", "li_ion_cell", lon, lat, d + 5.0),
            ("zero", "li_ion_cell", lon, lat, 0.0),
            ("nan", "li_ion_cell", lon, lat, float("nan")),
        ]
    )
    out = check(pts, areas=areas, chain=chain)
    assert list(out["verdict"].astype(str)) == [
        "conforming",
        "uncertain",
        "conforming",
        "conforming",
    ]


def test_precision_is_quoted_to_100_m_in_km(areas, chain):
    lon, lat = 115.935, 28.62  # about 490 m from the shared edge
    pts = firms([("a", "li_ion_cell", lon, lat, 3949.0), ("b", "li_ion_cell", lon, lat, 4012.0)])
    out = check(pts, areas=areas, chain=chain)
    assert "±3.9 km" in out["reason_en"].iloc[0]
    assert "±4.0 km" in out["reason_en"].iloc[1]
    assert "±4.0 公里" in out["reason_zh"].iloc[1]


def test_uncertain_only_for_segments_with_an_area(areas, chain):
    out = check(firms([("pv", "pv_cell", BATTERY[0], 28.62, 5000.0)]), areas=areas, chain=chain)
    assert out["verdict"].iloc[0] == "unassigned"


def test_input_not_mutated_and_index_kept(sample, areas, chain):
    before = sample.copy()
    out = check(sample, areas=areas, chain=chain)
    pd.testing.assert_frame_equal(sample, before)
    assert list(out.index) == list(sample.index)
    assert "verdict" not in sample.columns
    assert out["id"].tolist() == sample["id"].tolist()


def test_row_order_does_not_change_results(sample, areas, chain):
    out = check(sample, areas=areas, chain=chain)
    shuffled = check(sample.iloc[::-1], areas=areas, chain=chain)
    cols = list(OUTPUT_COLUMNS)
    pd.testing.assert_frame_equal(out[cols].astype(str), shuffled.loc[out.index, cols].astype(str))


def test_other_crs_input_gives_same_answer(sample, areas, chain):
    out = check(sample, areas=areas, chain=chain)
    projected = check(sample.to_crs("EPSG:4548"), areas=areas, chain=chain)
    assert out["verdict"].astype(str).tolist() == projected["verdict"].astype(str).tolist()


def test_empty_input(areas, chain):
    out = check(firms([]), areas=areas, chain=chain)
    assert len(out) == 0
    assert "verdict" in out.columns


def test_lattice_equals_direct_predicates(areas):
    """The fast path for many points gives exactly the direct answers, edges included."""
    rng = np.random.default_rng(3)
    n = 4000
    lon = rng.uniform(115.88, 116.0, n)
    lat = rng.uniform(28.58, 28.72, n)
    # Points exactly on edges and corners, and just off them.
    lon[:200] = MATERIALS[0]
    lat[200:400] = BATTERY[3]
    lon[400:420], lat[400:420] = BATTERY[0], BATTERY[1]
    lon[420:600] = MATERIALS[2] + rng.choice([-1e-9, 0.0, 1e-9], 180)
    prec = rng.choice([0.0, 50.0, 300.0, 2000.0, np.nan], n)
    lon[600:610] = np.nan
    shapes = areas.geometry.to_numpy()
    working = areas.to_crs("EPSG:4548").geometry.to_numpy()
    fast = locate(lon, lat, prec, shapes, working, use_grid=True)
    slow = locate(lon, lat, prec, shapes, working, use_grid=False)
    np.testing.assert_array_equal(fast[0], slow[0])
    np.testing.assert_array_equal(fast[1], slow[1])
    # And both agree with plain shapely, point by point, on a sample.
    for i in rng.choice(n, 150, replace=False):
        if np.isnan(lon[i]):
            assert not fast[0][i].any()
            continue
        pt = shapely.Point(lon[i], lat[i])
        assert list(fast[0][i]) == [shapely.intersects(g, pt) for g in shapes]
        pm = shapely.Point(*TO_M.transform(lon[i], lat[i]))
        p = prec[i] if prec[i] > 0 else 0.0
        expect = [p > 0 and shapely.distance(g.boundary, pm) <= p for g in working]
        assert list(fast[1][i]) == expect


def test_shipped_copper_foil_in_battery_area_is_not_conforming():
    """Acceptance: on the shipped layers, copper foil made in the battery area is flagged."""
    import layers

    areas = layers.areas()
    chain = layers.chain()
    # A copper-foil plant placed exactly at a point of the battery area outside materials.
    battery_only = areas.geometry["battery"].difference(areas.geometry["materials"])
    site = battery_only.representative_point()
    probe = firms([("probe", "copper_foil", site.x, site.y, 0.0)])
    out = check(probe, areas=areas, chain=chain)
    assert out["verdict"].iloc[0] == "misplaced"
    assert "battery" in out["area"].iloc[0]
    # And every shipped copper-foil firm located in the battery area only is not conforming.
    shipped = check(layers.enterprises(), areas=areas, chain=chain)
    foil = shipped[shipped["segment"] == "copper_foil"]
    in_battery = foil["area"].map(lambda a: "battery" in a and "materials" not in a)
    assert in_battery.any(), "the shipped data has a copper-foil firm in the battery area"
    assert (foil.loc[in_battery, "verdict"] != "conforming").all()


def test_lattice_refinement_equals_direct_predicates(areas):
    """Dense points near an edge, with precisions close to their distance from it, make
    the lattice refine crowded cells; the answers must still be the direct ones."""
    rng = np.random.default_rng(7)
    n = 30_000
    edge_lon = MATERIALS[0]
    lon = edge_lon + rng.uniform(-0.0005, 0.0005, n)  # within about 50 m of the shared edge
    lat = rng.uniform(28.6195, 28.6205, n)
    x_edge, _ = TO_M.transform(np.full(n, edge_lon), lat)
    x_pt, _ = TO_M.transform(lon, lat)
    prec = np.abs(x_pt - x_edge) + rng.normal(0, 3, n)  # straddles each point's distance
    shapes = areas.geometry.to_numpy()
    working = areas.to_crs("EPSG:4548").geometry.to_numpy()
    fast = locate(lon, lat, prec, shapes, working, use_grid=True)
    slow = locate(lon, lat, prec, shapes, working, use_grid=False)
    np.testing.assert_array_equal(fast[0], slow[0])
    np.testing.assert_array_equal(fast[1], slow[1])
    assert 0.2 < fast[1][:, 0].mean() < 0.8  # both answers occur


def test_lattice_point_offset_bounds_equal_direct_predicates(areas):
    """Points a kilometre or so from an edge, with precisions within tens of metres of
    that distance: most stay undecided by their cell's bounds and are settled by their
    own distance from the measured cell centre; the answers must be the direct ones."""
    rng = np.random.default_rng(11)
    n = 30_000
    east = MATERIALS[2]
    lon = rng.uniform(east - 0.015, east - 0.005, n)  # about 0.5-1.5 km inside the edge
    lat = rng.uniform(28.615, 28.625, n)  # about 1.6 km or more from the other edges
    x_edge, _ = TO_M.transform(np.full(n, east), lat)
    x_pt, _ = TO_M.transform(lon, lat)
    prec = np.abs(x_edge - x_pt) + rng.uniform(-60, 60, n)
    shapes = areas.geometry.to_numpy()
    working = areas.to_crs("EPSG:4548").geometry.to_numpy()
    fast = locate(lon, lat, prec, shapes, working, use_grid=True)
    slow = locate(lon, lat, prec, shapes, working, use_grid=False)
    np.testing.assert_array_equal(fast[0], slow[0])
    np.testing.assert_array_equal(fast[1], slow[1])
    assert 0.2 < fast[1][:, 1].mean() < 0.8  # both answers occur
    # Independently: near exactly when the precision reaches the projected boundary.
    pts = shapely.points(*TO_M.transform(lon, lat))
    np.testing.assert_array_equal(fast[1][:, 1], shapely.distance(working[1].boundary, pts) <= prec)


def boxes(specs):
    """Areas from (key, (minlon, minlat, maxlon, maxlat), segments) triples."""
    return gpd.GeoDataFrame(
        {
            "name_zh": [f"{k}区" for k, _, _ in specs],
            "name_en": [f"{k} area" for k, _, _ in specs],
            "segments": [segs for _, _, segs in specs],
        },
        geometry=[shapely.box(*b) for _, b, _ in specs],
        index=pd.Index([k for k, _, _ in specs], name="area"),
        crs="EPSG:4326",
    )


def test_circle_over_two_areas_of_one_verdict_is_not_uncertain(areas, chain):
    # PCS belongs in the control area; battery and materials both make it misplaced. On
    # their shared edge with ±1 km the circle stays inside the two (2.2 km from their
    # other edges): every place in it is misplaced.
    on_edge = (BATTERY[2], 28.62)
    assert metres_to_edge(*on_edge, (BATTERY[0], BATTERY[1], MATERIALS[2], MATERIALS[3])) > 2000
    out = check(firms([("x", "pcs", *on_edge, 1000.0)]), areas=areas, chain=chain).iloc[0]
    assert out["verdict"] == "misplaced"
    assert out["verdict_at_point"] == "misplaced"
    assert out["area"] == ("battery", "materials")
    # Reaching beyond the two areas (here 2.3 km: past their south edge) is uncertain.
    wide = check(firms([("x", "pcs", *on_edge, 2300.0)]), areas=areas, chain=chain).iloc[0]
    assert wide["verdict"] == "uncertain"
    assert wide["verdict_at_point"] == "misplaced"


def test_overlapping_designated_areas_are_conforming_near_the_inner_edge(chain):
    two = boxes(
        [
            ("a", (115.90, 28.60, 115.94, 28.64), ("li_ion_cell",)),
            ("b", (115.92, 28.60, 115.98, 28.64), ("li_ion_cell",)),
        ]
    )
    site = (115.939, 28.62)  # in both; a's east edge (inside b) is about 100 m away
    assert metres_to_edge(*site, (115.90, 28.60, 115.94, 28.64)) < 150
    out = check(firms([("x", "li_ion_cell", *site, 500.0)]), areas=two, chain=chain).iloc[0]
    assert out["verdict"] == "conforming"
    assert out["area"] == ("a", "b")
    # 2.5 km reaches past the shared south edge (2.2 km): outside is possible.
    wide = check(firms([("x", "li_ion_cell", *site, 2500.0)]), areas=two, chain=chain)
    assert wide["verdict"].iloc[0] == "uncertain"
    assert wide["verdict_at_point"].iloc[0] == "conforming"


def test_reason_names_only_boundaries_that_change_the_verdict(chain):
    # A thin strip (about 980 m wide) between the designated west area and the east
    # area, which gives the same verdict as the strip. Both strip and east are 5.5 km
    # tall, so their outer edges are out of reach.
    three = boxes(
        [
            ("strip", (115.93, 28.60, 115.94, 28.70), ("pcs",)),
            ("east", (115.94, 28.60, 115.98, 28.70), ("pcs",)),
            ("west", (115.90, 28.60, 115.93, 28.70), ("cathode",)),
        ]
    )
    pts = firms(
        [
            ("short", "cathode", 115.9385, 28.65, 500.0),  # reaches only strip|east
            ("long", "cathode", 115.9385, 28.65, 900.0),  # also strip|west
            ("edge", "cathode", 115.94, 28.65, 1000.0),  # on strip|east, reaches west
        ]
    )
    out = check(pts, areas=three, chain=chain)
    assert list(out["verdict"].astype(str)) == ["misplaced", "uncertain", "uncertain"]
    for reason in out["reason_en"].iloc[1:]:
        assert "strip area" in reason
        assert "west area" in reason
        assert "east area" not in reason  # strip|east separates misplaced from misplaced


# Four areas with overlaps and shared edges, and segments with one or two designated
# areas, for comparing check with the definition measured directly.
MIXED = [
    ("bat", (115.90, 28.60, 115.94, 28.64), ("li_ion_cell",)),
    ("mat", (115.94, 28.60, 115.98, 28.64), ("copper_foil", "cathode")),
    ("ctl", (115.90, 28.66, 115.94, 28.70), ("pcs",)),
    ("big", (115.92, 28.62, 115.96, 28.68), ("li_ion_cell", "pcs")),
]


def reference(pts, areas):
    """Reachable verdicts and verdict-changing edges per row, measured with shapely."""
    to_m = areas.geometry.segmentize(0.001).to_crs("EPSG:4548")
    shapes = dict(zip(areas.index, to_m, strict=True))
    everything = shapely.union_all(list(shapes.values()))
    xy = shapely.points(np.column_stack(TO_M.transform(pts.geometry.x, pts.geometry.y)))
    r = pts["precision_m"].fillna(0).to_numpy()
    verdicts: list[str] = []
    named: list[set[str]] = []
    unclear = np.zeros(len(pts), dtype=bool)
    for i, seg in enumerate(pts["segment"]):
        desig = [k for k, s in zip(areas.index, areas["segments"], strict=True) if seg in s]
        u = shapely.union_all([shapes[k] for k in desig])
        rest = everything.difference(u)
        d = {
            "conforming": shapely.distance(u, xy[i]),
            "misplaced": shapely.distance(rest, xy[i]),
            "outside": shapely.distance(everything.boundary, xy[i])
            if everything.intersects(xy[i])
            else 0.0,
        }
        edges = [shapely.distance(g.boundary, xy[i]) for g in shapes.values()]
        unclear[i] = any(0 < abs(v - r[i]) < 1 for v in [*d.values(), *edges]) or min(edges) < 1
        at = min(d, key=lambda v: (d[v] > 0, ["conforming", "misplaced", "outside"].index(v)))
        reach = [v for v in d if d[v] <= r[i]] if r[i] > 0 else [at]
        verdicts.append("uncertain" if len(reach) > 1 else at)
        # Where an area's boundary runs along a boundary of U or All; a mere crossing
        # (a stub of a few centimetres in the buffer) does not count.
        changes = shapely.union(u.boundary, everything.boundary).buffer(0.01)
        dist = {}
        for k, g in shapes.items():
            parts = shapely.get_parts(shapely.intersection(g.boundary, changes))
            runs = shapely.union_all(parts[shapely.length(parts) > 0.1])
            dist[k] = shapely.distance(runs, xy[i]) if not runs.is_empty else np.inf
        named.append({k for k, v in dist.items() if v <= r[i]})
        unclear[i] |= any(0 < abs(v - r[i]) < 1 for v in dist.values())
    return verdicts, named, unclear


@pytest.mark.parametrize("n", [300, 6000])  # direct predicates and the lattice
def test_uncertain_equals_the_definition_measured_directly(chain, n):
    areas = boxes(MIXED)
    rng = np.random.default_rng(n)
    segs = rng.choice(["li_ion_cell", "copper_foil", "pcs", "cathode"], n)
    lon = rng.uniform(115.89, 115.99, n)
    lat = rng.uniform(28.59, 28.71, n)
    prec = rng.choice([0.0, 150.0, 600.0, 1500.0, 4000.0, np.nan], n)
    pts = firms(list(zip([str(i) for i in range(n)], segs, lon, lat, prec, strict=True)))
    out = check(pts, areas=areas, chain=chain)
    sample = rng.choice(n, min(n, 300), replace=False)
    verdicts, named, unclear = reference(pts.iloc[sample], areas)
    got = out["verdict"].astype(str).to_numpy()[sample]
    keep = ~unclear
    assert keep.sum() > 250
    assert list(got[keep]) == [v for v, k in zip(verdicts, keep, strict=True) if k]
    assert {"conforming", "misplaced", "outside", "uncertain"} <= set(got[keep])
    # The reason names exactly the areas whose boundary changes the verdict in reach.
    names = dict(zip(areas.index, areas["name_en"], strict=True))
    for row, v, want, skip in zip(sample, verdicts, named, unclear, strict=True):
        if v != "uncertain" or skip:
            continue
        reason = out["reason_en"].iloc[row]
        said = {k for k, name in names.items() if name in reason}
        assert said == want, (row, reason)


def test_both_ways_of_coding_rows_agree(chain, monkeypatch):
    areas = boxes(MIXED)
    rng = np.random.default_rng(5)
    n = 2000
    pts = firms(
        list(
            zip(
                [str(i) for i in range(n)],
                rng.choice(["li_ion_cell", "copper_foil", "pcs", "pv_cell"], n),
                rng.uniform(115.89, 115.99, n),
                rng.uniform(28.59, 28.71, n),
                rng.choice([0.0, 300.0, 2000.0], n),
                strict=True,
            )
        )
    )
    table = check(pts, areas=areas, chain=chain)
    monkeypatch.setattr(_situations, "TABLE_BITS", 0)  # forces the situations found in the rows
    found = check(pts, areas=areas, chain=chain)
    cols = list(OUTPUT_COLUMNS)
    pd.testing.assert_frame_equal(table[cols].astype(str), found[cols].astype(str))


def test_lines_lattice_equals_direct_and_shapely(areas):
    """Distance-to-lines tests (used for the derived boundaries) are exact either way."""
    from zoning._locate import Lines

    # An L-shaped piece of boundary and points around it, many near their threshold.
    piece = shapely.LineString([(115.90, 28.60), (115.94, 28.60), (115.94, 28.64)])
    lines = Lines(piece)
    rng = np.random.default_rng(11)
    n = 8000
    lon = rng.uniform(115.88, 115.96, n)
    lat = rng.uniform(28.58, 28.66, n)
    piece_m = shapely.transform(
        shapely.segmentize(piece, 0.001),
        lambda c: np.column_stack(TO_M.transform(c[:, 0], c[:, 1])),
    )
    d = shapely.distance(piece_m, shapely.points(np.column_stack(TO_M.transform(lon, lat))))
    lon[:10], d[:10] = np.nan, np.inf  # unlocated: never near
    prec = np.where(rng.random(n) < 0.5, d + rng.normal(0, 3, n), rng.choice([0, 500, 3000], n))
    prec[:10] = 5000.0
    fast = lines.within(lon, lat, prec, use_grid=True)
    slow = lines.within(lon, lat, prec, use_grid=False)
    np.testing.assert_array_equal(fast, slow)
    expect = d <= np.where(prec > 0, prec, -1)
    np.testing.assert_array_equal(fast, expect)
    assert 0.2 < fast.mean() < 0.8
    assert not Lines(shapely.LineString()).within(lon, lat, prec).any()


def test_kept_texts_follow_the_plan_across_calls(sample, areas, chain):
    """Texts are kept across calls per plan: a second call, a renamed area, a moved
    designation and a renamed segment each give what formatting from scratch gives."""
    cols = list(OUTPUT_COLUMNS)
    first = check(sample, areas=areas, chain=chain)
    again = check(sample, areas=areas, chain=chain)
    pd.testing.assert_frame_equal(first[cols], again[cols])

    renamed = areas.copy()
    renamed.loc["battery", "name_en"] = "cell park"
    moved = areas.copy()
    moved["segments"] = [("battery_pack",), ("copper_foil", "li_ion_cell"), ("pcs",)]
    other_chain = chain.copy()
    other_chain.loc["li_ion_cell", "name_en"] = "lithium cells"
    kept = {
        "renamed": check(sample, areas=renamed, chain=chain),
        "moved": check(sample, areas=moved, chain=chain),
        "chain": check(sample, areas=areas, chain=other_chain),
    }
    assert "cell park" in kept["renamed"].loc["a", "reason_en"]
    assert "storage-battery area" not in kept["renamed"].loc["a", "reason_en"]
    assert kept["moved"].loc["a", "rule"] == "li_ion_cell designated in materials"
    assert kept["moved"].loc["a", "verdict"] == "misplaced"
    assert "lithium cells" in kept["chain"].loc["a", "reason_en"]
    _cache.REASON_TEXTS.clear()  # formatting from scratch
    fresh = {
        "renamed": check(sample, areas=renamed, chain=chain),
        "moved": check(sample, areas=moved, chain=chain),
        "chain": check(sample, areas=areas, chain=other_chain),
    }
    for key, out in kept.items():
        pd.testing.assert_frame_equal(out[cols], fresh[key][cols])
    pd.testing.assert_frame_equal(check(sample, areas=areas, chain=chain)[cols], first[cols])


def test_kept_lattice_answers_new_points_exactly(areas):
    """A lattice and its refined cells are kept per boundary and reused by later calls
    with other points (same size and largest precision); answers stay the direct ones."""
    shapes = areas.geometry.to_numpy()
    working = areas.to_crs("EPSG:4548").geometry.to_numpy()
    kept = boundary_of(shapely.to_wkb(working[0])).lattices
    kept.clear()  # other tests' lattices of the same area
    rng = np.random.default_rng(3)
    n = 30_000
    # The battery area's east edge, its west edge (new crowded cells), the east again.
    for edge_lon in (BATTERY[2], BATTERY[0], BATTERY[2]):
        lon = edge_lon + rng.uniform(-0.0005, 0.0005, n)
        lat = rng.uniform(28.6195, 28.6205, n)
        x_edge, _ = TO_M.transform(np.full(n, edge_lon), lat)
        x_pt, _ = TO_M.transform(lon, lat)
        prec = np.minimum(np.abs(x_pt - x_edge) + rng.normal(0, 3, n), 99.0)
        prec[0] = 100.0  # the same largest precision: the same lattice
        fast = locate(lon, lat, prec, shapes, working, use_grid=True)
        slow = locate(lon, lat, prec, shapes, working, use_grid=False)
        np.testing.assert_array_equal(fast[0], slow[0])
        np.testing.assert_array_equal(fast[1], slow[1])
        assert 0.2 < fast[1][:, 0].mean() < 0.8  # both answers occur
    assert len(kept) == 1  # one lattice served all three calls
    sub = next(iter(kept.values())).sub
    assert (sub.slot >= 0).sum() == len(sub.cx) > 0  # refined cells were measured once
