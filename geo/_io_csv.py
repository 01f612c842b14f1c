"""Reading CSV text: its encoding, its delimiter, its header as written; whole or in chunks.

Every cell is read as text (``dtype=str``), so ids such as ``007`` stay as typed. A whole
file (an upload) is decoded once in memory; a local file read in chunks is decoded by
pandas as it goes, its encoding chosen from the first megabyte.

The header decides the columns. pandas, given data rows with more fields than the header
(a trailing comma on every row, say), would take the first fields as an index and shift
every value one column to the right, or refuse the file; such files are read again with
the :mod:`csv` module, by the header, and each row's extra fields travel in the
:data:`EXTRA_FIELDS` column for :mod:`geo._io_table` to report.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from typing import Any, Final

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from geo._errors import InputError
from geo._io_source import Source
from geo.messages import text

__all__ = ["EXTRA_FIELDS", "csv_frames", "decode", "load_csv"]

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
EXTRA_FIELDS: Final = "\x00extra fields"
"""The column of a CSV frame holding, for each row with more fields than the header, the
extra fields (a tuple of text; None for other rows). Present only when some row has them;
a NUL never reaches a header (such text is refused), so no file's column can be called so."""
# pandas' words for a row longer than the header, and for a quote never closed.
_TOO_MANY: Final = re.compile(r"Expected \d+ fields in line \d+, saw \d+")
_CONTROL: Final = re.compile(r"[\x01-\x08\x0e-\x1f]")  # what text files never hold
_UNCLOSED: Final = re.compile(r"EOF inside string starting at row (\d+)")


def _header(text: str, display: str) -> tuple[str, list[str]]:
    """Return the delimiter and the header names exactly as written (stripped)."""
    text = text.lstrip("\ufeff")
    header = text.split("\n", 1)[0]
    sep = max(_DELIMITERS, key=header.count)
    sep = sep if header.count(sep) else ","
    # pandas renames a repeated header name ("lat" twice becomes "lat", "lat.1"), so the
    # names as written come from the csv module, which keeps them; the table's first row
    # is the header for pandas too (a leading blank line is not skipped by either).
    try:
        names = next(csv.reader(io.StringIO(text), delimiter=sep), [])
    except csv.Error as exc:
        raise _csv_error(display, exc, row=1) from None
    return sep, [n.strip() for n in names]


def _csv_error(display: str, exc: csv.Error, *, row: int) -> InputError:
    """Word the csv module's refusal: its field limit, or the text it gives."""
    if "field larger than field limit" in str(exc):
        return InputError(
            text(
                "geo.lossless.csv_field_limit", file=display, row=row, limit=csv.field_size_limit()
            )
        )
    return _unreadable(display, exc)


def _parser_error(display: str, exc: pd.errors.ParserError) -> InputError:
    """Word pandas' refusal: an unclosed quote by its row, else pandas' own words."""
    unclosed = _UNCLOSED.search(str(exc))
    if unclosed is not None:
        # pandas counts the header as row 0: the spreadsheet row is one more.
        row = int(unclosed.group(1)) + 1
        return InputError(text("geo.lossless.csv_unclosed_quote", file=display, row=row))
    return _unreadable(display, exc)


def _too_many_fields(exc: pd.errors.ParserError) -> bool:
    return _TOO_MANY.search(str(exc)) is not None


def _shifted(frame: pd.DataFrame) -> bool:
    """Tell whether pandas took leading fields as an index (a first row longer than the header).

    The values would then sit one or more columns to the right of their names.
    """
    return not isinstance(frame.index, pd.RangeIndex)


def _by_header(
    stream: Iterator[str],
    *,
    sep: str,
    display: str,
    chunk_rows: int | None,
    skip: int = 0,
) -> Iterator[pd.DataFrame]:
    """Read CSV text with the :mod:`csv` module: the header's columns, extras set aside.

    The frames are those pandas reads from a well-formed file (cells as text, an empty
    cell missing, blank lines as empty rows, short rows padded, pandas' names for blank
    and repeated header fields, a RangeIndex running on from chunk to chunk), plus the
    :data:`EXTRA_FIELDS` column when some row of the frame has more fields than the
    header. ``skip`` records after the header are passed over (already read by pandas).
    """
    reader = csv.reader(stream, delimiter=sep)
    try:
        header = next(reader, [])
        names = _pandas_names(list[str | None](header))
        width = len(names)
        start = 0
        cells: list[list[str | None]] = []
        extras: list[tuple[str, ...] | None] = []
        for i, record in enumerate(reader):
            if i < skip:
                continue
            row = [c if c != "" else None for c in record[:width]]
            row.extend([None] * (width - len(row)))
            cells.append(row)
            extras.append(tuple(record[width:]) if len(record) > width else None)
            if chunk_rows is not None and len(cells) == chunk_rows:
                yield _frame(cells, extras, names, skip + start)
                start += len(cells)
                cells, extras = [], []
    except csv.Error as exc:
        # reader.line_num counts physical lines; a record spanning lines is rare here.
        raise _csv_error(display, exc, row=reader.line_num) from None
    if cells or (chunk_rows is None and start == 0):
        yield _frame(cells, extras, names, skip + start)


