"""The desk answers only to its own names, and changes the case only for its own pages.

DNS rebinding: a page on ``evil.example`` re-points that name at 127.0.0.1 and then reads
the desk as if it were its own site; the browser sends ``Host: evil.example``. So a request
whose ``Host`` is not one of the desk's names gets 400 before anything else runs. A name
an attacker controls is what matters, not the port: an SSH tunnel or a port forward
reaches the desk on another port under the same name, so any port is accepted.

Cross-site posts: a request that may change the case (anything but GET, HEAD and
OPTIONS) must say where it comes from, by ``Origin`` or else ``Referer``, and that must be
this very origin (scheme, host and port of the request); otherwise 403. The form nonce
stays as a second check.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
WILDCARD_BINDS = frozenset({"0.0.0.0", "::", ""})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def split_host(value: str) -> tuple[str, int | None] | None:
    """``name[:port]`` or ``[v6][:port]`` as (lower-case name without brackets, port);
    None when it is not a host."""
    value = value.strip().lower()
    port = ""
    if value.startswith("["):
        name, sep, rest = value[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            return None
        port = rest[1:]
    elif value.count(":") == 1:
        name, port = value.split(":")
    else:  # a name, or a bare IPv6 address as --host or a setting may give it
        name = value
    if not name or (port and not port.isdigit()) or (port == "" and value.endswith(":")):
        return None
    return name, int(port) if port else None


def allowed_hosts(bind: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The names the desk answers to when bound to ``bind``: the loopback names for a
    loopback bind; else the bound address, and for 0.0.0.0 or :: this machine's names too;
    always the ``extra`` ones (the ``allowed_hosts`` setting, ``--allow-host``)."""
    parsed = split_host(bind)
    bound = parsed[0] if parsed else bind.strip().lower()
    names = {bound}
    if bound in LOOPBACK_NAMES:
        names |= LOOPBACK_NAMES
    elif bound in WILDCARD_BINDS:
        # Every address of the machine is bound; a browser here may use its names. Not
        # getfqdn(): a reverse DNS lookup that can stall start-up for seconds offline.
        names |= LOOPBACK_NAMES | {socket.gethostname().lower()}
    for name in extra:
        host = split_host(name)
        if host:
            names.add(host[0])
    return frozenset(n for n in names if n)


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class HostGuard:
    """ASGI middleware: the Host check on every request, the origin check on every one
    that may change the case. Its refusals are short plain text, never a page."""

    def __init__(
        self, app: ASGIApp, hosts: Iterable[str], headers: Mapping[str, str] | None = None
    ) -> None:
        self.app = app
        self.hosts = frozenset(hosts)
        self.headers = dict(headers or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = split_host(headers.get("host", ""))
        if host is None or not self._allowed(host[0], scope):
            refusal = self._refuse(400, "400 Bad Request: this desk does not answer to that host.")
            await refusal(scope, receive, send)
            return
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
            problem = self._origin_problem(headers, host, scope)
            if problem:
                await self._refuse(403, "403 Forbidden: " + problem)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _allowed(self, name: str, scope: Scope) -> bool:
        if name in self.hosts:
            return True
        # An address (never a name: rebinding needs one) that the connection itself
        # arrived on, as on a 0.0.0.0 bind reached by one of the machine's LAN addresses.
        server = scope.get("server")
        return server is not None and _is_ip(name) and name == str(server[0]).lower()

    def _origin_problem(
        self, headers: Headers, host: tuple[str, int | None], scope: Scope
    ) -> str | None:
        source = headers.get("origin") or headers.get("referer")
        if not source:
            return "a request that changes the case must carry Origin or Referer."
        scheme = scope.get("scheme", "http")
        own = (scheme, host[0], host[1] or DEFAULT_PORTS.get(scheme))
        try:
            parts = urlsplit(source.strip())
            theirs = (
                parts.scheme.lower(),
                (parts.hostname or "").lower(),
                parts.port or DEFAULT_PORTS.get(parts.scheme.lower()),
            )
        except ValueError:  # a malformed port
            theirs = None
        if theirs != own:
            return "this request comes from another site."
        return None

    def _refuse(self, status: int, message: str) -> PlainTextResponse:
        return PlainTextResponse(message + "\n", status_code=status, headers=self.headers)
