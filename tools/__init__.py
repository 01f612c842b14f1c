"""Maintainer scripts run from a repository checkout; not part of the installed package.

``python -m tools.build_data`` rebuilds the shipped geography in ``data/``.
"""
