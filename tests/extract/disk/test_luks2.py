"""LUKS2 volumes (cryptsetup's default format) opened by Docket's own reader: images
encrypted by cryptsetup itself (`reencrypt --encrypt` on a plain file), argon2id and
pbkdf2 keyslots, 512- and 4096-byte sectors, a passphrase in Arabic, the volume key in
hex, a damaged primary header (its secondary copy is read), a wrong key, and a cipher
the reader does not handle."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from docket.settings import DEFAULTS
from tests.conftest import Extract
from tests.extract.disk.test_layers import by_path
from tests.extract.disk.test_virtual import read
from tests.fixtures import disk
from tests.helpers import docket, docket_json

PASSPHRASE = "كلمة سر الخزنة ٢٠١٩"  # libluksde could not take this; LUKS2 here can
ARABIC_NAME = "تقارير/رواتب رمضان.txt"
FILES = {**disk.FILES, ARABIC_NAME: disk.ARABIC.encode("utf-8")}


@pytest.fixture(scope="module")
def ext2_img(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # 4096-byte blocks: cryptsetup refuses a 4096-byte sector over smaller blocks
    where = tmp_path_factory.mktemp("ext2") / "ext2.img"
    return disk.ext4(where, files=FILES, kind="ext2", block_size=4096)


@pytest.fixture(scope="module")
def argon_img(tmp_path_factory: pytest.TempPathFactory, ext2_img: Path) -> Path:
    return disk.luks2(ext2_img, tmp_path_factory.mktemp("l2a") / "vault.img", PASSPHRASE)


@pytest.fixture(scope="module")
def pbkdf2_img(tmp_path_factory: pytest.TempPathFactory, ext2_img: Path) -> Path:
    where = tmp_path_factory.mktemp("l2p") / "vault.img"
    return disk.luks2(ext2_img, where, "plain words", pbkdf="pbkdf2", sector_size=4096)


def test_luks2_argon2id_opened_end_to_end(tmp_path: Path, argon_img: Path, fat_img: Path) -> None:
    seized = tmp_path / "seized"
    seized.mkdir()
    disk.partitioned(seized / "laptop.img", [fat_img, argon_img])
    keys = tmp_path / "keys.txt"
    keys.write_text(f"password: wrong guess\nkey: 00ff\npassword: {PASSPHRASE}\n")
    case = tmp_path / "case"
    docket("ingest", seized, "--no-enrich", "--key-file", keys, case=case)
    items = by_path(case)
    volume = items["laptop.img / p2 (LUKS)"]
    assert volume["status"] == "ok"
    fs = docket_json("show", volume["id"], case=case)["fs"]
    assert fs["unlocked_with"] == "password (key file line 3)"
    assert (fs["encryption"], fs["cipher"], fs["kdf"]) == ("LUKS2", "aes-xts-plain64", ["argon2id"])
    inner = "laptop.img / p2 (LUKS) / fs (ext2)"
    arabic = items[f"{inner} / {ARABIC_NAME}"]
    assert (arabic["type"], arabic["status"]) == ("text", "ok")
    shown = docket_json("show", arabic["id"], case=case)
    assert shown["sha256"] == hashlib.sha256(disk.ARABIC.encode("utf-8")).hexdigest()
    assert items[f"{inner} / old/burned.txt"]["status"] == "ok"  # deleted, recovered
    hits = docket_json("search", "رواتب", case=case)["hits"]
    assert any(h["path"][-1] == ARABIC_NAME for h in hits)
    for f in case.rglob("*"):  # no key value anywhere in the case
        if f.is_file() and f.stat().st_size < 50 * disk.MB:
            data = f.read_bytes()
            assert PASSPHRASE.encode() not in data and b"wrong guess" not in data, f


def test_luks2_pbkdf2_4096_sectors_and_the_volume_key(
    extract: Extract, pbkdf2_img: Path, ext2_img: Path, tmp_path: Path
) -> None:
    pw = tmp_path / "pw"
    pw.write_text("plain words")
    dump = subprocess.run(
        ["cryptsetup", "luksDump", "--dump-volume-key", "--batch-mode", "--key-file", str(pw),
         str(pbkdf2_img)], capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    hexkey = "".join(dump.split("MK dump:", 1)[1].split())
    for line in (f"key: {hexkey}", "password: plain words"):
        keys = tmp_path / "keys.txt"
        keys.write_text(line + "\n")
        r = read(extract, pbkdf2_img, dataclasses.replace(DEFAULTS, key_file=str(keys)))
        tops = {c.name: c for c in r.children}
        volume = tops["fs (LUKS)"]
        assert volume.status == "ok", volume.message
        assert volume.meta["unlocked_with"] == f"{line.split(':')[0]} (key file line 1)"
        assert (volume.meta["kdf"], volume.meta["sector_size"]) == (["pbkdf2"], 4096)
        files = {c.name: c for c in r.children if c.blob is not None}
        for name, data in FILES.items():
            assert files[name].blob.sha256 == hashlib.sha256(data).hexdigest(), name


def test_luks2_wrong_key_is_encrypted_and_says_which_key(
    extract: Extract, argon_img: Path, tmp_path: Path
) -> None:
    keys = tmp_path / "keys.txt"
    keys.write_text("password: not it\nkey: 0011\nrecovery: 1-2\n")
    r = read(extract, argon_img, dataclasses.replace(DEFAULTS, key_file=str(keys)))
    (volume,) = r.children
    assert (volume.status, volume.code) == ("encrypted", "encrypted")
    assert "none of the 2 keys opened it" in (volume.message or "")
    assert "passphrase ('password: ...')" in (volume.message or "")
    assert "not it" not in (volume.message or "")
    r = extract(argon_img)  # no key file at all
    (volume,) = r.children
    assert volume.status == "encrypted" and "--key-file" in (volume.message or "")


def _rewrite_json(data: bytearray, change: dict, part: str = "segments") -> None:
    """Change the JSON metadata of both header copies and fix their checksums."""
    size = int.from_bytes(data[8:16], "big")
    for at in (0, size):
        meta = json.loads(bytes(data[at + 4096 : at + size]).split(b"\0", 1)[0])
        for entry in meta[part].values():
            for key, value in change.items():
                if isinstance(value, dict):
                    entry[key].update(value)
                else:
                    entry[key] = value
        text = json.dumps(meta).encode()
        data[at + 4096 : at + size] = text + bytes(size - 4096 - len(text))
        data[at + 448 : at + 512] = bytes(64)
        digest = hashlib.sha256(bytes(data[at : at + size])).digest()
        data[at + 448 : at + 448 + 32] = digest


def test_luks2_damaged_headers_and_an_unread_cipher(
    extract: Extract, argon_img: Path, tmp_path: Path
) -> None:
    keys = tmp_path / "keys.txt"
    keys.write_text(f"password: {PASSPHRASE}\n")
    settings = dataclasses.replace(DEFAULTS, key_file=str(keys))
    data = bytearray(argon_img.read_bytes())
    size = int.from_bytes(data[8:16], "big")
    data[4096:4200] = b"\xff" * 104  # the primary copy's JSON: its checksum fails
    damaged = tmp_path / "vault.img"
    damaged.write_bytes(data)
    r = read(extract, damaged, settings)
    assert r.children[0].status == "ok" and r.children[0].name == "fs (LUKS)"
    data[size + 4096 : size + 4200] = b"\xff" * 104  # and the secondary copy's
    damaged.write_bytes(data)
    r = read(extract, damaged, settings)
    (volume,) = r.children
    assert (volume.status, volume.code) == ("failed", "corrupt")
    assert "LUKS2 metadata" in (volume.message or "") and "checksum" in (volume.message or "")
    serpent = bytearray(argon_img.read_bytes())
    _rewrite_json(serpent, {"encryption": "serpent-xts-plain64"})
    damaged.write_bytes(serpent)
    r = read(extract, damaged, settings)
    (volume,) = r.children
    assert (volume.status, volume.code) == ("unsupported", "unsupported")
    assert "serpent-xts-plain64" in (volume.message or "")
    assert "cryptsetup" in (volume.message or "")


def test_a_key_given_after_ingest_opens_the_volume_and_nothing_else_is_redone(
    tmp_path: Path, argon_img: Path, fat_img: Path, ext4_img: Path
) -> None:
    seized = tmp_path / "seized"
    seized.mkdir()
    pv = disk.lvm(tmp_path / "pv.img", {"root": ext4_img, "vault": argon_img})
    disk.partitioned(seized / "server.img", [fat_img, pv])
    case = tmp_path / "case"
    docket("ingest", seized, "--no-enrich", case=case)
    before = by_path(case)
    (group,) = [p for p in before if p.startswith("server.img / p2 (LVM2 ") and p.count("/") == 1]
    vault = f"{group} / lv vault (LUKS)"
    assert before[vault]["status"] == "encrypted"
    assert not [p for p in before if p.startswith(vault + " /")]
    lines = len((case / "custody.log").read_text().splitlines())

    keys = tmp_path / "keys.txt"
    keys.write_text(f"# exhibit 3\npassword: {PASSPHRASE}\n")
    docket("ingest", seized, "--no-enrich", "--key-file", keys, case=case)
    after = by_path(case)
    assert after[vault]["status"] == "ok"
    shown = docket_json("show", after[vault]["id"], case=case)
    assert shown["fs"]["unlocked_with"] == "password (key file line 2)"
    arabic = after[f"{vault} / fs (ext2) / {ARABIC_NAME}"]
    assert (arabic["type"], arabic["status"]) == ("text", "ok")
    assert any(
        h["path"][-1] == ARABIC_NAME for h in docket_json("search", "رواتب", case=case)["hits"]
    )
    # everything recorded before is as it was: same ids, same records, not redone
    for path, row in before.items():
        if path != vault:
            assert after[path] == row, path
    new = [json.loads(x) for x in (case / "custody.log").read_text().splitlines()[lines:]]
    (opened,) = [e for e in new if e["event"] == "key-opened"]
    assert opened["item"] == after[vault]["id"]
    assert opened["unlocked_with"] == "password (key file line 2)"
    assert PASSPHRASE not in (case / "custody.log").read_text()
    assert docket_json("verify", case=case)["ok"]
    # a third run with the key finds nothing left to open
    docket("ingest", seized, "--no-enrich", "--key-file", keys, case=case)
    assert by_path(case) == after


def test_luks2_hostile_keyslot_costs_are_refused(
    extract: Extract, pbkdf2_img: Path, tmp_path: Path
) -> None:
    keys = tmp_path / "keys.txt"
    keys.write_text("password: plain words\n")
    settings = dataclasses.replace(DEFAULTS, key_file=str(keys))
    slow = bytearray(pbkdf2_img.read_bytes())
    _rewrite_json(slow, {"kdf": {"iterations": 10**12}}, "keyslots")
    (tmp_path / "slow.img").write_bytes(slow)
    (volume,) = [c for c in read(extract, tmp_path / "slow.img", settings).children]
    assert (volume.status, volume.code) == ("unsupported", "unsupported")
    assert "iterations" in (volume.message or "")
    huge = bytearray(pbkdf2_img.read_bytes())
    _rewrite_json(huge, {"af": {"stripes": 10**9}}, "keyslots")
    (tmp_path / "huge.img").write_bytes(huge)
    (volume,) = [c for c in read(extract, tmp_path / "huge.img", settings).children]
    assert (volume.status, volume.code) == ("failed", "corrupt")
    assert "stripes" in (volume.message or "")


def test_luks2_altered_metadata_never_crashes(pbkdf2_img: Path) -> None:
    """Every value of the JSON metadata replaced in turn by something hostile (with the
    checksums fixed, so the reader takes it): the outcome is always an opened volume, a
    refused key, or a reason (corrupt or unsupported), never an exception."""
    import io

    from docket.extract.disk.keys import Key
    from docket.extract.disk.layers import unlock

    data = bytearray(pbkdf2_img.read_bytes()[: 4 * disk.MB])
    size = int.from_bytes(data[8:16], "big")
    meta = json.loads(bytes(data[4096:size]).split(b"\0", 1)[0])

    def leaves(node: object, at: tuple = ()) -> list[tuple]:
        if isinstance(node, dict):
            return [p for k, v in node.items() for p in leaves(v, (*at, k))] or [at]
        return [at]

    hostile = [None, -1, "x", [], {}, 10**30, "99999999999999999999", True, 2**40]
    keys = [Key("password", "plain words", 1), Key("key", "00" * 64, 2)]
    seen = set()
    for n, path in enumerate(leaves(meta)):
        changed = json.loads(json.dumps(meta))
        node = changed
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = hostile[n % len(hostile)]
        text = json.dumps(changed).encode()
        altered = bytearray(data)
        for at in (0, size):
            altered[at + 4096 : at + size] = text + bytes(size - 4096 - len(text))
            altered[at + 448 : at + 512] = bytes(64)
            altered[at + 448 : at + 480] = hashlib.sha256(bytes(altered[at : at + size])).digest()
        opened = unlock("luks", io.BytesIO(bytes(altered)), keys)  # type: ignore[arg-type]
        if opened.image is not None:
            opened.image.read(0, 4096)
        seen.add("ok" if opened.image else "corrupt" if opened.damaged else "other")
    assert {"ok", "corrupt"} <= seen
