"""Tar: members streamed, links and devices recorded, truncation kept as partial."""

from __future__ import annotations

from tests.fixtures import hostile as h


def test_regular_members_with_metadata(extract):
    result = extract(h.tar_of({"a.txt": b"alpha\n", "b/c.txt": b"charlie\n"}), "x.tar")
    assert (result.type, result.status) == ("tar", "ok")
    kids = {c.name: c for c in result.children}
    assert extract.child_bytes(kids["b/c.txt"]) == b"charlie\n"
    meta = kids["a.txt"].meta
    assert meta["uname"] == "analyst" and meta["uid"] == 1000
    assert meta["modified"] == "2020-09-13T12:26:40+00:00" and meta["mode"] == "0o644"


def test_links_and_devices_recorded_not_followed(extract):
    result = extract(h.tar_with_links(), "links.tar")
    assert result.status == "ok"
    kids = {c.name: c for c in result.children}
    assert extract.child_bytes(kids["real.txt"]) == b"real\n"
    assert (kids["sym"].status, kids["sym"].code, kids["sym"].meta["target"]) == (
        "skipped",
        "link",
        "/etc/passwd",
    )
    assert (kids["hard"].code, kids["hard"].meta["target"]) == ("link", "real.txt")
    assert (kids["fifo"].status, kids["fifo"].code) == ("skipped", "unsupported")
    assert kids["dev"].code == "unsupported"


def test_truncated_tar_keeps_what_was_read(extract):
    result = extract(h.truncated_tar(), "cut.tar")
    assert (result.status, result.code) == ("partial", "truncated")
    kids = {c.name: c for c in result.children}
    assert extract.child_bytes(kids["whole.txt"]) == b"complete\n"
    big = kids["big.bin"]
    assert big.meta["truncated"] is True
    assert extract.child_bytes(big) == (bytes(range(256)) * 400)[: big.meta["stored_size"]]


def test_compressed_tars_show_both_layers(extract):
    for name, data in h.compressed_tars().items():
        outer = extract(data, name)
        if name == "x.tar":
            inner = outer
        else:
            assert outer.status == "ok" and [c.name for c in outer.children] == ["x.tar"], name
            inner = extract.child(outer.children[0])
        assert inner.type == "tar", name
        assert sorted(c.name for c in inner.children) == ["a.txt", "b/c.txt"]


def test_real_samples(extract, samples):
    f = samples / "formats"
    names = [
        "testEXCEL.xls",
        "testHTML.html",
        "testOpenOffice2.odt",
        "testPDF.pdf",
        "testPPT.ppt",
        "testRTF.rtf",
        "testTXT.txt",
        "testWORD.doc",
        "testXML.xml",
    ]
    plain = extract(f / "test-documents.tar")
    assert plain.status == "ok"
    assert [c.name for c in plain.children] == [f"test-documents/{n}" for n in names]
    gz = extract(f / "test-documents.tgz")
    assert [c.name for c in gz.children] == ["test-documents.tar"]
    assert len(extract.child(gz.children[0]).children) == 9
    nested = extract(f / "test-nested-tarball.tar")
    assert [c.name for c in nested.children] == ["folderContainingTgz/inner/nested.tgz"]
    inner = extract.child(nested.children[0])
    assert inner.type == "gzip" and inner.children[0].name == "nested.tar"
