"""The newsroom server's commands: ``server init``, ``user``, ``case``, ``grant`` and
``audit`` (docs/server.md). They run on the server host, with its configuration; the
actor they record is ``$DOCKET_USER`` or the system user."""

from __future__ import annotations

import getpass
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from docket.cli.common import CaseOpt, err, open_case, out, print_json, shown
from docket.model.errors import BadArguments, CheckFailed

server_app = typer.Typer(help="Set up a newsroom server (PostgreSQL catalogue, accounts).")
user_app = typer.Typer(help="Accounts on the newsroom server.")
case_app = typer.Typer(help="Cases on the newsroom server.")
audit_app = typer.Typer(
    help="A case's audit trail: who searched, read, downloaded, exported, found, merged, "
    "granted what, and when.",
    invoke_without_command=True,
)
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]


def register(app: typer.Typer) -> None:
    app.add_typer(server_app, name="server")
    app.add_typer(user_app, name="user")
    app.add_typer(case_app, name="case")
    app.add_typer(audit_app, name="audit")
    app.command("grant")(grant)


def actor() -> str:
    return os.environ.get("DOCKET_USER") or getpass.getuser()


def _need_extra() -> None:
    """psycopg and argon2-cffi come with the `server` extra."""
    import importlib.util

    missing = [m for m in ("psycopg", "argon2") if importlib.util.find_spec(m) is None]
    if missing:
        raise BadArguments(
            f"the newsroom server needs {' and '.join(missing)}: "
            "pip install -c constraints.txt 'docket[server]'"
        )


@contextmanager
def _server():  # type: ignore[no-untyped-def]
    """The server's registry, closed when the command is done with it."""
    _need_extra()
    from docket.newsroom import config
    from docket.newsroom.accounts import Server

    server = Server(config.load())
    try:
        yield server
    finally:
        server.close()


def _password(stdin: bool, prompt: str = "Password") -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(f"{prompt}: ")
    if getpass.getpass("Again: ") != first:
        raise BadArguments("the two passwords differ")
    return first


@server_app.command("init")
def server_init(
    database: Annotated[
        str, typer.Option("--database", help="PostgreSQL URL: postgresql://USER@HOST/DB.")
    ],
    storage: Annotated[
        Path, typer.Option("--storage", help="Folder for the cases' blobs, indexes and logs.")
    ],
) -> None:
    """Set up (or upgrade) a newsroom server: its tables in the database, its storage."""
    _need_extra()
    from docket.newsroom import config, registry

    try:
        version = registry.migrate(database)
    except Exception as exc:  # psycopg's errors: an unreachable or refusing database
        raise CheckFailed(f"cannot set up the server database: {exc}") from exc
    storage = storage.resolve()
    (storage / "cases").mkdir(parents=True, exist_ok=True)
    path = config.save(config.ServerConfig(database, storage))
    out.print(f"server ready: schema version {version}, storage {shown(storage)}")
    err.print(f"configuration written to {shown(path)}")


@user_app.command("add")
def user_add(
    name: str,
    role: Annotated[
        str, typer.Option("--role", help="admin (the whole server) or user (roles per case).")
    ] = "user",
    password_stdin: PasswordStdin = False,
) -> None:
    """Add an account; prompts for its password (at least 10 characters)."""
    if role not in ("admin", "user"):
        raise BadArguments("--role is admin or user; roles on a case come with `docket grant`")
    with _server() as server:
        server.add_user(name, _password(password_stdin), admin=role == "admin", actor=actor())
    out.print(f"user {shown(name)} added" + (" (server admin)" if role == "admin" else ""))


@user_app.command("list")
def user_list(json_out: JsonOpt = False) -> None:
    """Every account."""
    with _server() as server:
        users = server.users()
    if json_out:
        print_json(users)
        return
    for u in users:
        out.print(f"{shown(u['name'])}{' (admin)' if u['admin'] else ''}")


@case_app.command("create")
def case_create(name: str) -> None:
    """Create an empty case on the server (then `docket ingest … --case server:NAME`)."""
    with _server() as server:
        server.create_case(name, actor=actor())
    out.print(f"case {shown(name)} created: --case server:{shown(name)}")


@case_app.command("list")
def case_list(json_out: JsonOpt = False) -> None:
    """Every case on the server."""
    with _server() as server:
        cases = server.cases()
    if json_out:
        print_json(cases)
        return
    for c in cases:
        out.print(f"{shown(c['name'])}  created {c['created']} by {shown(c['creator'] or '?')}")


