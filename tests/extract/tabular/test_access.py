"""Access databases: each user table a sheet (column names as row 1, then its records),
damaged and cut-short files recorded with a reason.

No free tool writes an .mdb (mdbtools only reads, Jackcess is not packaged for Debian),
so reading real tables is tested on the shared sample (Apache Tika's testACCESS.mdb,
whose four tables hold columns but no rows) and skipped when it is absent; the damaged
files are made from it or from scratch."""

from __future__ import annotations

import random

import pytest

HEADER = b"\x00\x01\x00\x00Standard Jet DB\x00\x01\x00\x00\x00"


def _sample(samples) -> bytes:
    path = samples / "formats" / "testACCESS.mdb"
    if not path.exists():
        pytest.skip("testACCESS.mdb is not in ../shared/samples")
    return path.read_bytes()


def test_tables_become_sheets(extract, samples):
    result = extract(_sample(samples), "music.mdb")
    assert (result.type, result.mime, result.status) == ("mdb", "application/x-msaccess", "ok")
    assert result.metadata["sheets"] == ["Titles", "Tracks", "Menus", "Batch"]
    assert result.metadata["format"] == "Jet 4 (Access 2000-2003)"
    header = {s.sheet: s.text for s in result.segments if s.row == 1}
    assert header["Tracks"] == "TitleID | TrackID | TrackName"
    assert header["Titles"].startswith("TitleID | Artist | Title")
    assert result.metadata["rows"] == {"Titles": 0, "Tracks": 0, "Menus": 0, "Batch": 0}


def test_accdb_is_detected_by_content(extract):
    result = extract(b"\x00\x01\x00\x00Standard ACE DB\x00\x02\x00\x00\x00" + b"\x00" * 200, "x")
    assert result.type == "mdb" and result.status != "ok"


def test_damaged_databases_get_a_reason(extract, samples):
    junk = extract(HEADER + b"\x00" * 100, "junk.mdb")
    assert (junk.type, junk.status, junk.code) == ("mdb", "failed", "truncated")
    garbage = HEADER + bytes(random.Random(7).randrange(256) for _ in range(3 * 4096 - len(HEADER)))
    broken = extract(garbage, "garbage.mdb")
    assert (broken.status, broken.code) == ("failed", "corrupt"), broken.message
    data = _sample(samples)
    cut = extract(data[: 2 * 4096 + 100], "cut.mdb")
    assert (cut.status, cut.code) == ("failed", "truncated")
    assert "cut short" in cut.message
    rnd = random.Random(3)
    for n in range(5):
        noisy = bytearray(data)
        for _ in range(300):
            noisy[rnd.randrange(4096, len(noisy))] = rnd.randrange(256)
        result = extract(bytes(noisy), f"noisy-{n}.mdb")
        assert result.status in ("ok", "partial", "failed"), result
        if result.status != "ok":
            assert result.code and result.message
