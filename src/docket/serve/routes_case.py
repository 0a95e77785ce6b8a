"""The case as a whole: the overview (``/``), authenticity signals, exact and near
duplicates with their word diffs, and the watchlist cross-reference.

What the desk runs here it runs through the very functions the CLI calls
(``docket authenticity``, ``docket duplicates``, ``docket xref``), so a signal stored
from the desk is the row the CLI would store."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from docket.case import Case, CaseError
from docket.serve.app import Desk, DeskDep, check_nonce
from docket.serve.render import histogram
from docket.verify.neardup import THRESHOLD
from docket.views import overview as overview_view
from docket.views.paging import paged

SIGNALS_PAGE = 100
GROUPS_PAGE = 25
WATCHLIST_MAX = 5 * 1024 * 1024  # bytes of an uploaded watchlist: a long sanctions list
XREF_LIMIT = 10  # matches per entry, as ``docket xref`` gives by default

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def overview_page(desk: DeskDep, request: Request) -> HTMLResponse:
    case = desk.case()
    data = overview_data(desk, case)
    # A stage's progress is read fresh: the cache is kept until the case changes, and a
    # running stage changes it all the time anyway.
    data = {**data, "progress": overview_view.progress(case)}
    return desk.page(request, "overview.html", o=data, years=histogram(data["years"]))


def overview_data(desk: Desk, case: Case) -> dict[str, Any]:
    """The overview, kept until the case changes (computed ahead as the desk starts)."""
    return desk.cached(("overview",), lambda: overview_view.overview(case))


@router.get("/authenticity", response_class=HTMLResponse)
def authenticity_page(
    desk: DeskDep, request: Request, severity: str = "", kind: str = "", page: int = 1
) -> HTMLResponse:
    from docket.verify.authenticity import CAVEAT, stored_signals

    case = desk.case()
    every = desk.cached(("signals",), lambda: stored_signals(case.catalogue))
    counts: dict[tuple[str, str], int] = {}
    for s in every:
        counts[(s["severity"], s["kind"])] = counts.get((s["severity"], s["kind"]), 0) + 1
    chosen = [
        s
        for s in every
        if (not severity or s["severity"] == severity) and (not kind or s["kind"] == kind)
    ]
    return desk.page(
        request,
        "authenticity.html",
        counts=sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])),
        signals=paged(chosen, page, SIGNALS_PAGE),
        total=len(every),
        severity=severity,
        kind=kind,
        caveat=CAVEAT,
        ran=request.query_params.get("ran"),
        error=None,
    )


@router.post("/authenticity", dependencies=[Depends(check_nonce)], response_model=None)
def run_authenticity(
    desk: DeskDep, request: Request, threshold: Annotated[float, Form()] = THRESHOLD
) -> HTMLResponse | RedirectResponse:
    """``docket authenticity`` from the desk: the same analysis, the same stored rows."""
    from docket.verify.authenticity import analyse

    case = desk.case()
    try:
        case.lock()  # as the CLI does: not while another process writes the case
    except CaseError as exc:
        return desk.page(request, "error.html", status_code=409, message=str(exc))
    try:
        report = analyse(case, threshold=min(1.0, max(0.3, threshold)))
    finally:
        case.unlock()
    return RedirectResponse(f"/authenticity?ran={len(report.signals)}", status_code=303)


@router.get("/duplicates", response_class=HTMLResponse)
def duplicates_page(
    desk: DeskDep, request: Request, threshold: float = THRESHOLD, page: int = 1, near: int = 1
) -> HTMLResponse:
    from docket.verify.authenticity import duplicates

    case = desk.case()
    threshold = min(1.0, max(0.3, threshold))
    found = desk.cached(("duplicates", threshold), lambda: duplicates(case, threshold))
    return desk.page(
        request,
        "duplicates.html",
        exact=paged(found["exact_duplicates"], page, GROUPS_PAGE),
        near=paged(found["near_duplicates"], near, GROUPS_PAGE),
        threshold=threshold,
    )


@router.get("/duplicates/diff", response_class=HTMLResponse)
def diff_page(desk: DeskDep, request: Request, a: str, b: str) -> HTMLResponse:
    """Every word change from item ``a`` to item ``b`` (``verify.worddiff``, as the CLI's
    ``duplicates`` prints them)."""
    from docket.verify.authenticity import MAX_CHARS
    from docket.verify.worddiff import word_diff

    cat = desk.case().catalogue
    left, right = cat.item(a), cat.item(b)
    if left is None or right is None:
        return desk.page(request, "error.html", status_code=404, message_key="not_found")
    changes = word_diff(cat.text(a, MAX_CHARS), cat.text(b, MAX_CHARS))
    return desk.page(request, "diff.html", a=left, b=right, changes=changes)


@router.get("/watchlist", response_class=HTMLResponse)
def watchlist_page(desk: DeskDep, request: Request) -> HTMLResponse:
    return desk.page(request, "watchlist.html", results=None, error=None, name="")


@router.post("/watchlist", dependencies=[Depends(check_nonce)], response_class=HTMLResponse)
async def watchlist_run(
    desk: DeskDep,
    request: Request,
    file: Annotated[UploadFile, File()],
    limit: Annotated[int, Form()] = XREF_LIMIT,
) -> HTMLResponse:
    """``docket xref`` over an uploaded list: nothing is written, to the case or anywhere."""
    from docket.resolve.watchlist import parse_watchlist, xref

    data = await file.read(WATCHLIST_MAX + 1)
    name = file.filename or ""
    error: str | None = None
    results: list[dict[str, Any]] | None = None
    if len(data) > WATCHLIST_MAX:
        error = f"the list is larger than {WATCHLIST_MAX // (1024 * 1024)} MB"
    else:
        try:
            entries = parse_watchlist(data.decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as exc:
            error = f"cannot read {name or 'the list'}: {exc}"
        else:
            case = desk.case()
            results = xref(entries, case.catalogue.entities(), limit=max(1, min(limit, 100)))
    return desk.page(
        request,
        "watchlist.html",
        status_code=400 if error else 200,
        results=results,
        error=error,
        name=name,
    )
