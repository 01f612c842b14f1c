"""geo.io refuses inputs that would make GDAL reach outside the given file, or unpack bombs."""

from __future__ import annotations

import io
import os
import stat
import zipfile

import pytest

from geo import InputError, read, write
from geo import _io_source as source

GDAL_STRINGS = [
    "/vsicurl/http://example.com/a.geojson",
    "/vsizip//tmp/a.zip/a.shp",
    "/VSIMEM/a.geojson",
    "https://example.com/a.geojson",
    "ftp://example.com/a.csv",
    "GPKG:/tmp/a.gpkg:layer",
    "ZIP:/tmp/a.zip",
    "PG:dbname=planning",
    "WFS:http://example.com/wfs",
    "CSV:/tmp/a.csv",
    "/dev/zero",
    "/proc/self/environ",
    '{"type": "FeatureCollection", "features": []}',
]


@pytest.mark.parametrize("text", GDAL_STRINGS)
def test_strings_gdal_would_interpret_are_refused(text):
    with pytest.raises(InputError, match="is not a plain local file"):
        read(text)


@pytest.mark.parametrize("text", GDAL_STRINGS)
def test_write_refuses_the_same_strings(sites, text):
    with pytest.raises(InputError, match="is not a plain local file"):
        write(sites, text)


def test_missing_file_folder_and_links_to_special_files(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "absent.csv")
    with pytest.raises(InputError, match="not a regular file"):
        read(tmp_path)
    link = tmp_path / "environ.csv"
    link.symlink_to("/proc/self/environ")
    with pytest.raises(InputError, match="not a plain local file"):
        read(link)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read(fifo)


def test_relative_path_starting_with_a_brace_is_read_as_a_file(files, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sites.csv").write_text(files.csv_text([["lon", "lat"], files.bayi]))
    assert len(read("sites.csv").data) == 1


def test_size_limit_applies_before_reading(files, tmp_path):
    data = files.csv_text([["lon", "lat"], files.bayi]).encode()
    with pytest.raises(InputError, match="larger than the limit"):
        read(data, name="a.csv", max_bytes=10)
    with pytest.raises(InputError, match="larger than the limit"):
        read(io.BytesIO(data), name="a.csv", max_bytes=10)
    path = tmp_path / "a.csv"
    path.write_bytes(data)
    with pytest.raises(InputError, match="larger than the limit"):
        read(path, max_bytes=10)
    assert len(read(io.BytesIO(data), name="a.csv", max_bytes=len(data)).data) == 1


def test_upload_name_only_chooses_format_and_display(files):
    data = files.csv_text([["lon", "lat"], files.bayi]).encode()
    result = read(data, name="../../etc/evil.csv")
    assert result.source == "evil.csv"
    assert len(result.data) == 1


def test_text_file_like_uploads(files):
    text = files.csv_text([["名称", "lon", "lat"], ["八一广场", *files.bayi]])
    assert read(io.StringIO(text), name="a.csv").data["名称"].tolist() == ["八一广场"]


def test_unsupported_source_type():
    with pytest.raises(TypeError, match="file path, bytes or a file-like"):
        read(42)


def _zip_with(infos_and_data):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for info, data in infos_and_data:
            zf.writestr(info, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("member", "message"),
    [
        ("../sites.shp", "absolute or '..' path"),
        ("a/../../sites.shp", "absolute or '..' path"),
        ("/etc/sites.shp", "absolute or '..' path"),
        ("C:/sites.shp", "absolute or '..' path"),
        ("inner.zip", "is itself an archive"),
        ("data/inner.ZIP", "is itself an archive"),
    ],
)
def test_unsafe_member_names(tmp_path, member, message):
    data = _zip_with([(zipfile.ZipInfo(member), b"x")])
    with pytest.raises(InputError, match=message) as info:
        read(data, name="upload.zip")
    assert str(info.value).startswith("upload.zip: ")
    assert not (tmp_path.parent / "sites.shp").exists()


def test_symlink_and_encrypted_members():
    link = zipfile.ZipInfo("sites.shp")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with pytest.raises(InputError, match="symbolic link"):
        read(_zip_with([(link, b"/etc/passwd")]), name="upload.zip")
    # zipfile cannot encrypt: set the "encrypted" flag in both headers by hand.
    data = bytearray(_zip_with([(zipfile.ZipInfo("sites.shp"), b"x")]))
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.index(signature)
        data[start + flag_at] |= 0x1
    with pytest.raises(InputError, match="encrypted"):
        read(bytes(data), name="upload.zip")


def test_too_many_members():
    members = [(zipfile.ZipInfo(f"f{i}.txt"), b"") for i in range(source.MAX_MEMBERS + 1)]
    with pytest.raises(InputError, match=f"holds {source.MAX_MEMBERS + 1} members"):
        read(_zip_with(members), name="upload.zip")


def test_too_large_uncompressed(monkeypatch):
    # The limit is lowered so the test needs no 200 MB archive; the check is the same.
    monkeypatch.setattr(source, "MAX_UNCOMPRESSED", 1000)
    data = _zip_with([(zipfile.ZipInfo("sites.dbf"), b" " * 1001)])
    with pytest.raises(InputError, match="would expand to"):
        # In this process: the lowered limit is not the reading worker's.
        read(data, name="upload.zip", limits=None)


def test_compression_ratio_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("sites.dbf", b"\0" * (11 * 1024 * 1024))
    with pytest.raises(InputError, match="typical of zip bombs"):
        read(buffer.getvalue(), name="upload.zip")


def test_xlsx_archives_are_checked_too(files, monkeypatch):
    data = files.xlsx_bytes({"s": [["lon", "lat"], list(files.bayi)]})
    assert len(read(data, name="a.xlsx").data) == 1
    monkeypatch.setattr(source, "MAX_MEMBERS", 3)
    with pytest.raises(InputError, match="members, more than the 3 allowed"):
        read(data, name="a.xlsx", limits=None)  # the patched limit is this process's


def test_member_names_never_become_paths(files, site_points, tmp_path):
    parts = files.shapefile_parts(site_points, tmp_path / "s", encoding="UTF-8", cpg=True)
    odd = {f"深层/{name.replace('sites', '-vsicurl-')}": d for name, d in parts.items()}
    result = read(files.zip_bytes(odd), name="odd.zip")
    assert len(result.data) == 2
