"""Where the newsroom server keeps things: its PostgreSQL database and its storage folder
(one folder a case: blobs, the tantivy index, the custody log, ``catalogue.json``).

``docket server init`` writes the configuration file: ``$DOCKET_SERVER_CONFIG``, else
``~/.config/docket/server.json`` (mode 0600: the database URL may hold a password)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from docket.model.errors import BadArguments, BrokenCase

CONFIG_ENV = "DOCKET_SERVER_CONFIG"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


class ServerError(BrokenCase):
    """The server is not set up, or a case or user named is not on it."""


@dataclass(frozen=True)
class ServerConfig:
    database: str
    storage: Path

    def case_root(self, name: str) -> Path:
        return self.storage / "cases" / check_name(name, "case")


def config_path() -> Path:
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "docket" / "server.json"


def check_name(name: str, what: str) -> str:
    """Case and user names: lower-case letters, digits, ``-`` and ``_`` (they name
    folders and database schemas)."""
    if not _NAME.match(name):
        raise BadArguments(
            f"bad {what} name {name!r}: use lower-case letters, digits, '-' and '_' "
            "(at most 63, starting with a letter or digit)"
        )
    return name


def load() -> ServerConfig:
    path = config_path()
    try:
        raw = json.loads(path.read_text())
        return ServerConfig(str(raw["database"]), Path(raw["storage"]))
    except FileNotFoundError:
        raise ServerError(
            f"no newsroom server is set up here ({path} is missing): run "
            "`docket server init --database postgresql://… --storage DIR`"
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ServerError(f"{path} is not a server configuration: {exc}") from exc


def save(config: ServerConfig) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"database": config.database, "storage": str(config.storage)}, f, indent=2)
    return path


def server_case_root(name: str) -> Path:
    """The folder of the server case ``name`` (``--case server:NAME``)."""
    root = load().case_root(name)
    if not (root / "catalogue.json").exists():
        raise ServerError(f"no case {name!r} on the server (`docket case create {name}`)")
    return root
