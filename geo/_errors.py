"""The few exceptions the library raises, each a subclass of a built-in."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.messages import Text

__all__ = ["CRSError", "InputError", "TwoLanguageError"]


class TwoLanguageError(Exception):
    """An exception whose message may be given in English and Chinese at once.

    The base of geo's public errors (:class:`InputError`, :class:`CRSError`,
    :class:`geo.store.StoreError`), combined with the built-in each of them subclasses.

    Parameters
    ----------
    message : str or geo.messages.Text
        The message; a :class:`~geo.messages.Text` carries it in English and Chinese
        (``str(error)`` is the English, :func:`geo.messages.in_lang` picks either).

    Attributes
    ----------
    text : geo.messages.Text or None
        Both texts, when the message was given in both languages.
    """

    def __init__(self, message: str | Text) -> None:
        if isinstance(message, tuple):
            super().__init__(message.en)
            self.text: Text | None = message
        else:
            super().__init__(message)
            self.text = None


class InputError(TwoLanguageError, ValueError):
    """A whole input (file, upload, argument) is unusable.

    The message names the input, what was wrong and how to fix it. Problems with single
    rows are never raised: they are reported in a problems table and the good rows kept.

    Parameters
    ----------
    message : str or geo.messages.Text
        The message; a :class:`~geo.messages.Text` carries it in English and Chinese
        (``str(error)`` is the English, :func:`geo.messages.in_lang` picks either).

    Attributes
    ----------
    text : geo.messages.Text or None
        Both texts, when the message was given in both languages.
    """


class CRSError(TwoLanguageError, ValueError):
    """Data are in a coordinate reference system the operation cannot use.

    Parameters
    ----------
    message : str or geo.messages.Text
        As for :class:`InputError`: a :class:`~geo.messages.Text` carries both languages.

    Attributes
    ----------
    text : geo.messages.Text or None
        Both texts, when the message was given in both languages.
    """
