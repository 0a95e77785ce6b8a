"""``docket --version`` answers on its own, before any command is asked for."""

from __future__ import annotations

from docket import __version__
from tests.helpers import docket


def test_version_alone_prints_the_version_and_exits_0() -> None:
    proc = docket("--version")
    assert proc.stdout.strip() == f"docket {__version__}"