def _frame(
    cells: list[list[str | None]],
    extras: list[tuple[str, ...] | None],
    names: list[str],
    start: int,
) -> pd.DataFrame:
    index = pd.RangeIndex(start, start + len(cells))
    columns = list(zip(*cells, strict=True)) if cells else [()] * len(names)
    frame = pd.DataFrame(
        {j: pd.Series(list(col), index=index, dtype=str) for j, col in enumerate(columns)},
        index=index,
    )
    if len(frame.columns) == len(names):
        frame.columns = names
    if any(e is not None for e in extras):
        frame[EXTRA_FIELDS] = pd.Series(extras, index=frame.index, dtype=object)
    return frame


def _not_text(display: str, decoded: str | None = None) -> InputError:
    """Refuse text that is not text.

    A few NUL characters in text that otherwise decodes, without other control
    characters, are a damaged file, and the message says NUL; binary files (control
    characters besides) and UTF-16 without its BOM (a NUL in every other byte) are an
    encoding problem.
    """
    if (
        decoded is not None
        and decoded.count("\x00") * 4 < len(decoded)
        and _CONTROL.search(decoded) is None
    ):
        line = decoded.count("\n", 0, decoded.index("\x00")) + 1
        return InputError(text("geo.lossless.csv_nul", file=display, line=line))
    return InputError(text("geo.csv.not_text", file=display))


def _unreadable(display: str, exc: Exception) -> InputError:
    return InputError(text("geo.csv.unreadable", file=display, error=exc))


def decode(data: bytes, display: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a GBK superset)."""
    decoded: str | None = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            decoded = data.decode("utf-16")
        except UnicodeDecodeError:
            pass
        else:
            if "\x00" not in decoded:
                return decoded
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return text
            decoded = decoded or text
    raise _not_text(display, decoded)


def load_csv(src: Source) -> tuple[pd.DataFrame, list[str]]:
    """Return the table (every cell as text) and its header names exactly as written."""
    data = src.read_bytes()
    content = decode(data, src.display)
    if not content.strip():
        raise InputError(text("geo.csv.empty", file=src.display))
    sep, names = _header(content, src.display)
    frame: pd.DataFrame | None
    try:
        frame = pd.read_csv(io.StringIO(content), sep=sep, **_OPTIONS)
    except pd.errors.ParserError as exc:
        if not _too_many_fields(exc):
            raise _parser_error(src.display, exc) from None
        frame = None
    if frame is None or _shifted(frame):
        stream = io.StringIO(content.lstrip("\ufeff"))
        frame = next(_by_header(stream, sep=sep, display=src.display, chunk_rows=None))
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
    decoded: str | None = None
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            text = decoder.decode(head, final=whole)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return encoding, text
        decoded = decoded or text
    raise _not_text(display, decoded)


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
    sep, names = _header(start, src.display)
    return names, _frames(src, sep=sep, encoding=encoding, chunk_rows=chunk_rows, names=names)


def _frames(
    src: Source, *, sep: str, encoding: str, chunk_rows: int | None, names: list[str]
) -> Iterator[pd.DataFrame]:
    assert src.path is not None
    done = 0  # records yielded by pandas before a row longer than the header turned up
    try:
        try:
            if chunk_rows is None:
                frame = _arrow_frame(src, sep=sep, encoding=encoding, fields=len(names))
                if frame is None:
                    frame = pd.read_csv(src.path, sep=sep, encoding=encoding, **_OPTIONS)
                if not _shifted(frame):
                    yield frame
                    return
            else:
                with pd.read_csv(
                    src.path, sep=sep, encoding=encoding, chunksize=chunk_rows, **_OPTIONS
                ) as reader:
                    for frame in reader:
                        if _shifted(frame):
                            break
                        yield frame
                        done += len(frame)
                    else:
                        return
        except pd.errors.ParserError as exc:
            if not _too_many_fields(exc):
                raise _parser_error(src.display, exc) from None
        # Rows longer than the header: the rest of the file is read by the header.
        with src.path.open(encoding=encoding, newline="") as fh:
            stream = (line.lstrip("\ufeff") if k == 0 else line for k, line in enumerate(fh))
            yield from _by_header(
                stream, sep=sep, display=src.display, chunk_rows=chunk_rows, skip=done
            )
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
