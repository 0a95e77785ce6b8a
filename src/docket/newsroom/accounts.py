"""Accounts, cases, grants and sessions of a newsroom server.

Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106's second
recommendation); after ``MAX_FAILURES`` wrong passwords in a row an account is locked for
``LOCKOUT``. Sessions are random tokens; only their SHA-256 is stored. Roles are per case:
``reader`` (search, read, download), ``editor`` (+ findings, merges and splits,
redactions), ``owner`` (+ grants), ``auditor`` (the audit trail); a server admin may do
everything, and alone may delete a case."""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from docket.model.errors import BadArguments, CheckFailed
from docket.newsroom import registry
from docket.newsroom.config import ServerConfig, ServerError, check_name
from docket.store.postgres import CATALOGUE_FILE, create_schema, drop_schema

ROLES = ("reader", "editor", "owner", "auditor")
# What each role may do on its case; an admin may do all of it on every case.
PERMISSIONS: dict[str, frozenset[str]] = {
    "reader": frozenset({"read"}),
    "editor": frozenset({"read", "edit"}),
    "owner": frozenset({"read", "edit", "grant"}),
    "auditor": frozenset({"audit"}),
}
ADMIN = frozenset({"read", "edit", "grant", "audit", "delete"})
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)
PRESENCE_WINDOW = timedelta(minutes=5)  # "also working on this case": seen this recently
_HASHER = PasswordHasher()
# Checked when the user does not exist, so that a wrong name costs as long as a wrong password.
_DUMMY = _HASHER.hash(secrets.token_hex(8))


class Denied(CheckFailed):
    """Wrong password, locked account, or no such user (one message for all three)."""

    label = "denied"


@dataclass(frozen=True)
class User:
    name: str
    admin: bool


