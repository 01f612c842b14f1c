"""Where an input comes from, and whether it is safe to open.

Every source handed to :func:`geo.io.read` passes through :func:`open_source` first:

- a ``str``/``Path`` must name an existing regular local file. Strings GDAL would treat
  as something else (``/vsicurl/...``, ``https://...``, ``GPKG:...``, ``/dev/...``) are
  refused before GDAL ever sees them, and GDAL only ever receives absolute paths, so a
  relative name that starts with ``{`` cannot be mistaken for inline GeoJSON;
- bytes and file-like uploads are size-checked before they are read in full, and their
  user-given ``name`` only chooses the format: files are written under names chosen
  here, never under a user string. An upload always has a size limit; only a local file
  may be read without one (``max_bytes=None``), for the operator's own big files on the
  command line;
- zip archives (zipped shapefiles, and XLSX, which is a zip) are inspected with
  :mod:`zipfile` before anything is extracted or parsed.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Final

from geo._errors import InputError
from geo._say import listing
from geo.messages import Text, text

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "MAX_MEMBERS",
    "MAX_UNCOMPRESSED",
    "Source",
    "check_gdal_string",
    "check_zip",
    "extract_shapefile",
    "open_source",
]

MAX_BYTES: Final = 50_000_000
"""Largest input accepted by default (50 MB, decimal: what the messages say is exact);
``read(max_bytes=...)`` overrides it, and ``max_bytes=None`` lifts it for local files
(never for uploads)."""
MAX_MEMBERS: Final = 200
"""A shapefile has at most a dozen parts; 200 leaves room for folders of extras."""
MAX_UNCOMPRESSED: Final = 200_000_000
"""Largest total uncompressed size of an archive's members (200 MB, decimal)."""
# Text-heavy DBF files compress about 10-100 times; a large member beyond 200 is a bomb
# (deflate cannot exceed about 1032, so the total-size limit is the main guard).
_MAX_RATIO: Final = 200
_RATIO_MIN_SIZE: Final = 10_000_000

FORMATS: Final[dict[str, str]] = {
    ".csv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".zip": "zip",
    ".kml": "kml",
    ".parquet": "parquet",
}
"""File extensions :func:`geo.io.read` understands, and the format each one means."""

_SUPPORTED = ", ".join(FORMATS)
# GDAL connection-string prefixes look like "GPKG:", "PG:", "WFS:", "CSV:", "ZIP:". Two or
# more letters, so a Windows drive ("C:") is not one.
_GDAL_PREFIX: Final = re.compile(r"^[A-Za-z][A-Za-z0-9_]+:")
_SPECIAL_DIRS: Final = ("/dev/", "/proc/", "/sys/")
_ARCHIVE_SUFFIXES: Final = (".zip", ".7z", ".rar", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".kmz")
_SHAPE_PARTS: Final = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def _check_limit(max_bytes: object) -> None:
    if max_bytes is None:
        return
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 0:
        msg = f"`max_bytes` must be a whole number of bytes >= 0 or None, got {max_bytes!r}"
        raise ValueError(msg)


@dataclass(frozen=True)
class Source:
    """An input that passed the safety checks.

    Attributes
    ----------
    display : str
        The name used in messages: a file name, never a full or temporary path.
    fmt : str
        One of the values of :data:`FORMATS`.
    path : Path or None
        The absolute path of a local file, or None for an upload held in ``data``.
    data : bytes or None
        The content of an upload.
    """

    display: str
    fmt: str
    path: Path | None = None
    data: bytes | None = None

    def read_bytes(self) -> bytes:
        """Return the whole content (the upload, or the file read once)."""
        if self.data is not None:
            return self.data
        assert self.path is not None
        return self.path.read_bytes()


def check_gdal_string(path: str, *, what: str = "source") -> None:
    """Refuse a string GDAL would open as a URL, a virtual file or a connection.

    Raises
    ------
    geo.InputError
        Naming the string and saying to pass a local file or the file's bytes instead.
        ``what`` is ``"source"`` or ``"path"``.
    """
    lowered = path.strip().lower()
    bad = (
        lowered.startswith(("/vsi", "{", "<", *_SPECIAL_DIRS))
        or "://" in lowered
        or bool(_GDAL_PREFIX.match(path.strip()))
    )
    if bad:
        word = text("geo.word.path" if what == "path" else "geo.word.source")
        raise InputError(text("geo.source.not_local", what=word, text=path))


