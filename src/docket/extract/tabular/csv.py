"""CSV and other delimited text: one segment per record, streamed.

The file is decoded lazily and parsed record by record, so a multi-gigabyte export never
sits in memory (datashare#1189). Row numbers count physical records, 1-based, the header
included, so "row 7" is what a spreadsheet program would show.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from docket.extract.base import Extractor
from docket.extract.detect import Probe
from docket.extract.encoding import open_text
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError

DELIMITERS = ",;\t|"
SNIFF_CHARS = 64 * 1024
MAX_FIELD = 16 * 1024 * 1024  # one field may hold a whole letter, but not a whole dump
SEP = " | "


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the sample's lines most consistently.

    ``csv.Sniffer`` guesses wildly on short or ragged files; counting candidate
    characters outside quotes, line by line, is steadier.
    """
    lines = [line for line in sample.splitlines() if line.strip()][:50]
    if len(lines) > 1 and len(sample) >= SNIFF_CHARS:
        lines = lines[:-1]  # the last line of a cut sample may be incomplete
    best, best_score = ",", -1.0
    for delim in DELIMITERS:
        counts = [_count_outside_quotes(line, delim) for line in lines]
        used = [c for c in counts if c]
        if not used:
            continue
        mode = max(set(used), key=used.count)
        # Lines that agree on the mode, weighted a little by how many columns it makes.
        score = counts.count(mode) / len(counts) + min(mode, 20) / 100
        if score > best_score:
            best, best_score = delim, score
    return best


def _count_outside_quotes(line: str, delim: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delim and not quoted:
            count += 1
    return count


def _looks_like_table(text: str) -> bool:
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if len(lines) < 3:
        return False
    for delim in (",", "\t", ";", "|"):
        counts = [line.count(delim) for line in lines[:-1]]  # last line may be cut
        if counts and min(counts) >= 1 and max(counts) == min(counts):
            return True
    return False


def _sniff(probe: Probe) -> bool:
    if probe.text is None or probe.markup:
        return False
    return probe.ext in ("csv", "tsv", "tab") or _looks_like_table(probe.stripped)


CSV = FileType(
    "csv",
    "text/csv",
    "spreadsheet",
    ("csv", "tsv", "tab"),
    sniff=_sniff,
    order=46,
)


class CsvExtractor(Extractor):
    name = "csv"
    file_types = (CSV,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        stream, codec = open_text(path)
        with stream:
            sample = stream.read(SNIFF_CHARS)
            delimiter = sniff_delimiter(sample)
            stream.seek(0)
            if stream.read(1) != "\ufeff":
                stream.seek(0)  # seek(0) goes back before a BOM that the codec keeps
            sink.meta("encoding", codec.removesuffix("-sig"))
            sink.meta("delimiter", delimiter)
            rows, columns = self._rows(stream, delimiter, sink)
        sink.meta("rows", rows)
        sink.meta("columns", columns)

    def _rows(self, stream: object, delimiter: str, sink: Sink) -> tuple[int, int]:
        csv.field_size_limit(min(MAX_FIELD, sys.maxsize))
        reader = csv.reader(stream, delimiter=delimiter, strict=False)  # type: ignore[arg-type]
        rows = columns = 0
        try:
            for record in reader:
                rows += 1
                if rows == 1:
                    sink.meta("header", [cell.strip() for cell in record])
                columns = max(columns, len(record))
                cells = [cell.strip() for cell in record]
                # Trailing empty cells are layout, not data; inner ones keep columns aligned.
                while cells and not cells[-1]:
                    cells.pop()
                sink.text(SEP.join(cells), sheet=None, row=rows)
        except csv.Error as exc:
            if rows == 0:
                raise ExtractError(Code.CORRUPT, f"unreadable CSV: {exc}") from exc
            sink.warn(Code.CORRUPT, f"CSV parsing stopped after record {rows}: {exc}")
        return rows, columns
