"""``docket serve --server``: the desk for several analysts and cases, behind logins.

One layer in front of the desk, default deny: every request but the login page and the
static files needs a live session (a random token in a Secure, HttpOnly, SameSite=Strict
cookie); every desk URL is answered for the session's current case only, and only if the
user's role there allows it — reading for GET and HEAD, editing for anything else. A case
the user holds no role on does not exist for them: 404, the same as a case that does not
exist. The desk's routes are not edited one by one, so a route added later is covered
the same way. Each answered request is appended to the case's audit trail
(``docket.newsroom.audit``): searches with their query, documents viewed and downloaded,
findings posted, any other page by its path. Logins are rate-limited per client address,
and accounts lock after repeated failures (``accounts``)."""

from __future__ import annotations

import asyncio
import html
import threading
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Iterable, MutableMapping
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

import anyio.to_thread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from docket.case import touch_changed
from docket.newsroom import audit
from docket.newsroom.accounts import Denied, Server, User
from docket.newsroom.config import ServerConfig
from docket.serve.actor import current_actor
from docket.serve.app import SECURITY_HEADERS, WARM_QUERY, create_app
from docket.serve.facets import desk_facets
from docket.serve.guard import HostGuard, allowed_hosts
from docket.views.search import compile_query

SESSION_COOKIE = "docket_session"
LOGIN_ATTEMPTS = 10  # per client address and LOGIN_WINDOW seconds
LOGIN_WINDOW = 60.0
_OPEN = ("/login", "/static/")
_SERVER_PAGES = ("/login", "/logout", "/cases", "/audit")
PRESENCE_EVERY = 60.0  # seconds: at most one presence write a minute per user and case
THREADS = 12  # worker threads answering desk pages at once (anyio's default: 40)


