"""The few exceptions the library raises, each a subclass of a built-in."""

from __future__ import annotations

__all__ = ["CRSError", "InputError"]


class InputError(ValueError):
    """A whole input (file, upload, argument) is unusable.

    The message names the input, what was wrong and how to fix it. Problems with single
    rows are never raised: they are reported in a problems table and the good rows kept.
    """


class CRSError(ValueError):
    """Data are in a coordinate reference system the operation cannot use."""
