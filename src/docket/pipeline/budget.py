"""The budget of one source file's whole tree: members and expanded bytes summed over
every nesting level.

The sink caps each container on its own (members, bytes, ratio), and each container is
extracted by its own task, so nested copies slip through: a zip of 16 copies of a zip of
16 copies … is small at every level and multiplies catalogue rows at each (an 18 KB file
gave 4,369 items; a few more levels give millions). Only the coordinator sees every
level, so it keeps the count: before a container's children are recorded, the tree of
the top-level file it came from must have room for them. When it has not, the children
past the budget are not recorded and the container ends ``partial`` with code
``zip-bomb`` and a message saying what was left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docket.extract.sink import RATIO_FLOOR
from docket.model.errors import Code
from docket.model.items import Status
from docket.model.results import ExtractResult
from docket.settings import Settings
from docket.store.catalogue import Catalogue

MB = 1024 * 1024
# A file may always expand to this many members, however small it is (a few KB of zip
# legitimately hold hundreds of tiny members); past it, one member per
# ``tree_member_bytes`` of the file's own size. No format stores a member in fewer than
# ~30 bytes of header, so only copies of copies go past that.
MEMBER_FLOOR = 1_000


@dataclass(slots=True)
class _Tree:
    members: int
    expanded: int
    max_members: int
    max_expanded: int
    describe: str


class TreeBudget:
    """Members and bytes already recorded under each top-level file, and its caps."""

    def __init__(self, cat: Catalogue, settings: Settings) -> None:
        self.cat = cat
        self.max_members = int(settings["max_tree_members"])
        self.member_bytes = max(1, int(settings["tree_member_bytes"]))
        self.max_expanded = int(settings["max_tree_expanded_mb"]) * MB
        self.max_ratio = float(settings["max_ratio"])
        self.trees: dict[str, _Tree] = {}

    def admit(self, item: dict[str, Any], result: ExtractResult) -> ExtractResult:
        """``result`` with only the children the tree has room for; when some are left
        out, the item's status, code and message say so (``zip-bomb``)."""
        children = result.children
        if not children:
            return result
        tree = self._tree(item)
        room = len(children)
        members, expanded = tree.members, tree.expanded
        for n, child in enumerate(children):
            size = child.blob.size if child.blob is not None else 0
            if members + 1 > tree.max_members or expanded + size > tree.max_expanded:
                room = n
                break
            members += 1
            expanded += size
        tree.members, tree.expanded = members, expanded
        if room == len(children):
            return result
        left = len(children) - room
        message = (
            f"{left} of {len(children)} members not recorded: the file this came from "
            f"reached its budget over every nesting level ({tree.describe}); "
            "nested copies multiply (raise max_tree_members / max_tree_expanded_mb to go on)"
        )
        result.children = children[:room]  # parents come before their own children
        result.warnings = [*result.warnings, (str(Code.ZIP_BOMB), message)]
        if str(result.status) == Status.OK:
            result.status = Status.PARTIAL
        result.code, result.message = str(Code.ZIP_BOMB), message
        return result

    def _tree(self, item: dict[str, Any]) -> _Tree:
        root = self._root(item)
        tree = self.trees.get(root["id"])
        if tree is None:
            members, expanded = self._recorded(root["id"])
            size = int(root.get("size") or 0)
            by_ratio = max(RATIO_FLOOR, int(size * self.max_ratio))
            max_members = min(self.max_members, max(MEMBER_FLOOR, size // self.member_bytes))
            max_expanded = min(self.max_expanded, by_ratio)
            tree = _Tree(
                members,
                expanded,
                max_members,
                max_expanded,
                f"at most {max_members} members and {max_expanded} bytes for "
                f"{' / '.join(root['path'][:1])} ({size} bytes)",
            )
            self.trees[root["id"]] = tree
        return tree

    def _root(self, item: dict[str, Any]) -> dict[str, Any]:
        if not item.get("parent_id"):
            return item
        row = self.cat.db.execute(
            "WITH RECURSIVE up(id, parent_id) AS ("
            " SELECT id, parent_id FROM items WHERE id = ?"
            " UNION ALL SELECT i.id, i.parent_id FROM items i JOIN up ON i.id = up.parent_id)"
            " SELECT id FROM up WHERE parent_id IS NULL LIMIT 1",
            (item["id"],),
        ).fetchone()
        root = self.cat.item(row[0]) if row else None
        return root or item

    def _recorded(self, root_id: str) -> tuple[int, int]:
        """Members and bytes already under ``root_id`` (a resumed run, or a re-run)."""
        row = self.cat.db.execute(
            "WITH RECURSIVE down(id) AS ("
            " SELECT id FROM items WHERE parent_id = ?"
            " UNION ALL SELECT i.id FROM items i JOIN down ON i.parent_id = down.id)"
            " SELECT count(*), coalesce(sum(size), 0) FROM items WHERE id IN down",
            (root_id,),
        ).fetchone()
        return int(row[0]), int(row[1])