class ServerDesk:
    """The state of ``serve --server``: the registry, one desk app per case."""

    def __init__(
        self,
        config: ServerConfig,
        hosts: frozenset[str],
        *,
        nonce: str | None = None,
        workers: int = 1,
    ) -> None:
        self.config = config
        self.hosts = hosts
        self.nonce = nonce  # the desks' form nonce, shared by the worker processes
        # Each worker process counts the logins it sees: together at most LOGIN_ATTEMPTS.
        self.login_attempts = max(1, LOGIN_ATTEMPTS // max(1, workers))
        self._local = threading.local()
        self._apps: dict[str, ASGIApp] = {}
        self._attempts: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._seen: dict[tuple[str, str], float] = {}
        self._trails: dict[str, audit.Trail] = {}

    def registry(self) -> Server:
        # one psycopg connection a thread, like the desk's one case a thread
        server = getattr(self._local, "server", None)
        if server is None:
            server = self._local.server = Server(self.config)
        return server

    def desk(self, case: str) -> ASGIApp:
        with self._lock:
            if case not in self._apps:
                self._apps[case] = create_app(
                    self.config.case_root(case), nonce=self.nonce, hosts=self.hosts
                )
            return self._apps[case]

    def trail(self, case: str) -> audit.Trail:
        """The case's audit trail: one connection a case, whichever thread appends."""
        with self._lock:
            if case not in self._trails:
                root = self.config.case_root(case)
                self._trails[case] = audit.Trail(lambda: audit.open_server_catalogue(root))
            return self._trails[case]

    def admit(
        self, token: str, page: bool
    ) -> tuple[User, str | None, frozenset[str], list[str]] | None:
        """The session's user, current case and what they may do there
        (``Server.access``), and for a desk ``page`` of a case they may read, the others
        working on it (``others``): what each request needs before the desk answers, in
        one trip to a worker thread. None if the session is dead."""
        found = self.registry().access(token)
        if found is None:
            return None
        user, case, allowed = found
        others = self.others(case, user.name) if page and case and "read" in allowed else []
        return user, case, allowed, others

    def seen(self, user: str, case: str, *, force: bool = False) -> None:
        """Note that ``user`` works on ``case`` now: at most one write a minute per user
        and case (``PRESENCE_EVERY``), unless ``force``d (a case just chosen)."""
        now = time.monotonic()
        with self._lock:
            last = self._seen.get((user, case))
            if not force and last is not None and now - last < PRESENCE_EVERY:
                return
            self._seen[(user, case)] = now
        self.registry().seen(user, case)

    def others(self, case: str, user: str) -> list[str]:
        """The other analysts seen on ``case`` in the last minutes; notes ``user`` as
        seen first. Read for each page (one indexed query, in the same trip as the
        session's): an analyst another worker process has just seen shows at once."""
        self.seen(user, case)
        return [u for u in self.registry().working_on(case) if u != user]

    def record(self, case: str, user: User, method: str, request: Request) -> None:
        """Append what ``user`` just did on ``case`` to its audit trail; a route may add
        to what is recorded (``request.state.audit``: the finding, its version…)."""
        path = request.url.path
        detail: dict[str, Any] = {"path": path}
        detail.update(request.scope.get("state", {}).get("audit") or {})
        query = dict(request.query_params)
        if query:
            detail["params"] = query
        parts = [p for p in path.split("/") if p]
        if len(parts) >= 2 and parts[0] in ("item", "person"):
            detail[parts[0]] = parts[1]
        elif len(parts) >= 3 and parts[0] == "api" and parts[1] in ("item", "person"):
            detail[parts[1]] = parts[2]
        self.trail(case).append(user.name, _action(method, path), **detail)

    def rate_limited(self, client: str) -> bool:
        now = time.monotonic()
        with self._lock:
            seen = self._attempts[client]
            while seen and seen[0] < now - LOGIN_WINDOW:
                seen.popleft()
            if len(seen) >= self.login_attempts:
                return True
            seen.append(now)
            return False


def _page(title: str, body: str, status: int = 200) -> Response:
    text = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<title>{html.escape(title)} · Docket</title><link rel="stylesheet" href="/static/desk.css">'
        f"</head><body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )
    return _secure(Response(text, status_code=status, media_type="text/html"))


def _secure(response: Response) -> Response:
    for key, value in SECURITY_HEADERS.items():
        response.headers[key] = value
    return response


def _not_found() -> Response:
    return _secure(PlainTextResponse("404 Not Found\n", status_code=404))


_LOGIN_FORM = (
    '<form method="post" action="/login"><p><label>User <input name="user" autocomplete="username">'
    '</label></p><p><label>Password <input name="password" type="password" '
    'autocomplete="current-password"></label></p><p><button>Log in</button></p></form>'
)


def build(
    config: ServerConfig,
    hosts: Iterable[str] | None = None,
    *,
    nonce: str | None = None,
    workers: int = 1,
) -> ASGIApp:
    """The server-mode application for the server ``config`` describes; one of
    ``workers`` processes sharing the form ``nonce`` (``app_from_env``)."""
    names = frozenset(hosts) if hosts is not None else allowed_hosts("127.0.0.1")
    from docket.newsroom import registry

    registry.migrate(config.database)  # an upgraded Docket's tables (presence…)
    state = ServerDesk(config, names, nonce=nonce, workers=workers)

    async def login_page(request: Request) -> Response:
        return _page("Log in", _LOGIN_FORM)

    async def login(request: Request) -> Response:
        client = request.client.host if request.client else "?"
        if state.rate_limited(client):
            return _page("Log in", "<p>Too many attempts; wait a minute.</p>", 429)
        form = await request.form()
        name, password = str(form.get("user", "")), str(form.get("password", ""))
        try:
            user = await asyncio.to_thread(lambda: state.registry().authenticate(name, password))
        except Denied as exc:
            return _page("Log in", f"<p>{html.escape(str(exc))}</p>{_LOGIN_FORM}", 401)
        token = state.registry().open_session(user)
        response = RedirectResponse("/cases", status_code=303)
        response.set_cookie(
            SESSION_COOKIE, token, secure=True, httponly=True, samesite="strict", path="/"
        )
        return _secure(response)

    async def logout(request: Request) -> Response:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            state.registry().close_session(token)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return _secure(response)

    async def cases(request: Request) -> Response:
        user: User = request.state.user
        registry = state.registry()
        rows = registry.cases(user)
        for row in rows:  # who else is working on each case now
            row["others"] = [u for u in registry.working_on(row["name"]) if u != user.name]
        if "application/json" in request.headers.get("accept", ""):
            return _secure(JSONResponse(rows))
        items = "".join(
            f'<li><a href="/cases/{html.escape(c["name"])}">{html.escape(c["name"])}</a> '
            f"({html.escape(str(c['role']))})"
            + (f" — also here: {html.escape(', '.join(c['others']))}" if c["others"] else "")
            + "</li>"
            for c in rows
        )
        body = f"<p>Logged in as {html.escape(user.name)}.</p><ul>{items}</ul>"
        body += '<form method="post" action="/logout"><button>Log out</button></form>'
        return _page("Cases", body)

    async def select(request: Request) -> Response:
        user: User = request.state.user
        name = request.path_params["name"]
        if state.registry().role(user, name) is None:
            return _not_found()
        state.registry().set_current(request.state.token, name)
        state.seen(user.name, name, force=True)
        return _secure(RedirectResponse("/", status_code=303))

    async def audit_page(request: Request) -> Response:
        user: User = request.state.user
        case = request.state.case
        if not case or not state.registry().may(user, case, "audit"):
            return _not_found()

        def read() -> list[dict[str, Any]]:
            limit = int(request.query_params.get("limit", 500))
            return state.trail(case).entries(limit=limit)

        rows = await asyncio.to_thread(read)
        if "application/json" in request.headers.get("accept", ""):
            return _secure(JSONResponse(rows))
        lines = "".join(
            f"<tr><td>{r['seq']}</td><td>{html.escape(r['time'])}</td>"
            f"<td>{html.escape(r['actor'])}</td><td>{html.escape(r['action'])}</td>"
            f"<td>{html.escape(str(r['detail']))}</td></tr>"
            for r in rows
        )
        return _page(f"Audit trail of {case}", f"<table>{lines}</table>")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Desk pages run in worker threads, each with its own connection to each case it
        # serves: more threads than THREADS add connections and memory, not speed.
        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS

        # what the first query would otherwise wait for (the cross-script name model,
        # about a second), loaded before serving as the local desk does (``app._warm``)
        # and each case's desk (the first built imports the desk's modules: ~0.4 s), its
        # templates compiled and its search facets' readings taken
        def warm() -> None:
            compile_query(WARM_QUERY)
            for row in state.registry().cases():
                desk = state.desk(row["name"]).state.desk  # type: ignore[attr-defined]
                for name in desk.env.list_templates(filter_func=lambda n: n.endswith(".html")):
                    desk.env.get_template(name)  # compiled once, not in an analyst's request
                # the whole-case readings a search's facets start from (seconds at 100,000)
                desk_facets(desk, desk.case(), WARM_QUERY)

        try:
            await asyncio.to_thread(warm)
        except Exception:  # a warm-up only: the first real request reports any error
            pass
        yield

    own = Starlette(
        lifespan=lifespan,
        routes=[
            Route("/login", login_page, methods=["GET"]),
            Route("/login", login, methods=["POST"]),
            Route("/logout", logout, methods=["POST"]),
            Route("/cases", cases, methods=["GET"]),
            Route("/cases/{name}", select, methods=["GET"]),
            Route("/audit", audit_page, methods=["GET"]),
            Mount("/static", StaticFiles(directory=Path(str(files("docket.serve") / "static")))),
        ],
    )
    gate = Gate(state, own)
    return HostGuard(gate, hosts=names, headers=SECURITY_HEADERS)


class Gate:
    """Default deny: the session, the role, then the desk of the session's case."""

    def __init__(self, state: ServerDesk, own: ASGIApp) -> None:
        self.state = state
        self.own = own

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.own(scope, receive, send)
            return
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        path = request.url.path
        if path == "/login" or path.startswith("/static/"):
            await self.own(scope, receive, send)
            return
        token = request.cookies.get(SESSION_COOKIE, "")
        # a desk page (not the server's own, not the JSON API): it shows who else is here
        page = path not in _SERVER_PAGES and not path.startswith(("/cases/", "/api/"))
        found = await asyncio.to_thread(self.state.admit, token, page) if token else None
        if found is None:
            if path.startswith("/api/"):
                response: Response = JSONResponse({"error": "log in first"}, status_code=401)
            else:
                response = RedirectResponse("/login", status_code=303)
            await _secure(response)(scope, receive, send)
            return
        user, case, allowed, others = found
        scope.setdefault("state", {})
        scope["state"].update(user=user, case=case, token=token)
        if path in _SERVER_PAGES or path.startswith("/cases/"):
            await self.own(scope, receive, send)
            return
        need = "read" if scope["method"] in ("GET", "HEAD") else "edit"
        if case is None:  # no case chosen yet
            await _secure(RedirectResponse("/cases", status_code=303))(scope, receive, send)
            return
        current: str = case
        if need not in allowed:
            await _not_found()(scope, receive, send)
            return
        # what the desk's pages show this analyst: the forms they may use, who else is here
        scope["state"]["can_edit"] = "edit" in allowed
        if page:
            scope["state"]["others"] = others
        status: list[int] = []

        async def watch(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
            await send(message)

        who = current_actor.set(user.name)
        try:
            await self.state.desk(current)(scope, receive, watch)
        finally:
            current_actor.reset(who)
        if status and status[0] < 400:
            if scope["method"] not in ("GET", "HEAD"):
                touch_changed(self.state.config.case_root(current))
            await asyncio.to_thread(self.state.record, current, user, scope["method"], request)


def _action(method: str, path: str) -> str:
    parts = [p for p in path.split("/") if p]
    if method not in ("GET", "HEAD"):
        if parts[:1] == ["findings"]:  # added, edited, reviewed, commented
            return "finding"
        return {"merge": "merge", "split": "split"}.get(parts[-1] if parts else "", "change")
    if parts[-1:] == ["download"]:
        return "download"
    if "export" in parts:
        return "export"
    if parts[:1] == ["search"] or parts[:2] == ["api", "search"]:
        return "search"
    if parts[:1] == ["item"] or parts[:2] == ["api", "item"]:
        return "view"
    return "page"


ENV_WORKERS = "DOCKET_SERVER_WORKERS"


def app_from_env() -> ASGIApp:
    """The app each worker process builds when ``serve --server`` runs several (pages are
    rendered in Python: one process per core answers analysts in parallel). Sessions,
    roles, presence and the audit trail are in the database, shared; the allowed host
    names and the form nonce come from the serving process's environment."""
    import os

    from docket.newsroom import config
    from docket.serve.app import ENV_HOSTS, ENV_NONCE

    return build(
        config.load(),
        os.environ[ENV_HOSTS].split(","),
        nonce=os.environ[ENV_NONCE],
        workers=int(os.environ.get(ENV_WORKERS, "1")),
    )