def _format_of(name: str, data_head: bytes, display: str) -> str:
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    sniffed = _sniff(data_head)
    if sniffed is None:
        ext = suffix or text("geo.word.none")
        raise InputError(text("geo.source.format", file=display, ext=ext, supported=_SUPPORTED))
    return sniffed


def _sniff(head: bytes) -> str | None:
    """Guess a format from the first bytes, for uploads that came without a usable name."""
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx" if b"[Content_Types].xml" in head[:2000] else "zip"
    if head.startswith(b"PAR1"):
        return "parquet"
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if body.startswith(b"{"):
        return "geojson"
    if body.startswith(b"<"):
        return "kml"
    return None


def open_source(source: Any, *, name: str | None, max_bytes: int | None) -> Source:
    """Check a path, bytes or file-like input and say what format it is.

    Parameters
    ----------
    source : str, os.PathLike, bytes or file-like
        A local file, or an upload (bytes, or an object with ``read()``).
    name : str or None
        For uploads, the original file name: it gives the format (by extension) and the
        name used in messages. For paths, an optional display name.
    max_bytes : int or None
        Largest accepted size; None: no limit, for local files only.

    Returns
    -------
    Source

    Raises
    ------
    ValueError
        If ``max_bytes`` is None for an upload, or not a size.
    """
    _check_limit(max_bytes)
    if isinstance(source, (str, os.PathLike)):
        given = os.fspath(source)
        if not isinstance(given, str):
            msg = f"`source` path must be text, got {type(given).__name__}"
            raise TypeError(msg)
        return _open_path(Path(given), given, name=name, max_bytes=max_bytes)
    if max_bytes is None:
        msg = (
            "`max_bytes=None` (no size limit) is only for local files; an upload (bytes or "
            "a file-like object) always has a limit: pass one, or the file's path"
        )
        raise ValueError(msg)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif hasattr(source, "read"):
        raw = source.read(max_bytes + 1)
        if isinstance(raw, str):
            # A text-mode handle: the text is re-encoded as UTF-8, the encoding read expects.
            raw = raw.encode("utf-8")
        data = bytes(raw)
    else:
        msg = (
            f"`source` must be a file path, bytes or a file-like object, got "
            f"{type(source).__name__}"
        )
        raise TypeError(msg)
    display = PurePosixPath((name or "upload").replace("\\", "/")).name or "upload"
    if len(data) > max_bytes:
        if not isinstance(source, (bytes, bytearray, memoryview)):
            # Read only up to the limit: its size beyond that is not known, so not said.
            raise InputError(
                text("geo.source.too_large_stream", file=display, limit=_megabytes(max_bytes))
            )
        raise _too_large(display, len(data), max_bytes)
    fmt = _format_of(name or "", data[:4096], display)
    return Source(display=display, fmt=fmt, data=data)


def _megabytes(size: int, *, decimals: int = 1) -> Text:
    if size < 1_000_000:
        return text("geo.size.bytes", n=size)
    return text("geo.size.mb", n=f"{size / 1e6:,.{decimals}f}")


def _too_large(display: str, size: int, max_bytes: int) -> InputError:
    # One decimal, or as many more as it takes for the size to read larger than the limit.
    decimals = next(
        (d for d in range(1, 7) if round(size / 1e6, d) != round(max_bytes / 1e6, d)), 6
    )
    return InputError(
        text(
            "geo.source.too_large",
            file=display,
            size=_megabytes(size, decimals=decimals),
            limit=_megabytes(max_bytes, decimals=1),
        )
    )


def _open_path(path: Path, given: str, *, name: str | None, max_bytes: int | None) -> Source:
    check_gdal_string(given)
    display = name or path.name
    try:
        resolved = path.resolve(strict=True)
        info = resolved.stat()
    except OSError:
        raise InputError(text("geo.source.missing", file=display, path=given)) from None
    # A symlink into /proc or /dev is as special as the path itself.
    check_gdal_string(str(resolved))
    if not stat.S_ISREG(info.st_mode):
        raise InputError(text("geo.source.not_regular", file=display, path=given))
    if max_bytes is not None and info.st_size > max_bytes:
        raise _too_large(display, info.st_size, max_bytes)
    with resolved.open("rb") as fh:
        head = fh.read(4096)
    fmt = _format_of(resolved.name, head, display)
    return Source(display=display, fmt=fmt, path=resolved)


