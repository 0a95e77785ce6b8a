"""Member names that lie or break things: a folder name holding data, NUL, bytes that are
not UTF-8. Every member becomes an item; none vanishes, none fails the archive."""

from __future__ import annotations

from pathlib import Path

from tests.fixtures import hostile as h
from tests.helpers import docket, docket_lines


def test_a_folder_entry_holding_data_is_an_item_with_a_warning(extract):
    result = extract(h.odd_names_zip(), "odd.zip")
    names = [c.name for c in result.children]
    assert "folder/" in names and "empty-folder/" not in names
    assert len(names) == 4  # folder/ with data, NUL, latin-1, ok.txt
    hidden = result.children[names.index("folder/")]
    assert hidden.blob is not None and hidden.blob.size == len(b"data hidden in a folder entry\n")
    assert hidden.meta["folder_entry"] is True
    assert result.status == "partial"
    assert any("named as a folder" in message for _, message in result.warnings)


def test_odd_member_names_through_the_cli(tmp_path: Path) -> None:
    (tmp_path / "odd.zip").write_bytes(h.odd_names_zip())
    case = tmp_path / "case"
    docket("ingest", tmp_path / "odd.zip", "--jobs", "1", case=case)
    items = docket_lines("list", case=case)
    members = {i["path"][1]: i for i in items if len(i["path"]) == 2}
    assert set(members) >= {"folder/", "a\x00b.txt", "ok.txt"} and len(members) == 4
    assert all(i["status"] == "ok" for i in members.values())
    listing = docket("list", case=case).stdout
    assert "odd.zip / a\\x00b.txt" in listing and "\x00" not in listing
    docket("verify", case=case)
