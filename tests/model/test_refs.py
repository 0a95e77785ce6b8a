"""Member references round-trip through their stored text."""

from __future__ import annotations

import pytest

from docket.model.refs import BadMemberRef, MemberRef


@pytest.mark.parametrize(
    "text", ["mention:12", "record:7", "record:7:payer", "relation:3:source", "relation:3:target"]
)
def test_a_reference_round_trips(text: str) -> None:
    ref = MemberRef.parse(text)
    assert str(ref) == text
    assert MemberRef.text(ref.kind, ref.id, ref.role) == text  # written without one
    low, _ = MemberRef.prefix_range(ref.kind)
    assert text.startswith(low) and (ref.role or f"{low}{ref.id}" == text)


def test_parts_are_typed() -> None:
    ref = MemberRef.parse("relation:3:source")
    assert (ref.kind, ref.id, ref.role, ref.table) == ("relation", 3, "source", "relations")


@pytest.mark.parametrize(
    "text", ["", "mention", "person:1", "mention:x", "relation:3", "record:7:source", "a:1:b:c"]
)
def test_malformed_text_is_refused(text: str) -> None:
    with pytest.raises(BadMemberRef):
        MemberRef.parse(text)


def test_prefix_range_holds_every_reference_of_its_kind() -> None:
    low, high = MemberRef.prefix_range("mention")
    assert low < "mention:12" < "mention:999999" < high
    assert not low < "record:1" < high
