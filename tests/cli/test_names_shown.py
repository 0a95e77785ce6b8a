"""Every name the CLI prints comes from the evidence: it is shown literally, never read
as Rich markup, and control characters (newlines, ESC sequences, bidi overrides) are
shown as escapes instead of reaching the terminal."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import docket, docket_lines

NAMES = {
    "[/red]x.txt": "[/red]x.txt",
    "[bold]x.txt": "[bold]x.txt",
    "two\nlines\x1b[31m.txt": "two\\nlines\\x1b[31m.txt",
    "evil\u202etxt.exe": "evil\\u202etxt.exe",
}


def test_hostile_names_are_shown_literally_and_escaped(tmp_path: Path) -> None:
    src = tmp_path / "seized"
    src.mkdir()
    for name in NAMES:  # "[/red]x.txt" is the file "red]x.txt" in the folder "["
        (src / name).parent.mkdir(exist_ok=True)
        (src / name).write_text(f"quarterly ledger {name!r}\n\x1b[2Jcleared\n")
    case = tmp_path / "case"
    docket("ingest", src, "--jobs", "1", case=case)
    items = docket_lines("list", case=case)
    assert sorted(i["path"][0] for i in items) == sorted(f"seized/{n}" for n in NAMES)

    listing = docket("list", case=case).stdout
    hits = docket("search", "ledger", "--limit", "10", case=case).stdout
    for output in (listing, hits):
        assert "\x1b" not in output and "\u202e" not in output
        for shown in NAMES.values():
            assert f"seized/{shown}" in output
    assert len(listing.splitlines()) == len(NAMES)  # a newline in a name forges no line
    for item in items:
        page = docket("show", item["id"], case=case).stdout
        assert "\x1b" not in page
        assert f"seized/{NAMES[item['path'][0].split('/', 1)[1]]}" in page
        assert "\\x1b[2Jcleared" in page
    bad = docket("show", "[/red]", case=case, check=False)
    assert bad.returncode == 2 and "no item" in bad.stderr


def test_status_lists_failures_with_hostile_names(tmp_path: Path) -> None:
    src = tmp_path / "seized"
    src.mkdir()
    (src / "[").mkdir()
    (src / "[/red]broken\x1b[0m.zip").write_bytes(b"PK\x03\x04 not really a zip")
    case = tmp_path / "case"
    docket("ingest", src, "--jobs", "1", case=case)
    status = docket("status", case=case).stdout
    assert "seized/[/red]broken\\x1b[0m.zip" in status
    assert "\x1b" not in status
