"""The domain data as validated GeoDataFrames: districts, zones, areas, chain, rules, firms."""

from __future__ import annotations

__all__: list[str] = []
