"""Reading CSV text: its encoding, its delimiter, its header as written; whole or in chunks.

Every cell is read as text (``dtype=str``), so ids such as ``007`` stay as typed. A whole
file (an upload) is decoded once in memory; a local file read in chunks is decoded by
pandas as it goes, its encoding chosen from the first megabyte.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import Any, Final

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from geo._errors import InputError
from geo._io_source import Source
from geo.messages import text

__all__ = ["csv_frames", "decode", "load_csv"]

_DELIMITERS: Final = (",", "\t", ";", "|")
# How every CSV is parsed, whole or in chunks: cells as text, only an empty cell is
# missing ("NA", "null" ... stay text), and blank lines are kept as rows so that row
# numbers count them (the reader drops them afterwards).
_OPTIONS: Final[dict[str, Any]] = {
    "dtype": str,
    "keep_default_na": False,
    "na_values": [""],
    "skip_blank_lines": False,
}
_HEAD: Final = 1024 * 1024  # bytes that choose a chunked file's encoding


def _header(text: str) -> tuple[str, list[str]]:
    """Return the delimiter and the header names exactly as written (stripped)."""
    text = text.lstrip("\ufeff")
    header = text.split("\n", 1)[0]
    sep = max(_DELIMITERS, key=header.count)
    sep = sep if header.count(sep) else ","
    # pandas renames a repeated header name ("lat" twice becomes "lat", "lat.1"), so the
    # names as written come from the csv module, which keeps them; the table's first row
    # is the header for pandas too (a leading blank line is not skipped by either).
    names = next(csv.reader(io.StringIO(text), delimiter=sep), [])
    return sep, [n.strip() for n in names]


def _not_text(display: str) -> InputError:
    return InputError(text("geo.csv.not_text", file=display))


def _unreadable(display: str, exc: Exception) -> InputError:
    return InputError(text("geo.csv.unreadable", file=display, error=exc))


def decode(data: bytes, display: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a GBK superset)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return text
    raise _not_text(display)


def load_csv(src: Source) -> tuple[pd.DataFrame, list[str]]:
    """Return the table (every cell as text) and its header names exactly as written."""
    data = src.read_bytes()
    content = decode(data, src.display)
    if not content.strip():
        raise InputError(text("geo.csv.empty", file=src.display))
    sep, names = _header(content)
    try:
        frame = pd.read_csv(io.StringIO(content), sep=sep, **_OPTIONS)
    except pd.errors.ParserError as exc:
        raise _unreadable(src.display, exc) from None
    return frame, names


def _head_encoding(head: bytes, *, whole: bool, display: str) -> tuple[str, str]:
    """Choose the encoding of a file from its first bytes, as :func:`decode` would.

    Returns the codec name for pandas and the decoded head. ``whole`` says the head is
    the whole file; otherwise a character cut at its end is not an error.
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates: tuple[str, ...] = ("utf-16",)
    else:
        candidates = ("utf-8-sig", "gb18030")
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            text = decoder.decode(head, final=whole)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return encoding, text
    raise _not_text(display)


def csv_frames(src: Source, *, chunk_rows: int | None) -> tuple[list[str], Iterator[pd.DataFrame]]:
    """Read a local CSV file in chunks of ``chunk_rows`` rows, every cell as text.

    pandas reads the file itself, decoding as it goes: faster, and lighter on memory,
    than decoding the whole text first as :func:`load_csv` does for an upload.

    Parameters
    ----------
    src : Source
        A checked local file (``src.path`` set).
    chunk_rows : int or None
        Rows per chunk (blank lines count as rows); None: the whole file as one frame.

    Returns
    -------
    tuple
        The header names as written, and an iterator of frames (pandas' RangeIndex
        continues from chunk to chunk, so ``index + 2`` is the spreadsheet row).

    Raises
    ------
    geo.InputError
        For an empty file or an encoding that is neither UTF-8, UTF-16 with BOM nor
        GB18030 at the start; while iterating, for text that stops being in that encoding
        or a row pandas cannot parse.
    """
    assert src.path is not None
    with src.path.open("rb") as fh:
        head = fh.read(_HEAD + 1)
    whole = len(head) <= _HEAD
    encoding, start = _head_encoding(head[:_HEAD], whole=whole, display=src.display)
    if whole and not start.strip():
        raise InputError(text("geo.csv.empty", file=src.display))
    sep, names = _header(start)
    return names, _frames(src, sep=sep, encoding=encoding, chunk_rows=chunk_rows, names=names)


def _frames(
    src: Source, *, sep: str, encoding: str, chunk_rows: int | None, names: list[str]
) -> Iterator[pd.DataFrame]:
    assert src.path is not None
    try:
        if chunk_rows is None:
            frame = _arrow_frame(src, sep=sep, encoding=encoding, fields=len(names))
            if frame is None:
                frame = pd.read_csv(src.path, sep=sep, encoding=encoding, **_OPTIONS)
            yield frame
            return
        with pd.read_csv(
            src.path, sep=sep, encoding=encoding, chunksize=chunk_rows, **_OPTIONS
        ) as reader:
            yield from reader
    except pd.errors.ParserError as exc:
        raise _unreadable(src.display, exc) from None
    except UnicodeDecodeError:
        raise InputError(
            text("geo.csv.encoding_changes", file=src.display, encoding=encoding.upper())
        ) from None


def _arrow_frame(src: Source, *, sep: str, encoding: str, fields: int) -> pd.DataFrame | None:
    """Read a well-formed file at once with pyarrow's CSV reader (several times faster).

    The frame is the one pandas would read (same cells, same missing values, blank lines
    as empty rows, pandas' names for unnamed and repeated header fields). Returns None
    when a row has more or fewer fields than the header (``fields`` of them), or the text
    does not decode: pandas then reads the file and reports (or pads short rows) in its
    own way.
    """
    assert src.path is not None
    malformed: list[int | None] = []

    def note(row: pa_csv.InvalidRow) -> str:
        malformed.append(row.number)
        return "skip"

    # Positional column names, so that every column can be declared text; the header is
    # then read as the first row (pyarrow's skip_rows would split a quoted header field).
    columns = [f"f{i}" for i in range(fields)]
    try:
        table = pa_csv.read_csv(
            src.path,
            read_options=pa_csv.ReadOptions(
                column_names=columns, encoding=_ARROW_CODECS.get(encoding, encoding)
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=sep,
                # As pandas: quoted values may hold line breaks, and a blank line is a row
                # (of missing values) so that row numbers count it.
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=note,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(columns, pa.string()),
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                null_values=[""],
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    if malformed or table.num_rows == 0:
        return None
    header = table.slice(0, 1).to_pylist()[0]
    frame: pd.DataFrame = table.slice(1).to_pandas()
    frame.columns = _pandas_names([header[c] for c in columns])
    return frame


def _pandas_names(header: list[str | None]) -> list[str]:
    """Name columns as pandas does: ``Unnamed: i`` for a blank name, ``x.1`` for a repeat."""
    names: list[str] = []
    taken: set[str] = set()
    for i, given in enumerate(header):
        base = f"Unnamed: {i}" if given is None or given == "" else given
        name, k = base, 0
        while name in taken:
            k += 1
            name = f"{base}.{k}"
        taken.add(name)
        names.append(name)
    return names


# pyarrow decodes UTF-8 itself (and skips a BOM); other encodings through Python's codecs.
_ARROW_CODECS: Final = {"utf-8-sig": "utf8"}
