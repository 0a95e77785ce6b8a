"""What sits between a partition and its file system: LVM volume groups (each logical
volume walked), LUKS volumes opened with the user's key file (or recorded `encrypted`
with the key they need), BitLocker metadata that cannot be read, and the key file
itself — never written to the case."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest

from docket.extract.disk.keys import KeyFileError, parse_keys
from docket.settings import DEFAULTS
from tests.conftest import Extract
from tests.extract.disk.test_virtual import read
from tests.fixtures import disk
from tests.helpers import docket, docket_json, docket_lines

# libluksde opens only ASCII passphrases (a non-ASCII one is recorded as not opening it)
PASSWORD = "khazna vault 2019"


def by_path(case: Path) -> dict[str, dict]:
    rows = docket_lines("list", case=case)
    return {" / ".join([r["path"][0].rsplit("/", 1)[-1], *r["path"][1:]]): r for r in rows}


@pytest.fixture(scope="module")
def luks_img(tmp_path_factory: pytest.TempPathFactory, ext4_img: Path) -> Path:
    return disk.luks1(ext4_img, tmp_path_factory.mktemp("luks") / "secret.img", PASSWORD)


def test_luks_opened_with_the_key_file_end_to_end(
    tmp_path: Path, luks_img: Path, fat_img: Path
) -> None:
    seized = tmp_path / "seized"
    seized.mkdir()
    disk.partitioned(seized / "laptop.img", [fat_img, luks_img])
    keys = tmp_path / "keys.txt"
    keys.write_text(f"# القضية 17\npassword: wrong guess\n\npassword: {PASSWORD}\n")
    case = tmp_path / "case"
    docket("ingest", seized, "--key-file", keys, case=case)
    items = by_path(case)
    volume = items["laptop.img / p2 (LUKS)"]
    assert volume["status"] == "ok"
    shown = docket_json("show", volume["id"], case=case)
    assert shown["fs"]["unlocked_with"] == "password (key file line 4)"
    arabic = items["laptop.img / p2 (LUKS) / fs (ext4) / letters/arabic.txt"]
    assert (arabic["type"], arabic["status"]) == ("text", "ok")
    hits = docket_json("search", "رواتب", case=case)["hits"]
    assert {tuple(h["path"][-3:]) for h in hits} == {
        ("p2 (LUKS)", "fs (ext4)", "letters/arabic.txt"),
        ("laptop.img", "p1 (FAT16)", "letters/arabic.txt"),
    } or len(hits) == 2
    # the deleted file inside the encrypted volume is recovered too
    assert items["laptop.img / p2 (LUKS) / fs (ext4) / old/burned.txt"]["status"] == "ok"
    # the passphrase is nowhere in the case: not the catalogue, not the custody log
    for f in case.rglob("*"):
        if f.is_file() and f.stat().st_size < 50 * disk.MB:
            assert PASSWORD.encode() not in f.read_bytes(), f
            assert b"wrong guess" not in f.read_bytes(), f


def test_luks_without_the_key_is_encrypted_and_says_what_it_needs(
    tmp_path: Path, luks_img: Path
) -> None:
    seized = tmp_path / "seized"
    seized.mkdir()
    (seized / "secret.img").write_bytes(luks_img.read_bytes())
    case = tmp_path / "case"
    docket("ingest", seized, "--no-enrich", case=case)
    volume = by_path(case)["secret.img / fs (LUKS)"]
    assert (volume["status"], volume["code"]) == ("encrypted", "encrypted")
    assert "passphrase" in volume["message"] and "--key-file" in volume["message"]
    failures = docket_json("status", case=case)["failures"]
    assert [f["status"] for f in failures] == ["encrypted"]


def test_wrong_keys_are_counted_never_shown(
    extract: Extract, luks_img: Path, tmp_path: Path
) -> None:
    keys = tmp_path / "keys.txt"
    keys.write_text("password: not it\nrecovery: 111111-222222\n")
    r = read(extract, luks_img, dataclasses.replace(DEFAULTS, key_file=str(keys)))
    (volume,) = r.children
    assert (volume.status, volume.code) == ("encrypted", "encrypted")
    assert "none of the 1 keys opened it" in (volume.message or "")
    assert "not it" not in (volume.message or "")


def test_damaged_bitlocker_metadata_is_corrupt_not_a_missing_key(
    extract: Extract, tmp_path: Path, ext4_img: Path
) -> None:
    fake = bytearray(2 * disk.MB)
    fake[0:11] = b"\xeb\x58\x90-FVE-FS-"  # BitLocker's boot sector signature, nothing else
    fake[510:512] = b"\x55\xaa"
    part = tmp_path / "bde.bin"
    part.write_bytes(bytes(fake))
    image = disk.partitioned(tmp_path / "drive.img", [part, ext4_img])
    r = extract(image)
    tops = {c.name: c for c in r.children if c.parent is None}
    bde = tops["p1 (BitLocker)"]
    assert (bde.status, bde.code) == ("failed", "corrupt")
    assert "BitLocker metadata" in (bde.message or "")
    assert tops["p2 (ext4)"].status == "ok"  # the next partition is still read


def test_lvm_each_logical_volume_walked_luks_inside_one(
    tmp_path: Path, ext4_img: Path, fat_img: Path, luks_img: Path
) -> None:
    seized = tmp_path / "seized"
    seized.mkdir()
    pv = disk.lvm(tmp_path / "pv.img", {"root": ext4_img, "usb": fat_img, "vault": luks_img})
    disk.partitioned(seized / "server.img", [pv])
    keys = tmp_path / "keys.txt"
    keys.write_text(f"password: {PASSWORD}\n")
    case = tmp_path / "case"
    docket("ingest", seized, "--no-enrich", "--key-file", keys, case=case)
    items = by_path(case)
    (group,) = [p for p in items if p.startswith("server.img / p1 (LVM2 ") and p.count("/") == 1]
    assert items[group]["status"] == "ok"
    shown = docket_json("show", items[group]["id"], case=case)
    assert shown["fs"]["logical_volumes"] == ["root", "usb", "vault"]
    for lv in ("lv root (ext4)", "lv usb (FAT16)", "lv vault (LUKS) / fs (ext4)"):
        row = items[f"{group} / {lv} / letters/arabic.txt"]
        assert (row["type"], row["status"]) == ("text", "ok"), lv
    assert items[f"{group} / lv root (ext4) / old/burned.txt"]["status"] == "ok"


def test_bare_and_damaged_lvm_physical_volumes(
    extract: Extract, tmp_path: Path, ext4_img: Path
) -> None:
    pv = disk.lvm(tmp_path / "pv.img", {"home": ext4_img})
    r = extract(pv)  # no partition table: the image is the physical volume
    assert (r.type, r.status) == ("disk", "ok"), (r.message, r.warnings)
    names = [c.name for c in r.children]
    assert names[0].startswith("fs (LVM2 ") and names[1] == "lv home (ext4)"
    assert "letters/arabic.txt" in names
    damaged = bytearray(pv.read_bytes())
    text = damaged.index(b"contents = ")  # the metadata area's text
    damaged[text - 512 : text + 2048] = b"\x00" * 2560
    r = extract(bytes(damaged), name="pv.img")
    (group,) = r.children
    assert (group.status, group.code) == ("failed", "corrupt")
    assert "cannot read the LVM volume group" in (group.message or "")


def test_key_file_format() -> None:
    keys = parse_keys("# comment\n\npassword:  a b c \nRecovery: 1-2\nkey: 00ff\nbek: /k/X.BEK\n")
    assert [(k.kind, k.value, k.line) for k in keys] == [
        ("password", "a b c", 3),
        ("recovery", "1-2", 4),
        ("key", "00ff", 5),
        ("bek", "/k/X.BEK", 6),
    ]
    assert keys[0].label == "password (key file line 3)"
    for bad in ("just a password", "pin: 1234", "key: not-hex", "password:"):
        with pytest.raises(KeyFileError, match="line 1"):
            parse_keys(bad)


def test_bad_key_file_is_a_bad_argument(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    keys = tmp_path / "keys.txt"
    keys.write_text("hunter2\n")
    done = docket("ingest", tmp_path / "src", "--key-file", keys, case=tmp_path / "c", check=False)
    assert done.returncode == 2
    assert "--key-file" in done.stderr and "line 1" in done.stderr
    assert "hunter2" not in done.stderr
    missing = docket("ingest", tmp_path / "src", "--key-file", tmp_path / "nope.txt",
                     case=tmp_path / "c", check=False)  # fmt: skip
    assert missing.returncode == 2 and "cannot read the key file" in missing.stderr


def test_generated_apfs_container_through_the_cli(tmp_path: Path) -> None:
    seized = tmp_path / "seized"
    seized.mkdir()
    disk.apfs(seized / "mac.img", "Macintosh HD")
    case = tmp_path / "case"
    docket("ingest", seized, "--no-enrich", case=case)
    items = by_path(case)
    assert (items["mac.img"]["type"], items["mac.img"]["status"]) == ("disk", "ok")
    container = items["mac.img / fs (APFS)"]
    assert docket_json("show", container["id"], case=case)["fs"]["volumes"] == 1
    volume = items["mac.img / fs (APFS) / Macintosh HD"]
    assert volume["status"] == "ok"
    assert docket_json("show", volume["id"], case=case)["fs"]["files"] == 0


def _events(case: Path, event: str) -> list[dict]:
    lines = (case / "custody.log").read_text(encoding="utf-8").splitlines()
    return [e for e in map(json.loads, lines) if e["event"] == event]


def test_password_list_opens_luks_volumes_and_custody_names_the_line(
    tmp_path: Path, luks_img: Path, fat_img: Path, ext4_img: Path
) -> None:
    # LUKS1 (libluksde) and LUKS2 (Docket's reader) on one disk, opened by the list that
    # opens documents (--passwords), no key file; each records which line opened it.
    arabic = "خزنة المكتب ٢٠٢٠"
    luks2_img = disk.luks2(ext4_img, tmp_path / "l2.img", arabic, pbkdf="pbkdf2")
    seized = tmp_path / "seized"
    seized.mkdir()
    disk.partitioned(seized / "laptop.img", [fat_img, luks_img, luks2_img])
    pw = tmp_path / "passwords.txt"
    pw.write_text(f"not this one\n{arabic}\n\n{PASSWORD}\n", encoding="utf-8")
    digest = hashlib.sha256(pw.read_bytes()).hexdigest()
    case = tmp_path / "case"
    run = docket("ingest", seized, "--no-enrich", "--passwords", pw, case=case)
    items = by_path(case)
    expect = {"p2 (LUKS)": ("LUKS", 4), "p3 (LUKS)": ("LUKS2", 2)}
    for name, (encryption, line) in expect.items():
        volume = items[f"laptop.img / {name}"]
        assert volume["status"] == "ok", volume
        fs = docket_json("show", volume["id"], case=case)["fs"]
        assert fs["encryption"] == encryption
        assert fs["unlocked_with"] == f"password (password list line {line})"
        assert fs["decrypted"] == {"source": "password list", "line": line, "file_sha256": digest}
        inside = items[f"laptop.img / {name} / fs (ext4) / letters/arabic.txt"]
        assert inside["status"] == "ok"
    opened = [r for e in _events(case, "decrypted") for r in e["items"]]
    assert sorted((r["name"], r["line"]) for r in opened) == [("p2 (LUKS)", 4), ("p3 (LUKS)", 2)]
    assert {r["source"] for r in opened} == {"password list"}
    for f in case.rglob("*"):
        if f.is_file() and f.stat().st_size < 50 * disk.MB:
            data = f.read_bytes()
            for secret in (PASSWORD, arabic, "not this one"):
                assert secret.encode("utf-8") not in data, f
    assert PASSWORD not in run.stdout + run.stderr and arabic not in run.stdout + run.stderr


def test_a_volume_left_locked_opens_on_a_rerun_with_the_password_list(
    tmp_path: Path, luks_img: Path
) -> None:
    seized = tmp_path / "seized"
    seized.mkdir()
    (seized / "secret.img").write_bytes(luks_img.read_bytes())
    case = tmp_path / "case"
    docket("ingest", seized, "--no-enrich", case=case)
    volume = by_path(case)["secret.img / fs (LUKS)"]
    assert volume["status"] == "encrypted" and "--passwords" in volume["message"]

    wrong = tmp_path / "wrong.txt"
    wrong.write_text("one\ntwo\n", encoding="utf-8")
    docket("ingest", seized, "--no-enrich", "--passwords", wrong, case=case)
    still = by_path(case)["secret.img / fs (LUKS)"]
    assert still["status"] == "encrypted" and still["id"] == volume["id"]  # as it was

    pw = tmp_path / "pw.txt"
    pw.write_text(f"one\n{PASSWORD}\n", encoding="utf-8")
    docket("ingest", seized, "--no-enrich", "--passwords", pw, case=case)
    items = by_path(case)
    assert items["secret.img / fs (LUKS)"]["id"] == volume["id"]  # the same item
    assert items["secret.img / fs (LUKS)"]["status"] == "ok"
    assert items["secret.img / fs (LUKS) / fs (ext4) / letters/arabic.txt"]["status"] == "ok"
    (event,) = _events(case, "key-opened")
    assert event["unlocked_with"] == "password (password list line 2)"
    assert docket_json("verify", case=case)["ok"]


def test_key_file_keys_come_before_the_password_list(
    extract: Extract, luks_img: Path, tmp_path: Path
) -> None:
    keys = tmp_path / "keys.txt"
    keys.write_text(f"password: {PASSWORD}\n")
    pw = tmp_path / "pw.txt"
    pw.write_text(f"{PASSWORD}\n")
    both = dataclasses.replace(DEFAULTS, key_file=str(keys), passwords=str(pw))
    (volume, *_) = read(extract, luks_img, both).children
    assert volume.meta["unlocked_with"] == "password (key file line 1)"
    assert volume.meta["decrypted"]["source"] == "key file"
    alone = read(extract, luks_img, dataclasses.replace(DEFAULTS, passwords=str(pw)))
    assert alone.children[0].meta["unlocked_with"] == "password (password list line 1)"
