"""Member references: what an entity is made of, one catalogue row (and, for a row that
names more than one party, which party). Stored in ``entity_members.member`` as text —
``mention:12``, ``record:7``, ``record:7:payer``, ``relation:3:source`` — and built and
read only through :class:`MemberRef`, so no reader splits the string itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

MemberKind = Literal["mention", "record", "relation"]
KINDS: tuple[MemberKind, ...] = get_args(MemberKind)
# The party of a row that names more than one: a payment's payer (its payee is the row
# itself), a letter's sender or recipient.
ROLES: dict[MemberKind, tuple[str | None, ...]] = {
    "mention": (None,),
    "record": (None, "payer"),
    "relation": ("source", "target"),
}
TABLES: dict[MemberKind, str] = {
    "mention": "mentions",
    "record": "records",
    "relation": "relations",
}


class BadMemberRef(ValueError):
    """Text that is not a member reference."""


@dataclass(frozen=True, slots=True, order=True)
class MemberRef:
    kind: MemberKind
    id: int  # the row id in the kind's table (TABLES)
    role: str | None = None  # see ROLES

    def __post_init__(self) -> None:
        if self.kind not in ROLES or self.role not in ROLES[self.kind]:
            raise BadMemberRef(f"no member {self.kind!r} with role {self.role!r}")

    @classmethod
    def parse(cls, text: str) -> MemberRef:
        """The reference written as ``kind:id[:role]``."""
        parts = text.split(":")
        if len(parts) not in (2, 3) or parts[0] not in KINDS or not parts[1].isdigit():
            raise BadMemberRef(f"not a member reference: {text!r}")
        role = parts[2] if len(parts) == 3 else None
        return cls(parts[0], int(parts[1]), role)

    def __str__(self) -> str:
        return MemberRef.text(self.kind, self.id, self.role)

    @staticmethod
    def text(kind: MemberKind, id: int, role: str | None = None) -> str:
        """``str(MemberRef(kind, id, role))`` without building and checking one: for a
        resolution run, which writes a ref for each of a case's names."""
        return f"{kind}:{id}:{role}" if role else f"{kind}:{id}"

    @property
    def table(self) -> str:
        return TABLES[self.kind]

    @staticmethod
    def prefix_range(kind: MemberKind) -> tuple[str, str]:
        """Bounds for every stored reference of ``kind`` as a range on the text index:
        ``member > 'mention:' AND member < 'mention;'`` (';' sorts right after ':')."""
        return f"{kind}:", f"{kind};"
