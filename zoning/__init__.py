"""The analysis: rule checks, clusters, agglomeration indices, gaps, site suitability, CLI."""

from __future__ import annotations

__all__: list[str] = []
