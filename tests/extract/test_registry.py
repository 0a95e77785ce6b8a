"""The registry: types are declared by extractors, and a plugin's type is detected and
dispatched through the same path as a built-in's."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import ClassVar

import pytest

from docket.extract import registry, types
from docket.extract.base import Extractor
from docket.extract.detect import Probe, detect
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection


def _fooz(probe: Probe) -> bool:
    return probe.text is not None and probe.stripped.startswith("FOOZ ledger")


class FoozExtractor(Extractor):
    """A third-party format: a binary one by magic bytes, a text one by sniffing."""

    name = "fooz"
    file_types: ClassVar[tuple[FileType, ...]] = (
        FileType("fooz", "application/x-fooz", "data", ("fooz",), magic=((0, b"FOOZ\x00"),)),
        # Text formats are sniffed before the generic ones (CSV at 46, plain text at 90).
        FileType("foozt", "text/x-fooz", "document", ("fzt",), sniff=_fooz, order=39),
    )

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        sink.text(f"read by fooz as {detection.type}")


class _EntryPoint:
    def load(self) -> type[Extractor]:
        return FoozExtractor


@pytest.fixture
def with_plugin(monkeypatch: pytest.MonkeyPatch):
    """The default registry with FoozExtractor installed as a ``docket.extractors`` plugin."""
    monkeypatch.setattr(
        registry,
        "entry_points",
        lambda group: [_EntryPoint()] if group == "docket.extractors" else [],
    )
    registry.default.cache_clear()
    yield
    registry.default.cache_clear()


def test_every_builtin_type_is_declared_once_and_read_or_recognised() -> None:
    table = registry.default().types
    read = set().union(*(e.types for e in registry.extractors()))
    unread = {t.key for t in registry.BUILTIN_TYPES} - {"zip"}
    assert read | unread == set(table)
    assert not read & unread
    assert types.get("docx").family == "document"
    assert types.get("no-such-type").key == "binary"


def test_a_plugin_type_is_detected_and_dispatched(with_plugin, tmp_path: Path, extract) -> None:
    assert types.get("fooz").mime == "application/x-fooz"
    binary = tmp_path / "a.fooz"
    binary.write_bytes(b"FOOZ\x00\x01\x02" + bytes(range(256)))
    text = tmp_path / "b.txt"
    text.write_text("FOOZ ledger v1\nالنعيمي, 1500\n", encoding="utf-8")
    assert detect(binary, "fooz").type == "fooz"
    assert detect(text, "txt").type == "foozt"
    assert isinstance(registry.choose(Detection("fooz")), FoozExtractor)
    # The whole extraction path: detection, the type table, the chosen extractor.
    result = extract(binary.read_bytes(), "ledger.fooz")
    assert (result.type, result.status) == ("fooz", "ok")
    assert result.segments[0].text == "read by fooz as fooz"


def test_the_same_key_cannot_be_declared_twice() -> None:
    class Clash(Extractor):
        name = "clash"
        file_types = (FileType("pdf", "application/x-not-pdf", "data"),)

    with pytest.raises(ValueError, match="'pdf' is declared twice"):
        registry.build([*registry.builtin_classes(), Clash], registry.BUILTIN_TYPES)


def test_an_extractor_cannot_read_an_undeclared_type() -> None:
    class Stray(Extractor):
        name = "stray"
        types = frozenset({"nowhere"})

    with pytest.raises(ValueError, match="undeclared"):
        registry.build([Stray])


class ZooxExtractor(Extractor):
    """A plugin's zip-based format, recognised by a member, like OOXML or ODF."""

    name = "zoox"
    file_types: ClassVar[tuple[FileType, ...]] = (
        FileType(
            "zoox",
            "application/x-zoox",
            "document",
            ("zoox",),
            container="zip",
            sniff=lambda probe: "zoox/manifest.json" in probe.members,
        ),
    )

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        sink.text("zoox")


def test_a_plugin_kind_inside_a_zip(tmp_path: Path) -> None:
    reg = registry.build([*registry.builtin_classes(), ZooxExtractor], registry.BUILTIN_TYPES)
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("zoox/manifest.json", "{}")
    assert detect(path, "zip", reg.types).type == "zoox"
    assert detect(path, "zip").type == "zip"  # not installed: a plain archive
    assert isinstance(reg.choose(Detection("zoox")), ZooxExtractor)
