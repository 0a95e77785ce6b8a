"""The writer's JSON encoders (``docket.verify.records.encoder``) must write exactly what
``json.dumps`` writes with the same options: custody hashes of existing cases are over
those bytes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from docket.verify.records import encoder

VALUES: list[Any] = [
    ["m", 0, 12, 15, "person", "محمد بن علي", None, "ner-arabic", '{"kunya":"أبو علي"}'],
    {"b": [1, 2.5, 1e300, -0.0], "a": {"z": None, "y": True}, "é": 'line\nbreak\t"q"'},
    "just a string \ud800 with a lone surrogate",
    [],
    {},
    3,
    [float("nan"), float("inf")],
]
OPTIONS: list[dict[str, Any]] = [
    {"ensure_ascii": False, "sort_keys": True, "separators": (",", ":")},
    {"ensure_ascii": False},
    {},
]


@pytest.mark.parametrize("options", OPTIONS)
def test_encoder_writes_what_json_dumps_writes(options: dict[str, Any]) -> None:
    encode = encoder(**options)
    for value in VALUES:
        assert encode(value) == json.dumps(value, **options)
        assert encode(value) == json.dumps(value, **options)  # the same encoder, again


def test_encoder_recovers_after_a_circular_value() -> None:
    encode = encoder(ensure_ascii=False)
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular"):
        encode({"a": loop})
    assert encode({"a": [1]}) == '{"a": [1]}'
    with pytest.raises(TypeError):
        encode({"a": object()})
    assert encode([{"a": 1}]) == '[{"a": 1}]'
