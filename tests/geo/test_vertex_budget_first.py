"""The vertex budget is charged on the shapes as parsed, before geometry repair.

Repairing a self-intersecting ring grows with its vertices (200,000 of them once took
13 GB), so a shape over the budget must be refused before ``make_valid`` sees it. The
evidence, free of timing: the refusal names the raw vertex count, which repair changes
(a bow-tie is cut in two at its crossing, gaining vertices).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo import InputError
from geo.io import Limits, read

HOW = (
    "if you trust the file, raise the limit: `--max-vertices-per-shape` on the command line, "
    "or the environment variable GEO_IO_MAX_GEOMETRY_VERTICES for the app (0 lifts it)"
)


def bow_tie(vertices: int) -> shapely.Polygon:
    """A ring of ``vertices`` points whose two diagonals cross once (invalid), near Nanchang."""
    corners = np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    side = vertices // 4
    steps = np.linspace(0.0, 1.0, side, endpoint=False)[:, None]
    edges = [corners[k] + steps * (corners[(k + 1) % 4] - corners[k]) for k in range(4)]
    ring = np.vstack(edges)
    return shapely.Polygon(np.column_stack([115.9 + 0.01 * ring[:, 0], 28.6 + 0.01 * ring[:, 1]]))


def geojson(*shapes: shapely.Polygon) -> bytes:
    names = [f"s{i}" for i in range(len(shapes))]
    frame = gpd.GeoDataFrame({"name": names}, geometry=list(shapes), crs="EPSG:4326")
    return frame.to_json().encode()


def test_bow_tie_over_the_budget_is_refused_with_its_raw_vertex_count():
    shape = bow_tie(150_000)
    raw = shapely.get_num_coordinates(shape)
    assert raw == 150_001
    # Repair would change the count the message names: it cuts the ring at the crossing.
    repaired = shapely.make_valid(shape, method="structure", keep_collapsed=False)
    assert shapely.get_num_coordinates(repaired) != raw
    with pytest.raises(InputError) as caught:
        read(geojson(bow_tie(1000), shape), name="bowtie.geojson")
    assert caught.value.text is not None
    assert caught.value.text.en == (
        "bowtie.geojson feature 2: the shape has 150,001 vertices, more than the limit of "
        "100,000 per shape; simplify it (e.g. in QGIS: Vector > Geometry Tools > Simplify), "
        f"or {HOW}"
    )
    assert caught.value.text.zh == (
        "bowtie.geojson 第 2 个要素：该图形有 150,001 个顶点，超过每个图形 100,000 个的上限；"
        "请简化该图形（例如 QGIS：矢量 > 几何工具 > 简化），或如文件来源可信，可调高该上限："
        "命令行使用 `--max-vertices-per-shape`，应用使用环境变量 GEO_IO_MAX_GEOMETRY_VERTICES"
        "（设为 0 即不设上限）"
    )


def test_a_bow_tie_outside_the_extent_still_counts():
    # Shapes outside the expected extent are unlocated before repair; the budget saw them.
    far = shapely.affinity.translate(bow_tie(150_000), xoff=-100.0)
    with pytest.raises(InputError, match=r"feature 1: the shape has 150,001 vertices"):
        read(geojson(far), name="far.geojson")


def test_a_wkt_column_of_a_table_is_charged_too():
    # Tables were left out of the budget (points have one vertex); a WKT column is shapes.
    text = 'id,wkt\n1,"' + bow_tie(2000).wkt + '"\n2,POINT (115.9 28.6)\n'
    with pytest.raises(InputError) as caught:
        read(text.encode(), name="shapes.csv", limits=Limits(geometry_vertices=1000))
    assert caught.value.text is not None
    assert caught.value.text.en.startswith(
        "shapes.csv row 2: the shape has 2,001 vertices, more than the limit of 1,000 per shape"
    )


def test_the_file_total_counts_every_shape_before_repair():
    shapes = [bow_tie(1000) for _ in range(3)]
    with pytest.raises(InputError) as caught:
        read(geojson(*shapes), name="three.geojson", limits=Limits(vertices=2500))
    assert caught.value.text is not None
    assert caught.value.text.en.startswith(
        "three.geojson holds 3,003 vertices in all, more than the limit of 2,500 per file"
    )


def test_within_the_budget_a_bow_tie_is_still_repaired_and_reported():
    result = read(geojson(bow_tie(1000)), name="small.geojson")
    assert result.data.geometry.iloc[0].is_valid
    assert result.problems["action"].tolist() == ["repaired"]
