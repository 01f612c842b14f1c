"""The size limit: always for uploads, liftable for local files (the operator's own)."""

from __future__ import annotations

import io

import pytest

from geo import InputError, read
from geo.io import MAX_BYTES, read_chunks

CSV = "id,lon,lat\n1,115.9,28.66\n2,115.8,28.6\n"


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


@pytest.fixture
def oversized(tmp_path):
    """A file 2 MB over the default limit: a CSV's first lines, then zeros.

    Sparse where the file system allows, so the test writes little.
    """
    path = tmp_path / "big.csv"
    with path.open("wb") as fh:
        fh.write(b"id,lon,lat,note\n1,115.9,28.66,")
        fh.truncate(MAX_BYTES + 2_000_000)  # zeros: NUL characters in the note
    assert path.stat().st_size == 52_000_000
    return path


def test_the_default_limit_applies_to_paths_and_uploads(oversized):
    said = r"big\.csv \(52\.0 MB\) is larger than the limit of 50\.0 MB"
    with pytest.raises(InputError, match=said):
        read(oversized)
    with pytest.raises(InputError, match="larger than the limit"):
        read(io.BytesIO(b"x" * (MAX_BYTES + 1)), name="big.csv")
    # Just over the limit reads as over it (not "52 MB > 52 MB" as with MiB shown as MB).
    with pytest.raises(InputError, match=r"\(50\.1 MB\) is larger than the limit of 50\.0 MB"):
        read(b"x" * (MAX_BYTES + 100_000), name="big.csv")
    # A stream is read only up to the limit: its size is not claimed.
    with pytest.raises(InputError, match=r"^big\.csv is larger than the limit of 50\.0 MB"):
        read(io.BytesIO(b"x" * (MAX_BYTES + 100_000)), name="big.csv")


def test_no_limit_for_a_local_file(oversized):
    # Past the size check, the content is what is judged (NUL characters are no text).
    with pytest.raises(InputError, match=r"big\.csv: the text is neither UTF-8 nor GBK"):
        read(oversized, max_bytes=None)
    with pytest.raises(InputError, match=r"big\.csv: the text is neither UTF-8 nor GBK"):
        next(read_chunks(oversized))  # no limit by default: chunks are for big files


def test_an_upload_always_has_a_limit(small):
    data = small.read_bytes()
    for upload in (data, io.BytesIO(data)):
        with pytest.raises(
            ValueError, match=r"`max_bytes=None` \(no size limit\) is only for local"
        ):
            read(upload, name="sites.csv", max_bytes=None)


def test_a_limit_can_be_set_for_local_files(small):
    size = small.stat().st_size
    assert len(read(small, max_bytes=size).data) == 2
    with pytest.raises(
        InputError, match=rf"sites\.csv \({size} bytes\) is larger than .* 10 bytes"
    ):
        read(small, max_bytes=10)
    with pytest.raises(InputError, match="larger than the limit of 10 bytes"):
        next(read_chunks(small, max_bytes=10))


def test_unlimited_paths_are_still_checked(tmp_path):
    for unsafe in ("/vsicurl/https://example.com/a.csv", "https://example.com/a.csv", "/dev/zero"):
        with pytest.raises(InputError, match="is not a plain local file"):
            read(unsafe, max_bytes=None)
    with pytest.raises(InputError, match="is not a regular file"):
        read(tmp_path, max_bytes=None)


@pytest.mark.parametrize("bad", [-1, 1.5, "10", True])
def test_limits_are_whole_numbers_or_none(small, bad):
    with pytest.raises(ValueError, match="`max_bytes` must be a whole number of bytes >= 0"):
        read(small, max_bytes=bad)
    with pytest.raises(ValueError, match="`max_bytes` must be a whole number of bytes >= 0"):
        next(read_chunks(small, max_bytes=bad))
