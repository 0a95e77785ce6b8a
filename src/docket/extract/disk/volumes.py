"""Partitions: what a partition table (MBR, GPT…) lists, or one bare file system when the
image has no table. A damaged table is a warning, and the image is then tried as a bare
file system so nothing readable is lost."""

from __future__ import annotations

from dataclasses import dataclass

import pytsk3

from docket.extract.sink import Sink
from docket.model.errors import Code

_SCHEMES = {
    pytsk3.TSK_VS_TYPE_DOS: "mbr",
    pytsk3.TSK_VS_TYPE_GPT: "gpt",
    pytsk3.TSK_VS_TYPE_MAC: "apple",
    pytsk3.TSK_VS_TYPE_BSD: "bsd",
    pytsk3.TSK_VS_TYPE_SUN: "sun",
}


@dataclass(slots=True)
class Volume:
    label: str  # "p1", or "fs" for a bare file system
    offset: int  # bytes from the start of the image
    length: int  # bytes
    description: str  # as the table says: "Linux (0x83)", "Basic data partition"
    slot: int | None = None


def volumes(img: pytsk3.Img_Info, sink: Sink) -> list[Volume]:
    """The partitions to read, in table order; one bare volume when there is no table."""
    size = img.get_size()
    try:
        table = pytsk3.Volume_Info(img)
    except OSError:
        sink.meta("partition_table", "none")
        return [Volume("fs", 0, size, "whole image")]
    block = table.info.block_size
    sink.meta("partition_table", _SCHEMES.get(table.info.vstype, str(table.info.vstype)))
    found: list[Volume] = []
    for part in table:
        if not part.flags & pytsk3.TSK_VS_PART_FLAG_ALLOC:
            continue  # unallocated gaps and the table's own sectors
        offset, length = part.start * block, part.len * block
        desc = part.desc.decode("utf-8", "replace") if isinstance(part.desc, bytes) else part.desc
        vol = Volume(f"p{len(found) + 1}", offset, length, desc, slot=part.slot_num)
        if offset + length > size:
            sink.warn(
                Code.TRUNCATED,
                f"{vol.label} ends at byte {offset + length}, past the image's end ({size});"
                " the image may be truncated or the table damaged",
            )
        if offset >= size:
            continue
        found.append(vol)
    if not found:
        sink.warn(Code.CORRUPT, "the partition table lists no readable partition")
        return [Volume("fs", 0, size, "whole image")]
    return found