def check_zip(zf: zipfile.ZipFile, display: str) -> list[zipfile.ZipInfo]:
    """Refuse archives that are unsafe to extract; return their members.

    Refused: more than :data:`MAX_MEMBERS` members, more than :data:`MAX_UNCOMPRESSED`
    bytes uncompressed (or a member over 10 MB compressed more than 200 times), member
    names with ``..`` or absolute paths, symbolic links, encrypted members and nested
    archives.
    """
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(text("geo.zip.members", file=display, n=len(infos), limit=MAX_MEMBERS))
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise InputError(
            text("geo.zip.expands", file=display, mb=total / 1e6, limit=MAX_UNCOMPRESSED / 1e6)
        )
    for info in infos:
        member = info.filename
        parts = PurePosixPath(member.replace("\\", "/")).parts
        if (
            member.startswith(("/", "\\"))
            or ".." in parts
            or re.match(r"^[A-Za-z]:", member) is not None
        ):
            raise InputError(text("geo.zip.path", file=display, member=member))
        if stat.S_ISLNK(info.external_attr >> 16):
            raise InputError(text("geo.zip.link", file=display, member=member))
        if info.flag_bits & 0x1:
            raise InputError(text("geo.zip.encrypted", file=display, member=member))
        if member.lower().endswith(_ARCHIVE_SUFFIXES):
            raise InputError(text("geo.zip.nested", file=display, member=member))
        if info.file_size > _RATIO_MIN_SIZE and info.file_size > _MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise InputError(
                text(
                    "geo.zip.bomb",
                    file=display,
                    member=member,
                    mb=info.file_size / 1e6,
                    packed=info.compress_size,
                )
            )
    return infos


def _is_junk(member: str) -> bool:
    """Resource forks and folders macOS adds to every zip it makes."""
    p = PurePosixPath(member.replace("\\", "/"))
    return p.name.startswith("._") or (len(p.parts) > 0 and p.parts[0] == "__MACOSX")


def extract_shapefile(
    zf: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    *,
    layer: str | None,
    display: str,
    dest: Path,
) -> tuple[Path, bool, str]:
    """Extract one shapefile's parts from a checked archive into ``dest``.

    The parts are written as ``dest/layer.shp`` etc., names chosen here, so no member
    name ever becomes part of a path.

    Returns
    -------
    tuple
        The path of the extracted ``.shp``, whether a ``.cpg`` came with it, and the
        shapefile's name in the archive (for messages).
    """
    by_stem: dict[str, dict[str, zipfile.ZipInfo]] = {}
    for info in infos:
        if info.is_dir() or _is_junk(info.filename):
            continue
        p = PurePosixPath(info.filename.replace("\\", "/"))
        suffix = p.suffix.lower()
        if suffix in _SHAPE_PARTS:
            stem = str(p.with_suffix(""))
            by_stem.setdefault(stem, {})[suffix] = info
    shapes = sorted(stem for stem, parts in by_stem.items() if ".shp" in parts)
    if not shapes:
        raise InputError(text("geo.shp.none", file=display))
    if layer is not None:
        chosen = [s for s in shapes if PurePosixPath(s).name.lower() == layer.lower()]
        if not chosen:
            names = listing(PurePosixPath(s).name for s in shapes)
            raise InputError(text("geo.shp.no_such", file=display, layer=layer, names=names))
        stem = chosen[0]
    elif len(shapes) > 1:
        names = listing(PurePosixPath(s).name for s in shapes)
        raise InputError(text("geo.shp.several", file=display, n=len(shapes), names=names))
    else:
        stem = shapes[0]
    parts = by_stem[stem]
    missing = [s for s in (".shx", ".dbf") if s not in parts]
    if missing:
        raise InputError(
            text(
                "geo.shp.lacks",
                file=display,
                name=PurePosixPath(stem).name,
                parts=listing(missing, "geo.list.and"),
            )
        )
    for suffix, info in parts.items():
        # ZipExtFile stops at the declared size, so the checked sizes bound what is written.
        with zf.open(info) as src, (dest / f"layer{suffix}").open("wb") as out:
            while chunk := src.read(1024 * 1024):
                out.write(chunk)
    return dest / "layer.shp", ".cpg" in parts, PurePosixPath(stem).name + ".shp"
