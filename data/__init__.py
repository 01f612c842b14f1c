"""The shipped data, installed as the package ``layers.data`` (see ``pyproject.toml``).

The files stay in this top-level folder in the repository; an installed copy of the tool
finds them with :func:`layers.settings.data_path`, never by a path relative to its code.
Their origin, licence and date are in ``SOURCES.md``.
"""