@case_app.command("delete")
def case_delete(
    name: str,
    admin: Annotated[str, typer.Option("--admin", help="A server admin's user name.")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Delete a case and everything of it (a server admin only; recorded in the server log)."""
    with _server() as server:
        password = sys.stdin.readline().rstrip("\n") if password_stdin else getpass.getpass()
        user = server.authenticate(admin, password)
        server.delete_case(name, actor=user)
    out.print(f"case {shown(name)} deleted")


@case_app.command("push")
def case_push(
    folder: Path,
    as_name: Annotated[str, typer.Option("--as", help="The case's name on the server.")],
) -> None:
    """Copy a local case folder to the server, every hash verified on the way."""
    from docket.newsroom.transfer import push

    with _server() as server:
        n = push(server, folder, as_name, actor=actor(), notify=err.print)
    out.print(f"{n} items pushed to server:{shown(as_name)}; every blob re-hashed: ok")


@case_app.command("pull")
def case_pull(name: str, folder: Path) -> None:
    """Copy a server case into a new local case folder, every hash verified."""
    from docket.newsroom.transfer import pull

    with _server() as server:
        n = pull(server, name, folder, actor=actor(), notify=err.print)
    out.print(f"{n} items pulled into {shown(folder)}; every blob re-hashed: ok")


def grant(user: str, case: str, role: str) -> None:
    """Give USER a ROLE on CASE: reader, editor, owner or auditor."""
    from docket.case import Case
    from docket.newsroom import audit

    with _server() as server:
        server.grant(user, case, role, actor=actor())
    c = Case.open(Path(f"server:{case}"), repair_index=False)
    try:
        audit.append(c.catalogue, actor(), "grant", user=user, role=role)
    finally:
        c.close()
    out.print(f"{shown(user)} is {role} on {shown(case)}")


@audit_app.callback()
def audit_list(
    ctx: typer.Context,
    json_out: JsonOpt = False,
    limit: Annotated[int, typer.Option("--limit", help="Only the last N entries (0: all).")] = 0,
    who: Annotated[str | None, typer.Option("--user", help="Only this user's entries.")] = None,
    case: CaseOpt = None,
) -> None:
    """List the audit trail (or `docket audit verify`)."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = {**(ctx.obj or {}), "audit_case": case}
        return
    from docket.newsroom import audit

    c = open_case(ctx, case, readonly=True, repair_index=False)
    try:
        rows = audit.entries(c.catalogue, actor=who, limit=limit)
    finally:
        c.close()
    if json_out:
        print_json(rows)
        return
    for r in rows:
        out.print(
            f"{r['seq']:>6}  {r['time']}  {shown(r['actor'])}  {r['action']}  {shown(r['detail'])}"
        )


@audit_app.command("anchor")
def audit_anchor(ctx: typer.Context, case: CaseOpt = None) -> None:
    """Write the audit trail's head into the custody log (`docket seal` does it too), so
    that a trail rewritten from end to end no longer verifies."""
    from docket.newsroom import audit

    c = open_case(ctx, case or (ctx.obj or {}).get("audit_case"), repair_index=False)
    try:
        c.lock()
        try:
            head = audit.anchor(c)
        finally:
            c.unlock()
    finally:
        c.close()
    out.print(
        "audit trail empty: nothing to anchor"
        if head is None
        else f"audit entry {head[0]} anchored"
    )


@audit_app.command("verify")
def audit_verify(ctx: typer.Context, json_out: JsonOpt = False, case: CaseOpt = None) -> None:
    """Recompute the audit trail's hash chain; exit 1 naming each broken entry."""
    from docket.newsroom import audit

    c = open_case(ctx, case or (ctx.obj or {}).get("audit_case"), readonly=True, repair_index=False)
    try:
        report = audit.verify(c.catalogue, audit.anchors(c))
    finally:
        c.close()
    if json_out:
        print_json({"entries": report.entries, "head": report.head, "problems": report.problems})
    else:
        for p in report.problems:
            err.print(f"[red]{shown(p)}[/]")
        out.print(
            f"audit: {report.entries} entries, head {report.head}: "
            + ("ok" if report.ok else f"{len(report.problems)} problem(s)")
        )
    if not report.ok:
        raise typer.Exit(1)
