"""PostGIS as the peer: the same points and areas, in a throwaway server started here."""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPEAT = 3


@contextlib.contextmanager
def _server() -> Iterator[Any]:
    from tests._postgres import PostgresServer, find_binaries

    bindir, why = find_binaries()
    if bindir is None:
        raise RuntimeError(why)
    server = PostgresServer.start(bindir)
    try:
        yield server
    finally:
        server.stop()


def _best(fn: Any) -> float:
    times = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def compare(n: int) -> dict[str, Any]:
    """Time ``zoning.check`` and PostGIS ``ST_Intersects`` on the same ``n`` points.

    PostGIS materialises (point id, area key) pairs into a temporary table with GiST
    indexes on both sides, data loaded and ANALYZEd beforehand, one warm-up run: the
    server's best case, without shipping results to the client.
    """
    import psycopg
    import shapely

    import layers
    import zoning

    areas = layers.areas()
    rules = layers.rules()
    firms = layers.synthetic_enterprises(n, seed=1)
    zoning.check(firms.iloc[:100], areas=areas, rules=rules)
    t_check = _best(lambda: zoning.check(firms, areas=areas, rules=rules))

    with _server() as server, psycopg.connect(server.new_database()) as conn:
        conn.autocommit = True
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        conn.execute("CREATE TABLE areas (key text, geom geometry(MultiPolygon, 4326))")
        for key, geom in zip(areas.index, areas.geometry, strict=True):
            multi = shapely.multipolygons(shapely.get_parts(geom))
            conn.execute(
                "INSERT INTO areas VALUES (%s, ST_GeomFromWKB(%s, 4326))",
                (key, shapely.to_wkb(multi)),
            )
        conn.execute("CREATE INDEX ON areas USING gist (geom)")
        conn.execute("CREATE TABLE pts (id int, geom geometry(Point, 4326))")
        located = firms[firms.geometry.notna()]
        hexwkb = shapely.to_wkb(located.geometry.to_numpy(), hex=True)
        payload = "\n".join(f"{i}\t{h}" for i, h in enumerate(hexwkb)) + "\n"
        with conn.cursor().copy("COPY pts (id, geom) FROM STDIN") as copy:
            copy.write(payload)
        conn.execute("UPDATE pts SET geom = ST_SetSRID(geom, 4326)")
        conn.execute("CREATE INDEX ON pts USING gist (geom)")
        conn.execute("ANALYZE")

        def query() -> None:
            conn.execute("DROP TABLE IF EXISTS r")
            conn.execute(
                "CREATE TEMP TABLE r AS SELECT p.id, a.key FROM pts p "
                "JOIN areas a ON ST_Intersects(a.geom, p.geom)"
            )

        query()  # warm
        t_pg = _best(query)
    return {"n": n, "check_s": t_check, "postgis_s": t_pg}


def store_io(n: int) -> dict[str, Any]:
    """Write and read ``n`` enterprises through both store back ends."""
    import geo.store
    import layers

    firms = layers.synthetic_enterprises(n, seed=2)
    firms = firms[firms.geometry.notna()].reset_index(drop=True)
    out: dict[str, Any] = {"n": len(firms)}
    with tempfile.TemporaryDirectory() as tmp:
        targets = {"gpkg": str(Path(tmp) / "bench.gpkg")}
        with _server() as server:
            targets["postgis"] = server.new_database()
            for name, target in targets.items():
                with geo.store.open(target) as store:
                    t0 = time.perf_counter()
                    store.write("bench", firms, author="bench", note="write")
                    out[f"{name}_write_s"] = time.perf_counter() - t0
                    t0 = time.perf_counter()
                    back = store.read("bench")
                    out[f"{name}_read_s"] = time.perf_counter() - t0
                    assert len(back) == len(firms)
    return out