class Server:
    """The server's registry, opened from its configuration."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        try:
            self.conn = registry.connect(config)
        except psycopg.Error as exc:
            raise ServerError(f"cannot reach the server's database: {exc}") from exc

    def close(self) -> None:
        self.conn.close()

    # -- users -------------------------------------------------------------------------
    def add_user(self, name: str, password: str, *, admin: bool, actor: str) -> None:
        check_name(name, "user")
        if len(password) < 10:
            raise BadArguments("a password needs at least 10 characters")
        with self.conn.transaction():
            try:
                self.conn.execute(
                    "INSERT INTO users (name, hash, admin, created) VALUES (%s, %s, %s, %s)",
                    (name, _HASHER.hash(password), admin, registry.now()),
                )
            except psycopg.errors.UniqueViolation:
                raise BadArguments(f"user {name!r} exists already") from None
            registry.server_log(self.conn, actor, "user-add", user=name, admin=admin)

    def users(self) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT name, admin, created FROM users ORDER BY name")
        return [{"name": n, "admin": a, "created": c} for n, a, c in rows]

    def authenticate(self, name: str, password: str) -> User:
        """The user, if ``password`` is theirs and the account is not locked."""
        row = self.conn.execute(
            "SELECT hash, admin, failures, locked_until FROM users WHERE name = %s", (name,)
        ).fetchone()
        if row is None:
            try:
                _HASHER.verify(_DUMMY, password)
            except VerificationError:
                pass
            raise Denied("wrong user name or password")
        stored, admin, failures, locked_until = row
        if locked_until and locked_until > registry.now():
            raise Denied("wrong user name or password, or the account is locked for now")
        try:
            _HASHER.verify(stored, password)
        except (VerificationError, InvalidHashError):
            failures += 1
            lock = (
                (datetime.now(UTC) + LOCKOUT).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                if failures >= MAX_FAILURES
                else None
            )
            self.conn.execute(
                "UPDATE users SET failures = %s, locked_until = %s WHERE name = %s",
                (0 if lock else failures, lock, name),
            )
            if lock:
                registry.server_log(self.conn, name, "lockout", failures=failures)
            raise Denied("wrong user name or password") from None
        updates: dict[str, Any] = {"failures": 0, "locked_until": None}
        if _HASHER.check_needs_rehash(stored):
            updates["hash"] = _HASHER.hash(password)
        sets = ", ".join(f"{k} = %s" for k in updates)
        self.conn.execute(f"UPDATE users SET {sets} WHERE name = %s", [*updates.values(), name])
        return User(name, bool(admin))

    def user(self, name: str) -> User | None:
        row = self.conn.execute("SELECT admin FROM users WHERE name = %s", (name,)).fetchone()
        return User(name, bool(row[0])) if row else None

    # -- sessions ----------------------------------------------------------------------
    def open_session(self, user: User) -> str:
        token = secrets.token_urlsafe(32)
        created = datetime.now(UTC)
        self.conn.execute(
            "INSERT INTO sessions (token_hash, user_name, created, expires) VALUES (%s, %s, %s, %s)",
            (
                _digest(token),
                user.name,
                created.isoformat(),
                (created + SESSION_LIFETIME).isoformat(),
            ),
        )
        return token

    def session(self, token: str) -> tuple[User, str | None] | None:
        """The session's user and current case, if the token is live."""
        row = self.conn.execute(
            "SELECT s.user_name, u.admin, s.current, s.expires FROM sessions s "
            "JOIN users u ON u.name = s.user_name WHERE s.token_hash = %s",
            (_digest(token),),
        ).fetchone()
        if row is None or row[3] < datetime.now(UTC).isoformat():
            return None
        return User(row[0], bool(row[1])), row[2]

    def access(self, token: str) -> tuple[User, str | None, frozenset[str]] | None:
        """The session's user, current case and what they may do there, in one query
        (what ``serve --server`` asks before every request); None if the token is dead."""
        row = self.conn.execute(
            "SELECT s.user_name, u.admin, s.current, s.expires, c.name, g.role FROM sessions s "
            "JOIN users u ON u.name = s.user_name LEFT JOIN cases c ON c.name = s.current "
            "LEFT JOIN grants g ON g.case_name = s.current AND g.user_name = s.user_name "
            "WHERE s.token_hash = %s",
            (_digest(token),),
        ).fetchone()
        if row is None or row[3] < datetime.now(UTC).isoformat():
            return None
        user, case = User(row[0], bool(row[1])), row[2]
        if row[4] is None:  # no case chosen, or it was deleted
            return user, case, frozenset()
        if user.admin:
            return user, case, ADMIN
        return user, case, PERMISSIONS.get(row[5], frozenset()) if row[5] else frozenset()

    def set_current(self, token: str, case: str) -> None:
        self.conn.execute(
            "UPDATE sessions SET current = %s WHERE token_hash = %s", (case, _digest(token))
        )

    def seen(self, user: str, case: str) -> None:
        """``user`` made a request on ``case`` now (``serve.server_mode`` calls this at
        most once a minute per user and case)."""
        with self.conn.transaction():
            self.conn.execute("SET LOCAL synchronous_commit TO OFF")  # a hint, not a record
            self.conn.execute(
                "INSERT INTO presence VALUES (%s, %s, %s) ON CONFLICT (case_name, user_name) "
                "DO UPDATE SET seen = EXCLUDED.seen",
                (case, user, datetime.now(UTC).isoformat()),
            )

    def working_on(self, case: str) -> list[str]:
        """Who was seen working on ``case`` in the last ``PRESENCE_WINDOW`` (the desk shows
        the others)."""
        since = (datetime.now(UTC) - PRESENCE_WINDOW).isoformat()
        rows = self.conn.execute(
            "SELECT user_name FROM presence WHERE case_name = %s AND seen > %s ORDER BY user_name",
            (case, since),
        )
        return [r[0] for r in rows]

    def close_session(self, token: str) -> None:
        self.conn.execute("DELETE FROM sessions WHERE token_hash = %s", (_digest(token),))

    # -- cases -------------------------------------------------------------------------
    def create_case(self, name: str, *, actor: str) -> None:
        check_name(name, "case")
        root = self.config.case_root(name)
        schema = "case_" + name.replace("-", "_")
        if self.case_exists(name) or root.exists():
            raise BadArguments(f"case {name!r} exists already on the server")
        create_schema(self.config.database, schema)
        root.mkdir(parents=True)
        (root / "blobs").mkdir()
        (root / CATALOGUE_FILE).write_text(
            json.dumps({"database": self.config.database, "schema": schema})
        )
        (root / CATALOGUE_FILE).chmod(0o600)
        with self.conn.transaction():
            self.conn.execute(
                "INSERT INTO cases VALUES (%s, %s, %s, %s)", (name, schema, registry.now(), actor)
            )
            registry.server_log(self.conn, actor, "case-create", case=name, schema=schema)

    def case_exists(self, name: str) -> bool:
        return bool(self.conn.execute("SELECT 1 FROM cases WHERE name = %s", (name,)).fetchone())

    def cases(self, user: User | None = None) -> list[dict[str, Any]]:
        """Every case (for ``user``: those they hold a role on, with the role)."""
        if user is None or user.admin:
            rows = self.conn.execute("SELECT name, created, creator, NULL FROM cases ORDER BY name")
            role = "admin" if user else None
            return [{"name": n, "created": c, "creator": by, "role": role} for n, c, by, _ in rows]
        rows = self.conn.execute(
            "SELECT c.name, c.created, c.creator, g.role FROM cases c JOIN grants g "
            "ON g.case_name = c.name WHERE g.user_name = %s ORDER BY c.name",
            (user.name,),
        )
        return [{"name": n, "created": c, "creator": by, "role": r} for n, c, by, r in rows]

    def delete_case(self, name: str, *, actor: User) -> None:
        """Only a server admin deletes a case; the server log keeps that it happened."""
        if not actor.admin:
            raise Denied(f"only a server admin may delete a case ({actor.name} is not one)")
        row = self.conn.execute("SELECT schema FROM cases WHERE name = %s", (name,)).fetchone()
        if row is None:
            raise ServerError(f"no case {name!r} on the server")
        with self.conn.transaction():
            self.conn.execute("DELETE FROM cases WHERE name = %s", (name,))
            registry.server_log(self.conn, actor.name, "case-delete", case=name, schema=row[0])
        drop_schema(self.config.database, row[0])
        shutil.rmtree(self.config.case_root(name), ignore_errors=True)

    # -- roles -------------------------------------------------------------------------
    def grant(self, user: str, case: str, role: str, *, actor: str) -> None:
        if role not in ROLES:
            raise BadArguments(f"unknown role {role!r}: one of {', '.join(ROLES)}")
        if self.user(user) is None:
            raise ServerError(f"no user {user!r} on the server")
        if not self.case_exists(case):
            raise ServerError(f"no case {case!r} on the server")
        with self.conn.transaction():
            self.conn.execute(
                "INSERT INTO grants VALUES (%s, %s, %s) ON CONFLICT (case_name, user_name) "
                "DO UPDATE SET role = EXCLUDED.role",
                (case, user, role),
            )
            registry.server_log(self.conn, actor, "grant", case=case, user=user, role=role)

    def role(self, user: User, case: str) -> str | None:
        """``user``'s role on ``case`` (``admin`` for an admin), None for none."""
        if not self.case_exists(case):
            return None
        if user.admin:
            return "admin"
        row = self.conn.execute(
            "SELECT role FROM grants WHERE case_name = %s AND user_name = %s", (case, user.name)
        ).fetchone()
        return str(row[0]) if row else None

    def may(self, user: User, case: str, permission: str) -> bool:
        return permission in self.permissions(user, case)

    def permissions(self, user: User, case: str) -> frozenset[str]:
        """What ``user`` may do on ``case`` (empty: nothing, the case does not exist for them)."""
        role = self.role(user, case)
        if role is None:
            return frozenset()
        return ADMIN if role == "admin" else PERMISSIONS[role]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
