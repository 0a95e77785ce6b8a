"""iCalendar (.ics): events, to-dos and journal entries as text, one part each.

Parsed by hand (RFC 5545 is line based): lines are unfolded, parameters split off, and
text values unescaped. Who was invited and when is often the point, so organizer and
attendees are kept with their names and addresses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from docket.extract.base import Extractor
from docket.extract.detect import Probe
from docket.extract.documents._common import iso_date
from docket.extract.encoding import decode
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError

MAX_ICS = 64 * 1024 * 1024
_COMPONENTS = {"VEVENT": "event", "VTODO": "todo", "VJOURNAL": "journal"}
_LABELS = (
    ("SUMMARY", "Summary"),
    ("DTSTART", "Start"),
    ("DTEND", "End"),
    ("DUE", "Due"),
    ("LOCATION", "Location"),
    ("ORGANIZER", "Organizer"),
    ("ATTENDEE", "Attendee"),
    ("DESCRIPTION", "Description"),
    ("CATEGORIES", "Categories"),
    ("URL", "URL"),
)
_DATES = {"DTSTART", "DTEND", "DUE", "DTSTAMP", "CREATED", "LAST-MODIFIED"}


def unfold(text: str) -> Iterator[str]:
    """Logical lines: a line starting with a space or tab continues the previous one."""
    yield from re.sub(r"\r?\n[ \t]", "", text).splitlines()


def split_line(line: str) -> tuple[str, dict[str, str], str]:
    """NAME;PARAM=V;PARAM="V":value -> (NAME, params, value); colons in quotes are kept."""
    m = re.match(r'((?:[^:";]|"[^"]*")*?)((?:;(?:[^:"]|"[^"]*")*)?):(.*)', line)
    if not m:
        return line.upper(), {}, ""
    params = dict(
        (k.upper(), v.strip('"')) for k, v in re.findall(r';([^=;:]+)=("[^"]*"|[^;:]*)', m.group(2))
    )
    return m.group(1).upper(), params, m.group(3)


def unescape(value: str) -> str:
    return re.sub(r"\\([nN,;\\])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def person(params: dict[str, str], value: str) -> str:
    address = re.sub(r"^mailto:", "", value, flags=re.I)
    name = params.get("CN")
    return f"{name} <{address}>" if name else address


def _sniff(probe: Probe) -> bool:
    return probe.text is not None and probe.lower.startswith("begin:vcalendar")


ICS = FileType(
    "ics",
    "text/calendar",
    "document",
    ("ics", "ical"),
    sniff=_sniff,
    order=43,
)


class IcsExtractor(Extractor):
    name = "ics"
    file_types = (ICS,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        with open(path, "rb") as f:
            data = f.read(MAX_ICS + 1)
        if len(data) > MAX_ICS:
            raise ExtractError(Code.TOO_LARGE, f"calendar over {MAX_ICS} bytes", status="skipped")
        text, _codec = decode(data)
        counts: dict[str, int] = {}
        stack: list[str] = []
        fields: list[tuple[str, str]] = []
        for line in unfold(text.lstrip("\ufeff")):
            name, params, value = split_line(line)
            if name == "BEGIN":
                stack.append(value.upper())
                if value.upper() in _COMPONENTS:
                    fields = []
            elif name == "END":
                kind = stack.pop() if stack else ""
                if kind in _COMPONENTS:
                    counts[kind] = counts.get(kind, 0) + 1
                    self._emit(sink, _COMPONENTS[kind], counts[kind], fields)
            elif stack and stack[-1] in _COMPONENTS:
                if name in ("ORGANIZER", "ATTENDEE"):
                    fields.append((name, person(params, value)))
                elif name in _DATES:
                    fields.append((name, iso_date(value) or value))
                else:
                    fields.append((name, unescape(value)))
            elif stack == ["VCALENDAR"]:
                if name == "PRODID":
                    sink.meta("application", value)
                elif name == "X-WR-CALNAME":
                    sink.meta("title", unescape(value))
        if not counts and "BEGIN:VCALENDAR" not in text.upper():
            raise ExtractError(Code.CORRUPT, "no VCALENDAR found")
        sink.meta("events", counts.get("VEVENT", 0))
        if counts.get("VTODO"):
            sink.meta("todos", counts["VTODO"])

    def _emit(self, sink: Sink, kind: str, n: int, fields: list[tuple[str, str]]) -> None:
        lines = [
            f"{label}: {value}" for key, label in _LABELS for name, value in fields if name == key
        ]
        sink.text("\n".join(lines), part=f"{kind} {n}")
