"""RTF via striprtf (BSD-3-Clause), which honours \\ansicpg, per-font \\fcharset (Arabic
is \\fcharset178 / cp1256) and \\uN. Before it runs, the big hex groups (\\objdata,
\\pict) are cut out: embedded objects become children, pictures are dropped, and the
pure-Python parser has far less to walk."""

from __future__ import annotations

import re
import struct
from pathlib import Path

from striprtf.striprtf import rtf_to_text

from docket.extract.base import Extractor
from docket.extract.documents._common import emit_blocks
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError

MAX_RTF = 256 * 1024 * 1024
_HEX_GROUP = re.compile(r"\\(objdata|pict|bin)\b")
_INFO_FIELDS = {
    "title": "title",
    "subject": "subject",
    "author": "author",
    "operator": "last_modified_by",
    "keywords": "keywords",
    "company": "company",
    "doccomm": "description",
    "manager": "manager",
}
_INFO_DATES = {"creatim": "created", "revtim": "modified", "printim": "printed"}


def group_end(text: str, start: int) -> int:
    """Index just past the group that opens at ``text[start] == '{'``."""
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)


def _unsurrogate(text: str) -> str:
    """striprtf leaves \\uN surrogate halves as they are: pair them, replace strays."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def ole1_native(data: bytes) -> tuple[str, bytes]:
    """(class name, native data) of an OLE1 object as RTF stores it; raw data if odd."""
    try:
        pos = 8  # OLEVersion, FormatID
        names = []
        for _ in range(3):  # ClassName, TopicName, ItemName: length-prefixed strings
            (n,) = struct.unpack_from("<I", data, pos)
            names.append(data[pos + 4 : pos + 4 + n].rstrip(b"\0").decode("latin-1"))
            pos += 4 + n
        (size,) = struct.unpack_from("<I", data, pos)
        native = data[pos + 4 : pos + 4 + size]
        if len(native) == size and size:
            return names[0], native
    except struct.error:
        pass
    return "", data


RTF = FileType(
    "rtf",
    "application/rtf",
    "document",
    ("rtf",),
    magic=((0, b"{\\rtf"),),
    order=10,
)


class RtfExtractor(Extractor):
    name = "rtf"
    file_types = (RTF,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        with open(path, "rb") as f:
            raw = f.read(MAX_RTF + 1)
        if len(raw) > MAX_RTF:
            raise ExtractError(Code.TOO_LARGE, f"RTF over {MAX_RTF} bytes", status="skipped")
        text = raw.decode("latin-1")  # RTF is 7-bit; this keeps any stray byte as it is
        m = re.search(r"\\ansicpg(\d+)", text[:4096])
        codec = f"cp{m.group(1)}" if m else "cp1252"
        text = self._cut_hex_groups(text, sink)
        self._info(text, codec, sink)
        try:
            body = rtf_to_text(text, encoding=codec, errors="replace")
        except LookupError:
            body = rtf_to_text(text, encoding="cp1252", errors="replace")
        emit_blocks(sink, _unsurrogate(body).splitlines(), part="body")
        sink.meta("encoding", codec)

    def _cut_hex_groups(self, text: str, sink: Sink) -> str:
        out: list[str] = []
        pos = n = 0
        for m in _HEX_GROUP.finditer(text):
            if m.start() < pos:
                continue
            if m.group(1) == "bin":
                continue  # raw \binN data inside a \pict is dropped with its group
            start = text.rfind("{", 0, m.start())
            end = group_end(text, start)
            out.append(text[pos:start])
            pos = end
            if m.group(1) == "objdata":
                hexdata = re.sub(r"[^0-9a-fA-F]", "", text[m.end() : end])
                n += 1
                data = bytes.fromhex(hexdata[: len(hexdata) // 2 * 2])
                cls, native = ole1_native(data)
                if native:
                    sink.child(
                        f"object-{n}.bin", native, meta={"source": "rtf-objdata", "class": cls}
                    )
        out.append(text[pos:])
        return "".join(out)

    def _info(self, text: str, codec: str, sink: Sink) -> None:
        start = text.find("{\\info")
        if start < 0:
            return
        info = text[start : group_end(text, start)]
        for key, ours in _INFO_FIELDS.items():
            m = re.search(r"\{\\" + key + r"\b ?", info)
            if m:
                group = info[m.start() : group_end(info, m.start())]
                value = rtf_to_text(
                    "{\\rtf1\\ansi\\ansicpg"
                    + codec[2:]
                    + " "
                    + group[m.end() - m.start() : -1]
                    + "}",
                    encoding=codec,
                    errors="replace",
                )
                sink.meta(ours, _unsurrogate(value).strip())
        for key, ours in _INFO_DATES.items():
            m = re.search(r"\{\\" + key + r"((?:\\[a-z]+\d+)+)\s*\}", info)
            if m:
                parts = dict(re.findall(r"\\([a-z]+)(\d+)", m.group(1)))
                if "yr" in parts:
                    sink.meta(
                        ours,
                        f"{int(parts['yr']):04d}-{int(parts.get('mo', 1)):02d}-{int(parts.get('dy', 1)):02d}"
                        f"T{int(parts.get('hr', 0)):02d}:{int(parts.get('min', 0)):02d}:{int(parts.get('sec', 0)):02d}",
                    )
