"""The desk's web application: FastAPI + Jinja2, server-rendered, no script from outside.

Every response carries a strict Content-Security-Policy; document content is escaped by
Jinja2's autoescape or by ``render.mark_segment``. Only requests naming one of the desk's
own hosts are answered, and only its own pages may post (``guard``). When the desk listens
on anything but loopback, every request must carry the access token ``serve`` printed.
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from importlib import import_module
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from docket.case import Case
from docket.serve.cache import Memo, generation
from docket.serve.guard import HostGuard, allowed_hosts
from docket.serve.i18n import DIRECTION, pick, translator
from docket.views import anchors
from docket.views.search import compile_query

# The desk's routes: each module holds one ``APIRouter`` (``router``), included in this
# order. Routes take what they share through dependencies (``DeskDep``, ``check_nonce``).
ROUTE_MODULES = (
    "docket.serve.routes_case",
    "docket.serve.routes_search",
    "docket.serve.routes_item",
    "docket.serve.routes_people",
    "docket.serve.routes_network",
    "docket.serve.routes_findings",
    "docket.serve.routes_aliases",
    "docket.serve.routes_decisions",
    "docket.serve.routes_api",
    "docket.serve.routes_redact",
    "docket.serve.fonts",
)
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
    "connect-src 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    # Not no-referrer: under it a browser sends "Origin: null" with the desk's own form
    # posts, which the origin check must refuse. Other sites still get no referrer.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
T = TypeVar("T")
MAX_BODY = 6 * 1024 * 1024  # bytes a post may carry: a 5 MB watchlist and its form
WARM_QUERY = "تحويل Hassan"  # one Arabic and one Latin word: loads both name models
TOKEN_COOKIE = "docket_token"
TOKEN_HEADER = "x-docket-token"
ENV_ROOT, ENV_TOKEN, ENV_NONCE = "DOCKET_DESK_ROOT", "DOCKET_DESK_TOKEN", "DOCKET_DESK_NONCE"
ENV_HOSTS = "DOCKET_DESK_HOSTS"


class Desk:
    """What routes share: the case folder, one open case per thread, templates, secrets."""

    def __init__(self, root: Path, token: str | None, nonce: str | None = None) -> None:
        self.root = root
        self.token = token
        # Forms carry this nonce so that another web page cannot post findings (CSRF);
        # worker processes of one server share it.
        self.form_nonce = nonce or secrets.token_urlsafe(24)
        self._local = threading.local()
        self.memo = Memo()
        # Whole-case readings (a few, large, each seconds to take): kept apart, so that
        # hundreds of pages cached since cannot push them out.
        self.readings = Memo(8)
        template_dir = Path(str(files("docket.serve").joinpath("templates")))
        self.env = Environment(
            loader=FileSystemLoader(template_dir),
            autoescape=select_autoescape(
                enabled_extensions=("html", "svg"), default=True, default_for_string=True
            ),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals["urlencode"] = urlencode
        self.env.globals["with_param"] = with_param
        # Links into a document name their target so the right window opens (anchors.py).
        self.env.globals["anchor"] = anchors.anchor
        self.env.globals["item_href"] = anchors.href

    def case(self) -> Case:
        # sqlite3 connections and tantivy readers stay in the thread that opened them.
        case = getattr(self._local, "case", None)
        if case is None:
            case = Case.open(self.root)
            self._local.case = case
        return case

    def cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()``, or its answer kept since the case last changed (``cache``)."""
        return self.memo.get((*key, generation(self.root)), compute)

    def reading(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``cached``, for a whole-case reading (``readings``)."""
        return self.readings.get((*key, generation(self.root)), compute)

    def page(
        self, request: Request, template: str, status_code: int = 200, **ctx: Any
    ) -> HTMLResponse:
        lang = request.state.lang
        other = "en" if lang == "ar" else "ar"
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
        switch_url = request.url.path + "?" + urlencode([*params, ("lang", other)])
        body = self.env.get_template(template).render(
            t=translator(lang),
            lang=lang,
            dir=DIRECTION[lang],
            path=request.url.path,
            query_string=request.url.query,
            nonce=self.form_nonce,
            switch_url=switch_url,
            # set by serve --server (server_mode) for the logged-in analyst
            can_edit=getattr(request.state, "can_edit", True),
            others=getattr(request.state, "others", ()),
            **ctx,
        )
        response = HTMLResponse(body, status_code=status_code)
        if request.query_params.get("lang") == lang:
            response.set_cookie("lang", lang, samesite="strict", httponly=True)
        return response


def create_app(
    root: Path,
    token: str | None = None,
    nonce: str | None = None,
    one_request: bool = False,
    hosts: Iterable[str] | None = None,
) -> FastAPI:
    """The desk for the case at ``root``; ``token`` is required when not on loopback.
    ``hosts`` are the names it answers to (``guard.allowed_hosts``; default: loopback's).

    With ``one_request`` each connection carries one request (``Connection: close``):
    worker processes share the listening socket, and a browser's kept-alive connection
    would tie it to whichever process accepted it first, so that one process could serve
    six clients while another idles. A new connection per request goes to a free one."""
    app = FastAPI(
        title="Docket desk", docs_url=None, redoc_url=None, openapi_url=None, lifespan=_warm
    )
    desk = Desk(Path(root), token, nonce)
    app.state.desk = desk
    static = Path(str(files("docket.serve").joinpath("static")))
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if desk.token is not None:
            given = request.query_params.get("token")
            if given is not None and hmac.compare_digest(given, desk.token):
                # Trade the token in the URL for a cookie, and drop it from the address bar.
                rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
                target = request.url.path + ("?" + urlencode(rest) if rest else "")
                response: Response = RedirectResponse(target, status_code=303)
                response.set_cookie(TOKEN_COOKIE, desk.token, httponly=True, samesite="strict")
                return _secure(response)
            held = request.cookies.get(TOKEN_COOKIE) or request.headers.get(TOKEN_HEADER) or ""
            if not hmac.compare_digest(held, desk.token):
                return _secure(
                    Response(
                        "403 Forbidden: this desk needs its access token.\n",
                        status_code=403,
                        media_type="text/plain",
                    )
                )
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            # Refused before a byte of the body is read: a form is small, and the largest
            # thing posted (a watchlist) is capped well below this.
            length = request.headers.get("content-length", "")
            if not length.isdigit() or int(length) > MAX_BODY:
                return _secure(
                    Response(
                        f"413 Payload Too Large: the desk takes posts of at most "
                        f"{MAX_BODY // (1024 * 1024)} MB, with a Content-Length.\n",
                        status_code=413,
                        media_type="text/plain",
                    )
                )
        request.state.lang = pick(request.query_params.get("lang"), request.cookies.get("lang"))
        response = _secure(await call_next(request))
        if one_request:
            response.headers["Connection"] = "close"
        return response

    # Added last, so it runs first: a foreign Host is refused before the token is looked at.
    app.add_middleware(
        HostGuard,
        hosts=allowed_hosts("127.0.0.1") if hosts is None else hosts,
        headers=SECURITY_HEADERS,
    )
    for name in ROUTE_MODULES:
        app.include_router(import_module(name).router)
    return app


def get_desk(request: Request) -> Desk:
    """The desk serving this request (``create_app`` keeps it in ``app.state``).

    The open case is not a dependency of its own: sqlite3 connections stay in the
    thread that opened them, and FastAPI may run a dependency and its route in different
    worker threads, so a route opens it in its own thread (``Desk.case``)."""
    desk: Desk = request.app.state.desk
    return desk


DeskDep = Annotated[Desk, Depends(get_desk)]


def check_nonce(desk: DeskDep, nonce: Annotated[str, Form()]) -> None:
    """Refuse a form that is not one of the desk's own (``Desk.form_nonce``): 403."""
    if not hmac.compare_digest(nonce, desk.form_nonce):
        raise HTTPException(403, "stale or forged form")


@asynccontextmanager
async def _warm(app: FastAPI) -> AsyncIterator[None]:
    """Load what the first query would otherwise wait for (the cross-script name model,
    about a second) before serving, in each worker process."""
    try:
        compile_query(WARM_QUERY)
        import_module("networkx")  # the network page's communities and centrality
    except Exception:  # a warm-up only: the first real query reports any error
        pass
    threading.Thread(target=_prepare, args=(app.state.desk,), name="desk-warm", daemon=True).start()
    yield


def _prepare(desk: Desk) -> None:
    """The case overview and the whole network, computed in the background as the desk
    starts (a second or so on 100,000 items), so that the first analyst to open either
    finds it ready, or waits for this computation rather than starting another
    (``cache.Memo``)."""
    from docket.serve import network, routes_case

    try:
        case = desk.case()
        routes_case.overview_data(desk, case)
        network.desk_graph(desk, case, network.Filters())
    except Exception:  # a warm-up only: the page itself reports any error
        pass  # (the case this thread opened is let go with the thread)


def app_from_env() -> FastAPI:
    """The app each worker process builds when ``serve --workers`` runs several: the case,
    token, form nonce and allowed host names come from the serving process's environment."""
    return create_app(
        Path(os.environ[ENV_ROOT]),
        os.environ.get(ENV_TOKEN) or None,
        os.environ.get(ENV_NONCE) or None,
        one_request=True,
        hosts=os.environ[ENV_HOSTS].split(","),
    )


def with_param(query_string: str, key: str, value: object) -> str:
    """This page's query string with ``key`` set to ``value`` (a pager's link)."""
    from urllib.parse import parse_qsl

    kept = [(k, v) for k, v in parse_qsl(query_string, keep_blank_values=True) if k != key]
    return "?" + urlencode([*kept, (key, str(value))])


def _secure(response: Response) -> Response:
    for key, value in SECURITY_HEADERS.items():
        response.headers[key] = value
    return response
