"""vCard (.vcf) address books: each contact as text, one part each.

vCard 2.1, 3.0 and 4.0 are line based like iCalendar (``ics``: its unfolding, parameter
splitting and unescaping are reused). 2.1 adds quoted-printable values whose soft line
breaks (a line ending in ``=``) continue on the next line, in the charset a ``CHARSET``
parameter names, as phones and Outlook still export them. A contact is written as labelled
lines ("Name: …", "E-mail: …", "Phone: …"), so names, addresses and numbers are found
by the enrichers like any text.
"""

from __future__ import annotations

import quopri
from collections.abc import Iterator
from pathlib import Path

from docket.extract.base import Extractor
from docket.extract.detect import Probe
from docket.extract.documents._common import iso_date
from docket.extract.documents.ics import split_line, unescape, unfold
from docket.extract.encoding import decode
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError

MAX_VCF = 64 * 1024 * 1024
_LABELS = (
    ("FN", "Name"),
    ("N", "Name parts"),
    ("NICKNAME", "Nickname"),
    ("ORG", "Organisation"),
    ("TITLE", "Title"),
    ("ROLE", "Role"),
    ("EMAIL", "E-mail"),
    ("TEL", "Phone"),
    ("ADR", "Address"),
    ("BDAY", "Birthday"),
    ("URL", "URL"),
    ("NOTE", "Note"),
)
_KNOWN = {key for key, _ in _LABELS}


def _sniff(probe: Probe) -> bool:
    return probe.text is not None and probe.lower.lstrip().startswith("begin:vcard")


VCARD = FileType("vcard", "text/vcard", "document", ("vcf", "vcard"), sniff=_sniff, order=43)


def _logical(text: str) -> Iterator[str]:
    """Unfolded lines, with quoted-printable soft line breaks joined."""
    pending = ""
    for line in unfold(text):
        if pending:
            line, pending = pending + line, ""
        if line.endswith("=") and "QUOTED-PRINTABLE" in line.split(":", 1)[0].upper():
            pending = line[:-1]
            continue
        yield line
    if pending:
        yield pending


def _value(name: str, params: dict[str, str], value: str) -> str:
    if params.get("ENCODING", "").upper() in ("QUOTED-PRINTABLE", "QP"):
        raw = quopri.decodestring(value.encode("ascii", "replace"))
        value, _codec = decode(raw, params.get("CHARSET") or "utf-8")
    if name == "N":  # family;given;additional;prefixes;suffixes
        parts = [p for p in value.split(";") if p]
        value = " ".join(parts[1:2] + parts[2:3] + parts[:1])
    elif name in ("ADR", "ORG"):
        value = ", ".join(p.strip() for p in value.split(";") if p.strip())
    elif name == "BDAY":
        value = iso_date(value) or value
    return unescape(value).strip()


class VcardExtractor(Extractor):
    name = "vcard"
    file_types = (VCARD,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        with open(path, "rb") as f:
            data = f.read(MAX_VCF + 1)
        if len(data) > MAX_VCF:
            raise ExtractError(
                Code.TOO_LARGE, f"address book over {MAX_VCF} bytes", status="skipped"
            )
        text, _codec = decode(data)
        count = 0
        fields: list[tuple[str, str]] | None = None
        for line in _logical(text):
            name, params, value = split_line(line)
            name = name.rsplit(".", 1)[-1]  # item1.EMAIL: a grouped property
            if name == "BEGIN" and value.upper() == "VCARD":
                fields = []
            elif name == "END" and value.upper() == "VCARD" and fields is not None:
                count += 1
                self._emit(sink, count, fields)
                fields = None
            elif fields is not None and name in _KNOWN:
                decoded = _value(name, params, value)
                if decoded:
                    fields.append((name, decoded))
        if not count:
            raise ExtractError(Code.CORRUPT, "no complete BEGIN:VCARD … END:VCARD found")
        sink.meta("contacts", count)

    def _emit(self, sink: Sink, n: int, fields: list[tuple[str, str]]) -> None:
        has_fn = any(name == "FN" for name, _ in fields)
        lines = [
            f"{label}: {value}"
            for key, label in _LABELS
            for name, value in fields
            if name == key and not (key == "N" and has_fn)
        ]
        sink.text("\n".join(lines), part=f"contact {n}")
