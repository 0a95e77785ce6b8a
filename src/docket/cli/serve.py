"""``docket serve``: the analyst's desk in a browser, on this machine."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated, Any

import typer

from docket.cli.common import CaseOpt, err, open_case, out
from docket.model.errors import BadArguments


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def is_loopback(host: str) -> bool:
    """Only this machine's own loopback address is open without a token."""
    return host in ("127.0.0.1", "::1", "localhost")


def serve(
    ctx: typer.Context,
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8765,
    host: Annotated[
        str,
        typer.Option("--host", help="Address to bind; anything but 127.0.0.1 requires a token."),
    ] = "127.0.0.1",
    workers: Annotated[
        int,
        typer.Option("--workers", help="Worker processes (0: one per CPU core)."),
    ] = 0,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            help="Another host name the desk answers to (repeatable; setting allowed_hosts).",
            show_default=False,
        ),
    ] = None,
    server: Annotated[
        bool,
        typer.Option(
            "--server",
            help="Serve every case of the newsroom server, behind logins and roles "
            "(docs/server.md).",
        ),
    ] = False,
    tls_cert: Annotated[
        Path | None, typer.Option("--tls-cert", help="TLS certificate (PEM) for HTTPS.")
    ] = None,
    tls_key: Annotated[
        Path | None, typer.Option("--tls-key", help="TLS private key (PEM) for HTTPS.")
    ] = None,
    case: CaseOpt = None,
) -> None:
    """Serve the web desk (search, documents, people, network, timeline, findings)."""
    import uvicorn

    if (tls_cert is None) != (tls_key is None):
        raise BadArguments("--tls-cert and --tls-key go together")
    tls: dict[str, Any] = (
        {"ssl_certfile": str(tls_cert), "ssl_keyfile": str(tls_key)} if tls_cert else {}
    )
    workers = workers if workers > 0 else os.cpu_count() or 1
    if server:
        _serve_server(host, port, allow_host, tls, workers)
        return

    from docket.serve.app import ENV_HOSTS, ENV_NONCE, ENV_ROOT, ENV_TOKEN, create_app
    from docket.serve.guard import allowed_hosts

    c = open_case(ctx, case)
    root = c.root
    configured = c.settings["allowed_hosts"]
    c.close()
    # A browser that was sent here under any other name may be a DNS-rebinding attack.
    names = configured if isinstance(configured, list) else str(configured).split(",")
    hosts = allowed_hosts(host, [*names, *(allow_host or [])])
    # Only 127.0.0.1 itself is open without a token: other addresses (even 127.0.0.2, or
    # 0.0.0.0) may be reachable by other users or machines.
    token = None if is_loopback(host) else secrets.token_urlsafe(24)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    out.print(url + (f"?token={token}" if token else ""))
    if token:
        err.print(
            f"access token: {token} (send it as ?token=…, a cookie, or the X-Docket-Token header)"
        )
    options: dict[str, Any] = dict(
        host=host, port=port, log_level="warning", access_log=False, server_header=False, **tls
    )
    if workers == 1:
        uvicorn.run(create_app(root, token, hosts=hosts), **options)
        return
    # Pages are rendered in Python: one process per core serves concurrent clients in
    # parallel. Workers build the app from the environment and share one form nonce.
    os.environ.update(
        {
            ENV_ROOT: str(root),
            ENV_TOKEN: token or "",
            ENV_NONCE: secrets.token_urlsafe(24),
            ENV_HOSTS: ",".join(sorted(hosts)),
        }
    )
    uvicorn.run("docket.serve.app:app_from_env", factory=True, workers=workers, **options)


def _serve_server(
    host: str, port: int, allow_host: list[str] | None, tls: dict[str, Any], workers: int
) -> None:
    """``serve --server``: every case of the server, behind logins (``serve.server_mode``).
    Session cookies are Secure: off this machine's loopback, HTTPS is required."""
    import uvicorn

    from docket.newsroom import config
    from docket.serve.app import ENV_HOSTS, ENV_NONCE
    from docket.serve.guard import allowed_hosts
    from docket.serve.server_mode import ENV_WORKERS, build

    if not tls and not is_loopback(host):
        raise BadArguments("serve --server off loopback needs --tls-cert and --tls-key")
    settings = config.load()
    hosts = allowed_hosts(host, allow_host or [])
    scheme = "https" if tls else "http"
    shown = f"[{host}]" if ":" in host else host
    out.print(f"{scheme}://{shown}:{port}/login")
    options: dict[str, Any] = dict(
        host=host, port=port, log_level="warning", access_log=False, server_header=False, **tls
    )
    if workers == 1:
        uvicorn.run(build(settings, hosts), **options)
        return
    os.environ.update(
        {
            ENV_HOSTS: ",".join(sorted(hosts)),
            ENV_NONCE: secrets.token_urlsafe(24),
            ENV_WORKERS: str(workers),
        }
    )
    uvicorn.run("docket.serve.server_mode:app_from_env", factory=True, workers=workers, **options)
