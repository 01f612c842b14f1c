"""``python -m zoning``: the same command line as the ``zoning`` console script."""

from zoning.cli import run

run()
