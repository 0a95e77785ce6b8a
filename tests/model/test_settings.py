"""Settings: one typed definition (name, type, default, help) read by attribute."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from docket.extract.sink import MB, Limits
from docket.settings import DEFAULTS, SETTINGS, Settings, load_settings


def test_every_setting_has_a_type_default_and_help() -> None:
    assert SETTINGS and len({s.name for s in SETTINGS}) == len(SETTINGS)
    for s in SETTINGS:
        assert isinstance(s.default, s.type), s.name
        assert s.help.strip(), s.name
        assert getattr(DEFAULTS, s.name) == s.default == DEFAULTS[s.name]


def test_settings_are_read_by_attribute_and_frozen() -> None:
    s = load_settings(None, max_depth=3, jobs=1)
    assert isinstance(s, Settings) and s.max_depth == 3 and s["max_depth"] == 3
    with pytest.raises(FrozenInstanceError):
        s.max_depth = 4  # type: ignore[misc]
    with pytest.raises(KeyError):
        s["no_such_setting"]
    assert dict(s)["max_depth"] == 3


def test_environment_values_take_the_setting_type(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKET_MAX_RATIO", "50")
    monkeypatch.setenv("DOCKET_OCR", "0")
    s = load_settings(None)
    assert s.max_ratio == 50.0 and isinstance(s.max_ratio, float)
    assert s.ocr is False


def test_limits_take_their_defaults_from_the_settings() -> None:
    assert Limits() == Limits.from_settings(DEFAULTS)
    assert Limits().max_expanded == DEFAULTS.max_expanded_mb * MB
    assert Limits.from_settings(DEFAULTS.replace(max_members=7)).max_members == 7
