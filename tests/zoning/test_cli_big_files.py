"""The command line reads the operator's own files whatever their size, unless --max-mb."""

from __future__ import annotations

import json

import pytest

from geo.io import MAX_BYTES, write
from zoning.cli import main

HEADER = "id,name_zh,segment,lon,lat,note\n"


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def big_csv(tmp_path):
    """Two enterprises, one with a note longer than the app's upload limit."""
    path = tmp_path / "registry.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        fh.write("A1,甲,cathode,115.94,28.56,short\n")
        fh.write("A2,乙,li_ion_cell,115.84,28.76,")
        fh.write("x" * (MAX_BYTES + 1000))
        fh.write("\n")
    return path


def test_check_reads_a_file_larger_than_the_upload_limit(capsys, big_csv):
    code, out, err = _run(capsys, "check", "--enterprises", str(big_csv), "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["source"] == "registry.csv"
    assert [e["id"] for e in payload["enterprises"]] == ["A1", "A2"]


def test_max_mb_sets_a_limit(capsys, big_csv):
    code, _, err = _run(capsys, "check", "--enterprises", str(big_csv), "--max-mb", "50")
    assert code == 2
    assert "registry.csv (50.001 MB) is larger than the limit of 50.0 MB" in err
    code, _, err = _run(capsys, "gaps", "--enterprises", str(big_csv), "--max-mb", "1e-4")
    assert code == 2
    assert "larger than the limit of 100 bytes" in err


@pytest.mark.parametrize("value", ["0", "-3", "lots", "nan"])
def test_max_mb_must_be_a_positive_size(capsys, value):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--max-mb", value])
    assert exc.value.code == 2
    assert "--max-mb" in capsys.readouterr().err


def test_check_reads_geoparquet(capsys, tmp_path):
    import layers

    path = write(layers.synthetic_enterprises(50, seed=2), tmp_path / "firms.parquet")
    out_file = tmp_path / "out.gpkg"
    code, out, err = _run(
        capsys, "check", "--enterprises", str(path), "--out", str(out_file), "--json"
    )
    assert code == 0, err
    assert len(json.loads(out)["enterprises"]) == 50
    assert out_file.exists()


def test_validate_reads_a_file_larger_than_the_upload_limit(capsys, big_csv):
    code, out, err = _run(capsys, "validate", str(big_csv), "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert (payload["source"], payload["rows"], payload["located"]) == ("registry.csv", 2, 2)


def test_convert_reads_a_file_larger_than_the_upload_limit(capsys, big_csv, tmp_path):
    out_file = tmp_path / "converted.csv"
    code, _, err = _run(
        capsys, "convert", "--from", "wgs84", "--to", "gcj02", str(big_csv), str(out_file)
    )
    assert code == 0, err
    assert "converted 2 rows wgs84 -> gcj02" in err
    assert out_file.stat().st_size > MAX_BYTES
